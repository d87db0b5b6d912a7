#pragma once
// The single-node FailureRateLimiter (no redis.url): one sliding window of failure times per
// key in process memory. Thread-safe (one mutex; every call is short).
//
// Bounded: a window keeps at most max_failures entries (the newest; older ones cannot change
// when the key is let in again), a key whose window is empty is dropped when touched, and
// every key is pruned whenever the number of keys has doubled since the last full prune, so
// a guesser cycling through usernames cannot grow the map without bound.
//
// Usage:
//   store::MemoryFailureRateLimiter limiter;
//   auto check = co_await limiter.Check("ip:" + peer, limit, now);

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "store/failure_rate_limiter.hpp"

namespace signet::store {

class MemoryFailureRateLimiter final : public FailureRateLimiter {
 public:
  [[nodiscard]] boost::asio::awaitable<Result<FailureCheck>> Check(std::string key,
                                                                   FailureLimit limit,
                                                                   WallTime now) override;
  [[nodiscard]] boost::asio::awaitable<Result<FailureCheck>> RecordFailure(std::string key,
                                                                           FailureLimit limit,
                                                                           WallTime now) override;

  // Keys with a window held, for tests of the bound.
  std::size_t key_count() const;

 private:
  struct Window {
    std::deque<std::int64_t> failures_ms;  // sorted, oldest first
    std::int64_t window_ms = 0;            // of the last call, for the full prune
  };

  // All with mutex_ held.
  void PruneIfGrown(std::int64_t now_ms);
  static void Slide(Window& window, std::int64_t now_ms);
  static FailureCheck CheckOf(const Window& window, std::int64_t max, std::int64_t now_ms);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
  std::size_t prune_at_ = 64;  // prune every key when windows_ reaches this size
};

}  // namespace signet::store

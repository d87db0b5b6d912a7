#pragma once
// Counts failed attempts per key (a username, a client IP) in a sliding window, to stop
// password guessing (issue 5: password grant; issue 6: the login page). A key with
// `limit.max_failures` failures within the last `limit.window` is blocked until the oldest
// of them leaves the window; successes are not counted and do not reset the count (a guesser
// who knows one password must not unlock another account's attempts).
//
// Two implementations behave the same (one contract test suite): MemoryFailureRateLimiter
// (single node; bounded: keys whose window is empty are dropped) and RedisFailureRateLimiter
// (a sorted set per key, scored by time, expiring with its window; one Lua script per call),
// shared by every replica so a guesser cannot spread attempts over replicas.
//
// Keys are opaque to the limiter; callers prefix them ("user:alice", "ip:10.0.0.1"). Redis
// keys hash long or odd keys so no username reaches Redis verbatim beyond a bounded length.
//
// Usage:
//   auto blocked = co_await limiter.Check("user:" + username, limit, now);
//   if (!blocked) -> 503; if (blocked->retry_after) -> 429 Retry-After: seconds
//   ... wrong password -> co_await limiter.RecordFailure("user:" + username, limit, now);

#include <chrono>
#include <cstdint>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "store/errc.hpp"
#include "store/revocation_store.hpp"  // WallTime

namespace signet::store {

struct FailureLimit {
  std::uint32_t max_failures = 10;
  std::chrono::seconds window{900};
};

struct FailureCheck {
  // Zero when attempts are allowed; otherwise how long until the oldest counted failure
  // leaves the window (at least 1 s, for Retry-After).
  std::chrono::seconds retry_after{0};
  std::uint32_t failures = 0;  // failures counted in the window at `now`
  bool blocked() const noexcept { return retry_after.count() > 0; }
};

class FailureRateLimiter {
 public:
  virtual ~FailureRateLimiter() = default;

  // Whether `key` is blocked at `now`. Prunes failures older than the window.
  [[nodiscard]] virtual boost::asio::awaitable<Result<FailureCheck>> Check(std::string key,
                                                                          FailureLimit limit,
                                                                          WallTime now) = 0;
  // Counts one failure at `now` and returns the state after it.
  [[nodiscard]] virtual boost::asio::awaitable<Result<FailureCheck>> RecordFailure(
      std::string key, FailureLimit limit, WallTime now) = 0;
};

}  // namespace signet::store

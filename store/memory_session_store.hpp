#pragma once
// The single-node SessionStore (no redis.url): sessions in process memory, lost on restart
// (every user logs in again, as after a redis FLUSHALL). Thread-safe (one mutex; every call
// is short and never waits for I/O).
//
// Bounded: a session past its `expires` is dropped when a call touches it, and all of them
// whenever the number of sessions has doubled since the last full prune, so memory follows
// the live sessions, not the history. "Past" uses the latest `now` any call was given (the
// clock is injected; Create and End have none).
//
// Usage:
//   store::MemorySessionStore sessions;
//   co_await sessions.Create(session_hash, session);

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "store/session_store.hpp"

namespace signet::store {

class MemorySessionStore final : public SessionStore {
 public:
  [[nodiscard]] boost::asio::awaitable<Result<void>> Create(std::string session_hash,
                                                            LoginSession session) override;
  [[nodiscard]] boost::asio::awaitable<Result<std::optional<LoginSession>>> Find(
      std::string session_hash, WallTime now) override;
  [[nodiscard]] boost::asio::awaitable<Result<bool>> AddClient(std::string session_hash,
                                                               std::string client_id,
                                                               WallTime now) override;
  [[nodiscard]] boost::asio::awaitable<Result<std::optional<LoginSession>>> End(
      std::string session_hash) override;
  [[nodiscard]] boost::asio::awaitable<Result<std::size_t>> EndAllForSubject(
      std::string subject) override;

  // Sessions held, for tests of the bound.
  std::size_t session_count() const;
  // Session hashes in the per-subject index, for tests of the bound.
  std::size_t indexed_session_count() const;

 private:
  // All with mutex_ held.
  void Observe(WallTime now);
  // The live session of that hash at `now_s`, or nullptr (an expired one is erased).
  LoginSession* Live(const std::string& session_hash, std::int64_t now_s);
  void Erase(std::map<std::string, LoginSession>::iterator session);
  void PruneIfGrown();

  mutable std::mutex mutex_;
  std::map<std::string, LoginSession> sessions_;                // session hash -> session
  std::map<std::string, std::set<std::string>> by_subject_;     // subject -> session hashes
  std::int64_t latest_now_ = 0;  // unix seconds, the largest `now` seen
  std::size_t prune_at_ = 64;    // prune everything when sessions_ reaches this size
};

}  // namespace signet::store

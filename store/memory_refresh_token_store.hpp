#pragma once
// The single-node RefreshTokenStore (no redis.url): token records and families in process
// memory, lost on restart like everything else a single node keeps in memory. Thread-safe
// (one mutex; every call is short and never waits for I/O).
//
// Bounded: records past their time are dropped when a call touches them, and all of them
// whenever the number of tokens has doubled since the last full prune, so memory follows the
// live tokens, not the history. "Past their time" uses the latest `now` any call was given
// (the clock is injected; Issue has none). The sid index of RevokeSession holds only families
// that are held, so it follows the same bound.
//
// Usage:
//   store::MemoryRefreshTokenStore refresh_tokens;
//   co_await refresh_tokens.Issue(token_hash, grant);

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "store/refresh_token_store.hpp"

namespace signet::store {

class MemoryRefreshTokenStore final : public RefreshTokenStore {
 public:
  [[nodiscard]] boost::asio::awaitable<Result<void>> Issue(std::string token_hash,
                                                           RefreshGrant grant) override;
  [[nodiscard]] boost::asio::awaitable<Result<RotateResult>> Rotate(std::string old_hash,
                                                                    std::string new_hash,
                                                                    WallTime new_expires,
                                                                    WallTime now) override;
  [[nodiscard]] boost::asio::awaitable<Result<std::optional<RefreshGrant>>> Find(
      std::string token_hash, WallTime now) override;
  [[nodiscard]] boost::asio::awaitable<Result<void>> RevokeFamily(std::string family_id) override;
  [[nodiscard]] boost::asio::awaitable<Result<std::size_t>> RevokeSession(std::string sid,
                                                                          WallTime now) override;

  // Tokens held (current and used), for tests of the bound.
  std::size_t token_count() const;
  // Sessions with at least one indexed family, for tests of the bound.
  std::size_t indexed_session_count() const;

 private:
  struct Token {
    std::string family_id;
    bool used = false;
    std::int64_t expires = 0;  // unix seconds: this token's own expiry
  };
  struct Family {
    RefreshGrant grant;             // `expires` = the newest token's, when the family ends
    std::set<std::string> members;  // hashes of every token of the family, used ones too
  };

  // All with mutex_ held.
  void Observe(WallTime now);
  static bool FamilyAlive(const Family& family, std::int64_t now_s);
  void EraseFamily(const std::string& family_id);
  void Unindex(const std::string& sid, const std::string& family_id);
  void PruneIfGrown();
  void PruneAll();

  mutable std::mutex mutex_;
  std::map<std::string, Token> tokens_;  // token hash -> record
  std::map<std::string, Family> families_;
  // sid -> ids of the families started in that session; an id leaves with its family (every
  // erasure goes through EraseFamily or PruneAll), an empty entry with its last id.
  std::map<std::string, std::set<std::string>> session_families_;
  std::int64_t latest_now_ = 0;  // unix seconds, the largest `now` seen
  std::size_t prune_at_ = 64;    // PruneAll when tokens_ reaches this size
};

}  // namespace signet::store

#pragma once
// The RefreshTokenStore in Redis, shared by every replica (issue 5), over the async client.
//
// Layout (prefix "signet:" by default; <hex> = hex of the token's SHA-256, never the token):
//   signet:rt:<hex>     hash  family (the family's key), state (current|used), expires
//                             (unix seconds); EXPIREAT its expiry while current, the
//                             family's end once used (a replay is recognised while the family
//                             lives)
//   signet:rtf:<fam>    hash  family_id, client_id, subject, scope, audience, auth_time,
//                             expires (the newest token's: when the family ends), sid, one
//                             field "m:<hex>" per member token, and "sidx" (the name of its
//                             session index) when sid is not empty; EXPIREAT the family's end
//   signet:rs:<sid>     set   the family keys (signet:rtf:<fam>) started in login session
//                             <sid>, for RevokeSession (logout); EXPIREAT at least the end of
//                             its longest family (extended on rotation); a revoked family
//                             leaves it
// <fam> (<sid>) is the family id (sid) when it is short and URL-safe, else
// "h:" + hex(SHA-256(id)) (store/internal/redis_key_name.hpp).
//
// Every operation is one Lua script (atomic, one round trip): of two replicas rotating the
// same token at once, exactly one gets kRotated and the other kReused (the family revoked).
// The scripts reach the family and member keys by names stored in the records, so this
// targets a single Redis (or a primary with replicas), not Redis Cluster.
//
// Usage:
//   store::RedisRefreshTokenStore refresh_tokens(redis_async_client);
//   auto rotated = co_await refresh_tokens.Rotate(old_hash, new_hash, new_expiry, now);

#include <cstddef>
#include <string>
#include <string_view>

#include "store/redis_async_client.hpp"
#include "store/refresh_token_store.hpp"

namespace signet::store {

class RedisRefreshTokenStore final : public RefreshTokenStore {
 public:
  // `client` must outlive this store.
  explicit RedisRefreshTokenStore(RedisAsyncClient& client, std::string prefix = "signet:");

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

  // The key names, for tests and operators.
  std::string TokenKey(std::string_view token_hash) const;
  std::string FamilyKey(std::string_view family_id) const;
  std::string SessionKey(std::string_view sid) const;

 private:
  RedisAsyncClient& client_;
  std::string token_prefix_;    // "signet:rt:"
  std::string family_prefix_;   // "signet:rtf:"
  std::string session_prefix_;  // "signet:rs:"
};

}  // namespace signet::store

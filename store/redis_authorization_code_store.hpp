#pragma once
// The AuthorizationCodeStore in Redis, shared by every replica (issue 6), over the async
// client: a code issued by one replica can be exchanged at any other, and only once.
//
// Layout (prefix "signet:" by default; <hex> = hex of the code's SHA-256, never the code):
//   signet:ac:<hex>   hash  client_id, redirect_uri, code_challenge, scope, nonce, subject,
//                           auth_time, sid, expires (unix seconds), state (fresh|used|reused),
//                           and once recorded jti, jti_exp, family (what the first exchange
//                           issued); EXPIREAT `expires` while fresh, `expires` +
//                           kCodeReuseWindow once consumed (a reuse is recognised until then)
//
// Every operation is one Lua script (atomic, one round trip): of two replicas consuming the
// same code at once, exactly one gets kConsumed and the other kReused.
//
// Usage:
//   store::RedisAuthorizationCodeStore codes(redis_async_client);
//   auto consumed = co_await codes.Consume(code_hash, now);

#include <string>
#include <string_view>

#include "store/authorization_code_store.hpp"
#include "store/redis_async_client.hpp"

namespace signet::store {

class RedisAuthorizationCodeStore final : public AuthorizationCodeStore {
 public:
  // `client` must outlive this store.
  explicit RedisAuthorizationCodeStore(RedisAsyncClient& client, std::string prefix = "signet:");

  [[nodiscard]] boost::asio::awaitable<Result<void>> Issue(std::string code_hash,
                                                           AuthorizationGrant grant) override;
  [[nodiscard]] boost::asio::awaitable<Result<ConsumeResult>> Consume(std::string code_hash,
                                                                      WallTime now) override;
  [[nodiscard]] boost::asio::awaitable<Result<RecordIssuedStatus>> RecordIssued(
      std::string code_hash, IssuedFromCode issued) override;

  // The key name, for tests and operators.
  std::string CodeKey(std::string_view code_hash) const;

 private:
  RedisAsyncClient& client_;
  std::string code_prefix_;  // "signet:ac:"
};

}  // namespace signet::store

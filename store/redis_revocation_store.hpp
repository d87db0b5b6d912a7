#pragma once
// The RevocationStore in Redis, shared by every replica (issue 5), over the async client.
//
// Layout (prefix "signet:" by default):
//   signet:revoked:jti        sorted set  jti -> keep_until (unix seconds), pruned by score
//   signet:revoked:sub        hash        subject -> cut-off (unix seconds)
//   signet:revoked:sub:until  sorted set  subject -> keep_until, to prune the hash
//   signet:revoked:rev        integer     INCR'ed by every revocation that changed something
// Prune and Snapshot share one pruning script part (ZREMRANGEBYSCORE on the sorted sets, HDEL
// of the pruned subjects); pruning leaves the revision alone.
// Every operation is one Lua script (atomic, one round trip); the keys share no hash tag, so
// this targets a single Redis (or a primary with replicas), not Redis Cluster.
//
// Usage:
//   store::RedisRevocationStore revocations(redis_async_client);
//   co_await revocations.RevokeSubject(sub, now, now + longest_ttl + leeway);

#include <string>

#include "store/redis_async_client.hpp"
#include "store/revocation_store.hpp"

namespace signet::store {

class RedisRevocationStore final : public RevocationStore {
 public:
  // `client` must outlive this store.
  explicit RedisRevocationStore(RedisAsyncClient& client, std::string prefix = "signet:");

  [[nodiscard]] boost::asio::awaitable<Result<void>> RevokeJti(std::string jti,
                                                               WallTime keep_until) override;
  [[nodiscard]] boost::asio::awaitable<Result<void>> RevokeSubject(std::string subject,
                                                                   WallTime cutoff,
                                                                   WallTime keep_until) override;
  [[nodiscard]] boost::asio::awaitable<Result<bool>> IsRevoked(std::string jti, std::string subject,
                                                               WallTime issued_at,
                                                               WallTime now) override;
  [[nodiscard]] boost::asio::awaitable<Result<std::uint64_t>> Revision() override;
  [[nodiscard]] boost::asio::awaitable<Result<RevocationSnapshot>> Snapshot(WallTime now) override;
  [[nodiscard]] boost::asio::awaitable<Result<std::size_t>> Prune(WallTime now) override;

 private:
  RedisAsyncClient& client_;
  std::string jti_key_;
  std::string subject_key_;
  std::string subject_until_key_;
  std::string revision_key_;
};

}  // namespace signet::store

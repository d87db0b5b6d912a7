#pragma once
// The key ring in Redis, shared by every replica (keys::KeyRepository over the BLOCKING
// client: used by the key manager's background thread and the CLI, never on an I/O thread).
//
// Layout (prefix "signet:" by default):
//   signet:keys       hash  kid -> serialised key (keys/key_codec.hpp; the private key sealed
//                            with the KEK when one is configured, which it must be with Redis)
//   signet:keys:rev   str   128 random bits (hex), written in the same MULTI/EXEC as every
//                            change, so a poller that sees the same revision knows the set did
//                            not change. Random, not a counter: after Redis lost its data a
//                            counter restarts and can reach a value a replica still holds for
//                            its old set, which would then never reload (issue 4)
//
// Usage:
//   auto repo = store::RedisKeyRepository(store::RedisSyncClient(url), std::move(kek));
//   auto lease = store::RedisRotationLease::Create(store::RedisSyncClient(url));
//   auto manager = keys::KeyManager::Create(repo, *lease, algorithms, policy);

#include <optional>
#include <string>
#include <vector>

#include "keys/key_encryption.hpp"
#include "keys/key_repository.hpp"
#include "store/redis_sync_client.hpp"

namespace signet::store {

class RedisKeyRepository final : public keys::KeyRepository {
 public:
  explicit RedisKeyRepository(RedisSyncClient client, std::optional<keys::Kek> kek = std::nullopt,
                              std::string prefix = "signet:");

  // Every key, sorted by kid. Redis failures are store::Errc (kUnavailable, kTimeout, ...);
  // a bad value is the keys::Errc of DecodeStoredKey, and LastErrorDetail() names its kid.
  [[nodiscard]] keys::Result<std::vector<keys::StoredKey>> LoadAll() override;
  [[nodiscard]] keys::Result<void> Save(const keys::StoredKey& key) override;
  [[nodiscard]] keys::Result<void> Remove(const keys::KeyMetadata& metadata) override;
  // The value of signet:keys:rev ("0" before the first change, and after a data loss until
  // the next one: an empty set). Compare for equality only; it is not ordered.
  [[nodiscard]] keys::Result<std::string> Revision() override;
  std::string Describe() const override { return client_.Describe(); }
  std::string LastErrorDetail() const override { return last_error_detail_; }
  std::vector<std::string> KidsToRewrite() const override { return kids_to_rewrite_; }

 private:
  // HSET/HDEL + a new random revision in one MULTI/EXEC.
  [[nodiscard]] keys::Result<void> Transaction(std::span<const std::string_view> change);

  RedisSyncClient client_;
  std::optional<keys::Kek> kek_;
  std::string hash_key_;
  std::string revision_key_;
  std::string last_error_detail_;
  std::vector<std::string> kids_to_rewrite_;
};

}  // namespace signet::store

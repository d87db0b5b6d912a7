#include "store/key_storage.hpp"

#include <optional>
#include <utility>

#include "config/key_timing.hpp"
#include "keys/file_rotation_lease.hpp"
#include "keys/key_encryption.hpp"
#include "keys/key_file_store.hpp"
#include "store/redis_key_repository.hpp"
#include "store/redis_rotation_lease.hpp"
#include "store/redis_sync_client.hpp"
#include "store/redis_url.hpp"

namespace signet::store {
namespace {

using Opened = boost::system::result<KeyStorage, std::string>;

std::string Describe(std::string_view what, const boost::system::error_code& ec) {
  return std::string(what) + ": " + ec.message();
}

}  // namespace

Opened OpenKeyStorage(const config::Config& config, keys::KeyManagerOptions options) {
  std::optional<keys::Kek> kek;
  if (!config.keys.encryption_key_file.empty()) {
    auto loaded = keys::Kek::FromFile(config.keys.encryption_key_file);
    if (!loaded) {
      return Describe("keys.encryption_key_file " + config.keys.encryption_key_file,
                      loaded.error());
    }
    kek = std::move(*loaded);
  }

  KeyStorage storage;
  if (!config.redis.url.empty()) {
    auto url = ParseRedisUrl(config.redis.url);
    if (!url) return Describe("redis.url", url.error());
    storage.repository =
        std::make_unique<RedisKeyRepository>(RedisSyncClient(*url), std::move(kek));
    auto lease = RedisRotationLease::Create(RedisSyncClient(*url));
    if (!lease) return Describe("redis.url", lease.error());
    storage.lease = std::make_unique<RedisRotationLease>(std::move(*lease));
  } else {
    auto files = keys::FileKeyStore::Open(config.keys.dir, std::move(kek));
    if (!files) return Describe("keys.dir " + config.keys.dir, files.error());
    storage.repository = std::make_unique<keys::FileKeyStore>(std::move(*files));
    auto lease = keys::FileRotationLease::Open(config.keys.dir);
    if (!lease) return Describe("keys.dir " + config.keys.dir, lease.error());
    storage.lease = std::make_unique<keys::FileRotationLease>(std::move(*lease));
  }

  auto manager =
      keys::KeyManager::Create(*storage.repository, *storage.lease, config.keys.algorithms,
                               config::RotationPolicyFor(config), std::move(options));
  if (!manager) return Describe("keys", manager.error());
  storage.manager = std::move(*manager);
  return storage;
}

}  // namespace signet::store

#pragma once
// Opens the key store a configuration names, for `signet serve` and for the `signet keys`
// commands, so that both always act on the same keys:
//   - redis.url set: the key ring in Redis (store/redis_key_repository.hpp) with the rotation
//     lease in Redis (store/redis_rotation_lease.hpp); the KEK is then required (a config
//     rule);
//   - otherwise: the files under keys.dir (keys/key_file_store.hpp) with an flock lease.
// keys.encryption_key_file, when set, seals every private key at rest in either store.
//
// Usage:
//   auto storage = store::OpenKeyStorage(config);
//   if (!storage) { std::cerr << storage.error(); return 1; }
//   auto entries = storage->manager->Tick(now);

#include <memory>
#include <string>

#include <boost/system/result.hpp>

#include "config/config.hpp"
#include "keys/key_manager.hpp"
#include "keys/key_repository.hpp"

namespace signet::store {

struct KeyStorage {
  std::unique_ptr<keys::KeyRepository> repository;
  std::unique_ptr<keys::RotationLease> lease;
  std::unique_ptr<keys::KeyManager> manager;  // last: refers to the two above
};

// The error is one line naming the config key and the reason (never a secret).
[[nodiscard]] boost::system::result<KeyStorage, std::string> OpenKeyStorage(
    const config::Config& config, keys::KeyManagerOptions options = {});

}  // namespace signet::store

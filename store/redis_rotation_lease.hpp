#pragma once
// The rotation lease in Redis (keys::RotationLease over the BLOCKING client): at most one
// replica changes the key ring at a time.
//
//   take:           SET signet:keys:lease <owner> NX PX <ttl>
//   renew, release: Lua scripts that act only while the value is still <owner>
//                   (compare-and-set, atomic in Redis), so a process whose lease expired and
//                   was taken over can never extend or delete the new holder's lease.
// <owner> is 128 random bits (hex) drawn when the lease object is made: one lease object per
// process.
//
// Usage:
//   auto lease = store::RedisRotationLease::Create(store::RedisSyncClient(url));
//   if (auto held = lease->TryAcquire(30s); held && *held) { ...change keys...; lease->Release(); }

#include <chrono>
#include <string>

#include "keys/key_repository.hpp"
#include "store/redis_sync_client.hpp"

namespace signet::store {

class RedisRotationLease final : public keys::RotationLease {
 public:
  // keys::Errc::kRandomFailed when the owner id cannot be drawn.
  [[nodiscard]] static keys::Result<RedisRotationLease> Create(
      RedisSyncClient client, std::string key = "signet:keys:lease");

  // true when this object holds the lease for `ttl` from now; false when another owner's
  // lease is live. Redis failures: store::Errc (kUnavailable, kTimeout, ...).
  [[nodiscard]] keys::Result<bool> TryAcquire(std::chrono::milliseconds ttl) override;
  // Deletes the lease if this object still holds it; errors are ignored (it then expires).
  void Release() override;

  const std::string& owner() const noexcept { return owner_; }

 private:
  RedisRotationLease(RedisSyncClient client, std::string key, std::string owner)
      : client_(std::move(client)), key_(std::move(key)), owner_(std::move(owner)) {}

  RedisSyncClient client_;
  std::string key_;
  std::string owner_;
};

}  // namespace signet::store

#include "store/redis_rotation_lease.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

#include <openssl/rand.h>

namespace signet::store {
namespace {

// Extends the lease only while it is still ours (the value is the owner id).
constexpr std::string_view kRenewScript = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
)lua";

// Deletes the lease only while it is still ours.
constexpr std::string_view kReleaseScript = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
)lua";

keys::Result<std::string> RandomOwnerId() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return keys::Errc::kRandomFailed;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 0x0f]);
  }
  return id;
}

// result<bool> cannot be built implicitly from an error_code (it converts to bool too).
keys::Result<bool> Failed(boost::system::error_code ec) {
  return keys::Result<bool>(boost::system::in_place_error, ec);
}

}  // namespace

keys::Result<RedisRotationLease> RedisRotationLease::Create(RedisSyncClient client,
                                                            std::string key) {
  auto owner = RandomOwnerId();
  if (!owner) return owner.error();
  return RedisRotationLease(std::move(client), std::move(key), std::move(*owner));
}

keys::Result<bool> RedisRotationLease::TryAcquire(std::chrono::milliseconds ttl) {
  const std::string ttl_ms = std::to_string(std::max<std::int64_t>(ttl.count(), 1));
  auto taken = client_.Command("SET", key_, owner_, "NX", "PX", ttl_ms);
  if (!taken) return Failed(taken.error());
  if (taken->IsError()) return Failed(Errc::kServerError);
  if (!taken->IsNil()) return true;  // +OK: the lease was free and is ours now
  // Held by someone: renew it if that someone is us.
  auto renewed = client_.Command("EVAL", kRenewScript, "1", key_, owner_, ttl_ms);
  if (!renewed) return Failed(renewed.error());
  auto count = renewed->AsInteger();
  if (!count) return Failed(count.error());
  return *count == 1;
}

void RedisRotationLease::Release() {
  static_cast<void>(client_.Command("EVAL", kReleaseScript, "1", key_, owner_));
}

}  // namespace signet::store

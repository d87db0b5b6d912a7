#pragma once
// The `redis.url` setting: redis://[[user]:password@]host[:port][/db].
//
// Parsed once at startup into a RedisUrl; the clients (store/redis_sync_client.hpp,
// store/redis_async_client.hpp) connect to host:port, then send AUTH when a password is
// given (AUTH user password with a user, Redis 6 ACLs) and SELECT db when db is not 0.
// `rediss://` (TLS) is refused for now. Every error is an Errc whose message contains
// nothing from the URL, so a password can never reach a log line.
//
// Usage:
//   auto url = store::ParseRedisUrl(config.redis.url);
//   if (!url) return Fail("redis.url: " + url.error().message());
//   spdlog::info("redis {}", url->Describe());        // "127.0.0.1:6379/0"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "keys/secret.hpp"
#include "store/errc.hpp"

namespace signet::store {

inline constexpr std::uint16_t kDefaultRedisPort = 6379;

struct RedisUrl {
  std::string host;  // a name, an IPv4 address, or an IPv6 address without brackets
  std::uint16_t port = kDefaultRedisPort;
  std::uint32_t db = 0;                       // SELECT index
  std::optional<std::string> user;            // only with a password (Redis 6 ACL user)
  std::optional<keys::SecretBytes> password;  // percent-decoded

  // "host:port/db" ("[::1]:6379/0" for IPv6), for messages: never the user or password.
  std::string Describe() const;
};

// Accepts redis://host, redis://host:port/db, redis://:password@host,
// redis://user:password@host:port/db (userinfo percent-decoded). Rejects rediss://
// (kTlsNotSupported), other schemes, a user without a password, a query or fragment, and any
// port or database that is not a plain number in range.
[[nodiscard]] Result<RedisUrl> ParseRedisUrl(std::string_view text);

}  // namespace signet::store

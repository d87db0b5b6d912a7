#pragma once
// Checks of single values that the loader and the environment overrides share.
// Each returns nullopt when the value is fine, or the reason (an Errc and a sentence).

#include <optional>
#include <string>
#include <string_view>

#include "config/errc.hpp"

namespace signet::config::internal {

struct Invalid {
  Errc code;
  std::string detail;
};

// Absolute http(s) URL with a host; no userinfo, query, fragment or trailing '/';
// https unless the host is loopback (RFC 8414 §2, OIDC Discovery §3).
std::optional<Invalid> CheckIssuer(std::string_view issuer);

// "host:port", "[v6]:port"; port 0..65535.
std::optional<Invalid> CheckListen(std::string_view listen);

// Absolute URI without a fragment (RFC 6749 §3.1.2).
std::optional<Invalid> CheckRedirectUri(std::string_view uri);

// redis://[user:password@]host[:port][/db] or rediss://...
std::optional<Invalid> CheckRedisUrl(std::string_view url);

// $argon2id$v=19$m=<kib>,t=<passes>,p=<lanes>$<salt b64>$<hash b64> (PHC string format).
std::optional<Invalid> CheckArgon2idEncoding(std::string_view encoded);

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
bool IsValidScopeToken(std::string_view token);

// trace, debug, info, warn, error, critical, off (spdlog's level names).
bool IsValidLogLevel(std::string_view level);

}  // namespace signet::config::internal

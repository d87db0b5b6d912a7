#pragma once
// The ID token hash claims (OIDC Core §3.1.3.6 at_hash, §3.3.2.11 c_hash): the base64url
// encoding of the left-most half of the hash of the value's ASCII octets, hashed with the
// hash function of the ID token's alg:
//   RS256, PS256, ES256 -> SHA-256;  ES384 -> SHA-384;
//   EdDSA (signet's EdDSA is Ed25519 only, RFC 8037) -> SHA-512, the hash Ed25519 itself
//   uses, as the OpenID Connect WG decided (connect issue #1125, "OpenID Connect Token Hash
//   Algorithms 1.0") and as openid-client / oauth4webapi check it.
//
// Usage:
//   auto at_hash = oauth::TokenHash(access_token, keys::Algorithm::kRs256);

#include <optional>
#include <string>
#include <string_view>

#include "keys/algorithm.hpp"

namespace signet::oauth {

// nullopt only when OpenSSL fails (allocation).
[[nodiscard]] std::optional<std::string> TokenHash(std::string_view value, keys::Algorithm alg);

}  // namespace signet::oauth

#pragma once
// The `kid` of a JWS compact serialisation's header, read before any key is chosen. Only a
// lookup key: token::VerifyCompact then checks the whole header again (alg against the key's,
// crit, kid equal to the key's) together with the signature. Shared by the access token
// verifier and the logout request's id_token_hint check.

#include <string>
#include <string_view>

#include "token/errc.hpp"

namespace signet::oauth::internal {

// kMalformed (no '.'), kBadBase64url, kHeaderNotJson, kKidMissing, kHeaderInvalid (not a string).
[[nodiscard]] token::Result<std::string> PeekKid(std::string_view compact);

}  // namespace signet::oauth::internal

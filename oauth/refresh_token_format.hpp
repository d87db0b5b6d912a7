#pragma once
// The opaque refresh token (issue 5): an oauth::OpaqueSecret (32 random bytes, base64url,
// 43 characters; the store keeps only its SHA-256), and its family id.
//
// Usage:
//   auto fresh = oauth::NewOpaqueSecret();           // {token for the client, hash to store}
//   store.Rotate(oauth::HashOpaqueSecret(presented), fresh->hash, ...);
//   if (oauth::HasRefreshTokenShape(token)) ...      // not a JWT: look it up as a refresh token

#include <optional>
#include <string>
#include <string_view>

#include "oauth/opaque_secret.hpp"

namespace signet::oauth {

// True for 43 base64url characters: the shape of every refresh token signet issues. Lets
// revocation and introspection tell refresh tokens from JWTs without trusting a hint.
bool HasRefreshTokenShape(std::string_view token) noexcept;

// A new family id: NewRandomId() (22 characters); nullopt if the CSPRNG fails.
[[nodiscard]] std::optional<std::string> NewRefreshFamilyId();

}  // namespace signet::oauth

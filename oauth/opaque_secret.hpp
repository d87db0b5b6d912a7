#pragma once
// Opaque random secrets and ids: refresh tokens (issue 5), authorization codes, login session
// ids and the login form's browser binding (issue 6) are all 32 bytes from the CSPRNG
// (256 bits, OAuth 2.0 Security BCP §4.14, RFC 6749 §10.10: not guessable), base64url
// without padding: 43 characters, never containing '.', so none can be mistaken for a JWT.
// Stores keep only SHA-256 of a secret; a plain hash (no salt, no HMAC key) is enough because
// the input has 256 bits of entropy: nothing can be brute-forced from the hash.
//
// Usage:
//   auto fresh = oauth::NewOpaqueSecret();          // {token for the client, hash to store}
//   store.Find(oauth::HashOpaqueSecret(presented));
//   auto sid = oauth::NewRandomId();                // 22 characters, for public ids

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace signet::oauth {

inline constexpr std::size_t kOpaqueSecretChars = 43;  // base64url of 32 bytes

struct OpaqueSecret {
  std::string token;  // goes to the client or browser only
  std::string hash;   // SHA-256 of `token`, 32 raw bytes: what a store keeps
};

// nullopt if the CSPRNG fails.
[[nodiscard]] std::optional<OpaqueSecret> NewOpaqueSecret();

// SHA-256 of the secret's text, 32 raw bytes ("" only if the digest fails: matches nothing).
std::string HashOpaqueSecret(std::string_view token);

// 16 random bytes, base64url (22 characters): ids that are public but must not be guessable
// (refresh families, the session's `sid`). nullopt if the CSPRNG fails.
[[nodiscard]] std::optional<std::string> NewRandomId();

}  // namespace signet::oauth

#pragma once
// The opaque refresh token (issue 5): 32 bytes from the CSPRNG (256 bits, OAuth 2.0
// Security BCP §4.14: refresh tokens must not be guessable), base64url without padding:
// 43 characters, never containing '.', so it cannot be mistaken for a JWT. The store keeps
// only SHA-256 of it; a plain hash (no salt, no HMAC key) is enough because the input has
// 256 bits of entropy: nothing can be brute-forced from the hash.
//
// Usage:
//   auto fresh = oauth::NewRefreshToken();           // {token for the client, hash to store}
//   store.Rotate(oauth::HashRefreshToken(presented), fresh->hash, ...);

#include <optional>
#include <string>
#include <string_view>

namespace signet::oauth {

inline constexpr std::size_t kRefreshTokenChars = 43;  // base64url of 32 bytes

struct NewRefreshTokenValue {
  std::string token;  // goes to the client only
  std::string hash;   // SHA-256 of `token`, 32 raw bytes: what the store keeps
};

// nullopt if the CSPRNG fails.
[[nodiscard]] std::optional<NewRefreshTokenValue> NewRefreshToken();

// SHA-256 of the token's text, 32 raw bytes.
std::string HashRefreshToken(std::string_view token);

// True for 43 base64url characters: the shape of every refresh token signet issues. Lets
// revocation and introspection tell refresh tokens from JWTs without trusting a hint.
bool HasRefreshTokenShape(std::string_view token) noexcept;

// A new family id: 16 random bytes, base64url (22 characters); nullopt if the CSPRNG fails.
[[nodiscard]] std::optional<std::string> NewRefreshFamilyId();

}  // namespace signet::oauth

#pragma once
// Proof Key for Code Exchange (RFC 7636), S256 only.
//
// At the authorization endpoint the client sends code_challenge = BASE64URL(SHA256(verifier))
// (§4.2); at the token endpoint it proves possession with code_verifier, which the server
// hashes and compares with the challenge bound to the code (§4.6). The comparison is constant
// time (CRYPTO_memcmp), so a guesser learns nothing from response times.
//
// Usage:
//   if (!oauth::IsValidPkceString(challenge)) ...                       // invalid_request
//   auto checked = oauth::VerifyCodeVerifier(form.Get("code_verifier"), code.challenge);
//   if (!checked) return checked.error();                   // invalid_request / invalid_grant

#include <optional>
#include <string>
#include <string_view>

#include "oauth/error.hpp"

namespace signet::oauth {

// RFC 7636 §4.1 / §4.2: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"
// (the unreserved characters of RFC 3986 §2.3). Both code_verifier and code_challenge use it.
bool IsValidPkceString(std::string_view text) noexcept;

// BASE64URL-ENCODE(SHA256(ASCII(verifier))) (RFC 7636 §4.2), 43 characters; nullopt only when
// OpenSSL fails.
[[nodiscard]] std::optional<std::string> S256Challenge(std::string_view verifier);

// The token endpoint's check (RFC 7636 §4.6), given the challenge stored with the code
// (nullopt when the authorization request had none):
//   - no challenge and no verifier: ok (a confidential client that did not use PKCE);
//   - a verifier without a challenge: invalid_grant (PKCE downgrade, RFC 9700 §2.1.1);
//   - a challenge and no verifier: invalid_grant (the code is bound to a challenge);
//   - a malformed verifier: invalid_request (§4.1 syntax, RFC 6749 §5.2);
//   - S256(verifier) != challenge: invalid_grant (§4.6).
[[nodiscard]] Expected<void> VerifyCodeVerifier(std::optional<std::string_view> verifier,
                                                std::optional<std::string_view> challenge);

}  // namespace signet::oauth

#pragma once
// Strict base64url without padding (RFC 7515 §2, RFC 4648 §5).
// Decoding accepts only the canonical form: no '=' padding, no whitespace, no characters
// outside [A-Za-z0-9_-], no length of 1 mod 4, and no non-zero bits in the unused tail of
// the last character (so every byte string has exactly one accepted encoding; a token
// cannot be altered without changing its signature input).

#include <optional>
#include <string>
#include <string_view>

namespace signet::keys {

std::string Base64UrlEncode(std::string_view bytes);

// nullopt when `text` is not canonical base64url.
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace signet::keys

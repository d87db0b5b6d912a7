#pragma once
// application/x-www-form-urlencoded, the body format of every OAuth endpoint
// (RFC 6749 §3.2, Appendix B; WHATWG URL "application/x-www-form-urlencoded parsing").
//
// Stricter than browsers on purpose: '%' must be followed by two hex digits, the decoded
// bytes must be valid UTF-8 (they end up in JSON and logs), and the number of parameters
// is capped. Empty sequences between '&' are skipped and a name without '=' has an empty
// value, as the WHATWG algorithm specifies.
//
// Usage:
//   auto params = oauth::ParseForm("grant_type=client_credentials&scope=a+b");
//   // params->at(1) == {"scope", "a b"}

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "oauth/error.hpp"

namespace signet::oauth {

// Name/value pairs in body order; names may repeat (the caller decides whether they may).
using FormParams = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::size_t kMaxFormParameters = 64;

// Fails with invalid_request on a bad percent escape, invalid UTF-8 or too many parameters.
[[nodiscard]] Expected<FormParams> ParseForm(std::string_view body);

// Decodes one component: '+' is a space, %XX a byte. nullopt on a bad escape or invalid UTF-8.
[[nodiscard]] std::optional<std::string> FormUrlDecode(std::string_view text);

// The value of a parameter sent exactly once ("" if sent empty); nullopt when it is absent or
// repeated (RFC 6749 §3.1: a repeated parameter is not a value to pick from).
std::optional<std::string_view> SingleValue(const FormParams& params, std::string_view name);

// Encodes one component: [A-Za-z0-9*-._] kept, space as '+', everything else %XX.
std::string FormUrlEncode(std::string_view text);

// True when `bytes` is well-formed UTF-8 (no overlong forms, surrogates or values
// above U+10FFFF; RFC 3629 §4).
bool IsValidUtf8(std::string_view bytes) noexcept;

}  // namespace signet::oauth

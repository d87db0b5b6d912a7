#pragma once
// The scope parameter (RFC 6749 §3.3):
//   scope       = scope-token *( SP scope-token )
//   scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
// Parsing is strict (one space between tokens, none leading or trailing); duplicates are
// dropped, keeping the first occurrence, since the order of tokens does not matter.
//
// Usage:
//   auto granted = oauth::GrantScope(request.Get("scope"), client.scope);
//   if (!granted) return granted.error();         // invalid_scope
//   response.scope = oauth::JoinScope(*granted);

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "oauth/error.hpp"

namespace signet::oauth {

// nullopt when `text` does not match the ABNF above.
[[nodiscard]] std::optional<std::vector<std::string>> ParseScope(std::string_view text);

// The scope to grant: the requested tokens when each is registered for the client
// (invalid_scope otherwise, or when malformed); the client's registered scope when the
// request has none (RFC 6749 §3.3 lets the server use a pre-defined default).
[[nodiscard]] Expected<std::vector<std::string>> GrantScope(
    std::optional<std::string_view> requested, std::span<const std::string> registered);

std::string JoinScope(std::span<const std::string> tokens);

// True when `scope` holds `token` ("openid": an OpenID Connect grant, OIDC Core §3.1.2.1).
bool HasScope(std::span<const std::string> scope, std::string_view token) noexcept;

}  // namespace signet::oauth

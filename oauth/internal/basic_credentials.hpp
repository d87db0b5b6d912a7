#pragma once
// Client credentials in an HTTP Basic Authorization header (RFC 6749 §2.3.1, RFC 7617 §2).
//
// RFC 6749 §2.3.1: the client identifier and the secret are each encoded with
// application/x-www-form-urlencoded *before* being joined with ':' and base64-encoded, so a
// ':' inside a client_id travels as %3A and '+' in a secret means a space. We decode
// accordingly; base64 must be canonical RFC 4648 §4 with its '=' padding.
//
// Usage:
//   auto creds = internal::ParseBasicAuthorization(request.authorization());
//   if (!creds) ...             // malformed: invalid_client, client_used_basic_auth
//   else if (*creds) ...        // (*creds)->client_id, (*creds)->client_secret

#include <optional>
#include <string>
#include <string_view>

#include "oauth/error.hpp"

namespace signet::oauth::internal {

struct BasicCredentials {
  std::string client_id;
  std::string client_secret;
};

// An empty header or one with another scheme (e.g. "Bearer") gives nullopt: the client did
// not attempt Basic authentication. A malformed "Basic" header gives invalid_client with
// client_used_basic_auth set (RFC 6749 §5.2 then requires 401).
[[nodiscard]] Expected<std::optional<BasicCredentials>> ParseBasicAuthorization(
    std::string_view header);

// Builds the header value a conforming client sends (tests, the CLI's `token` helpers).
std::string MakeBasicAuthorization(std::string_view client_id, std::string_view client_secret);

// Standard base64 with padding (RFC 4648 §4); nullopt unless canonical.
[[nodiscard]] std::optional<std::string> Base64StdDecode(std::string_view text);
std::string Base64StdEncode(std::string_view bytes);

}  // namespace signet::oauth::internal

#pragma once
// The access token of a request to a bearer-protected resource (RFC 6750 §2), such as the
// userinfo endpoint (OIDC Core §5.3.1).
//
//   - `Authorization: Bearer <b64token>` (§2.1; the scheme is case-insensitive, RFC 7235
//     §2.1; b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=");
//   - or, for a POST with an application/x-www-form-urlencoded body, its `access_token`
//     parameter (§2.2; the server passes the body only in that case).
//
// Outcomes:
//   - neither carries a token, or the Authorization header uses another scheme (§3.1: "the
//     client ... attempted using an unsupported authentication method"): MissingBearerToken()
//     (401 with a bare challenge);
//   - a token in both places (§2: one method per request), a repeated access_token, a
//     malformed form body, or Bearer credentials that are not a b64token: invalid_request
//     (§3.1, 400).
//
// Usage:
//   auto token = oauth::ExtractBearerToken(authorization_header, is_form_post ? body : "");
//   if (!token) return error response (token.error());

#include <string>
#include <string_view>

#include "oauth/error.hpp"

namespace signet::oauth {

[[nodiscard]] Expected<std::string> ExtractBearerToken(std::string_view authorization,
                                                       std::string_view form_body);

}  // namespace signet::oauth

#pragma once
// The audience of an access token: RFC 8707 resource indicators and the `audience`
// parameter (RFC 8693 §2.1, as widely used with client_credentials), both checked against
// the client's registered audience list.
//
// Both parameters may repeat (RFC 8707 §2: "may be used multiple times"; RFC 8693 §2.1
// likewise), so they are exempt from the RFC 6749 §3.2 repetition rule.
//
// Usage:
//   auto aud = oauth::ResolveAudience(request, client.audience);
//   if (!aud) return aud.error();   // invalid_target

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "oauth/error.hpp"
#include "oauth/token_request.hpp"

namespace signet::oauth {

inline constexpr std::string_view kResourceParam = "resource";
inline constexpr std::string_view kAudienceParam = "audience";

// The requested resources and audiences (deduplicated, in request order), each of which
// must be registered for the client; the client's registered list when none is requested
// (RFC 9068 §3: a default resource when the request names none). invalid_target when a
// resource is not an absolute URI without fragment (RFC 8707 §2), when a value is not
// registered, or when the result would be empty (RFC 9068 §2.2 requires `aud`).
// With `openid` (the grant's scope has it) an empty result is allowed: the access token
// issuer adds the userinfo audience (access_token_issuer.hpp), so an OIDC client needs no
// registered API audience.
[[nodiscard]] Expected<std::vector<std::string>> ResolveAudience(
    const TokenRequest& request, std::span<const std::string> registered, bool openid = false);

// RFC 8707 §2: "an absolute URI, as specified by Section 4.3 of RFC 3986 ... MUST NOT
// include a fragment component".
bool IsAbsoluteUriWithoutFragment(std::string_view text) noexcept;

}  // namespace signet::oauth

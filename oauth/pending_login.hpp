#pragma once
// The authorization request a login form is waiting on (issue 6 point 2), carried by the form
// itself instead of being stored: the hidden `request_id` field is
//
//   <issued, unix seconds> "." BASE64URL(the request's encoded parameters)
//
// and the form's CSRF token (oauth/login_csrf.hpp) is an HMAC over exactly that text and the
// browser's binding cookie. So nothing is written to the store before the user logs in (a
// crawler opening authorize URLs costs no Redis memory), any replica can take the POST, and
// the parameters cannot be changed in the form without breaking the token. On the POST the
// parameters are parsed and validated again, as if the request had just arrived.
//
// A form is accepted for kLoginFormLifetime after it was served: long enough to look up a
// password, short enough that an old tab does not log in with a request made hours ago.
//
// Usage:
//   std::string id = oauth::EncodePendingLogin(query, now);
//   ... later, on the POST, after the CSRF token verified against `id` ...
//   auto query = oauth::DecodePendingLogin(id, now);   // nullopt: expired or malformed

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace signet::oauth {

inline constexpr std::chrono::seconds kLoginFormLifetime{30 * 60};

std::string EncodePendingLogin(std::string_view encoded_request,
                               std::chrono::system_clock::time_point now);

// The encoded request, or nullopt when `request_id` is malformed, older than
// kLoginFormLifetime, or dated more than a minute into the future (replicas' clocks differ a
// little, never by that much).
[[nodiscard]] std::optional<std::string> DecodePendingLogin(
    std::string_view request_id, std::chrono::system_clock::time_point now);

}  // namespace signet::oauth

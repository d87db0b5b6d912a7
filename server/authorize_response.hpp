#pragma once
// HTTP for the outcomes of oauth/authorization_request.hpp: the redirect back to the client and
// the error page for requests that must not redirect (RFC 6749 §4.1.2.1).
//
//   - Redirects are 302 Found for GET (RFC 6749 §4.1.2 example) and 303 See Other for POST,
//     so the browser does not re-post the login form (with the password) to the client
//     (RFC 9700 §4.11). Cache-Control: no-store (the URL carries a code) and
//     Referrer-Policy: no-referrer (the client's page does not learn signet's URL).
//   - A page error is 400 with the error page of server/login_page.hpp.
//
// Usage:
//   auto parsed = oauth::ParseAuthorizationRequest(query, registry);
//   if (!parsed) return server::AuthorizeErrorResponse(request, parsed.error(), config.issuer);
//   ...
//   return server::RedirectResponse(request, oauth::CodeRedirectUrl(*parsed, code, issuer));

#include <string_view>

#include "oauth/authorization_request.hpp"
#include "server/http_types.hpp"

namespace signet::server {

Response RedirectResponse(const Request& request, std::string_view location);

// A redirect to ErrorRedirectUrl() when the error is Redirectable(), else a 400 error page
// naming the error (descriptions are signet's own text, HTML-escaped).
Response AuthorizeErrorResponse(const Request& request, const oauth::AuthorizeError& error,
                                std::string_view issuer);

}  // namespace signet::server

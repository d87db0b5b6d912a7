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

#include <cstddef>
#include <string_view>

#include "oauth/authorization_request.hpp"
#include "server/http_types.hpp"

namespace signet::server {

Response RedirectResponse(const Request& request, std::string_view location);

// A POST from another site carries no SameSite=Lax cookie, so the session would go unseen
// (no single sign-on, a logout that ends nothing). Such a POST without the session cookie is
// answered with a 303 to the same parameters as a GET query, a top-level navigation that
// does carry it (OIDC Core §3.1.2.1 and RP-Initiated Logout §2 accept GET as well).
// `relative_path` is the endpoint's last segment ("authorize"), resolved against the request's
// own URL so an issuer path prefix is kept. Only for bodies up to kMaxRepostedBody: the GET
// must fit in the 8 KiB request header.
inline constexpr std::size_t kMaxRepostedBody = 4096;
bool ShouldRepostAsGet(const Request& request, std::string_view body, bool has_session_cookie);
Response RepostAsGet(const Request& request, std::string_view relative_path,
                     std::string_view body);

// A redirect to ErrorRedirectUrl() when the error is Redirectable(), else a 400 error page
// naming the error (descriptions are signet's own text, HTML-escaped).
Response AuthorizeErrorResponse(const Request& request, const oauth::AuthorizeError& error,
                                std::string_view issuer);

}  // namespace signet::server

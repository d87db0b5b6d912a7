#pragma once
// The login page of the authorization endpoint (issue 6 point 2) and the error page shown when
// an authorization request cannot be sent back to its client (RFC 6749 §4.1.2.1).
//
// One self-contained HTML document: no script, no external resource, one inline <style>
// allowed by its SHA-256 hash in the Content-Security-Policy; a viewport meta and a fluid
// layout so it reads on a phone. Every interpolated value is HTML-escaped (HtmlEscape), in
// text and in attribute values alike.
//
// Headers on both pages (SetPageSecurityHeaders):
//   Content-Security-Policy: default-src 'none'; style-src 'sha256-...'; form-action 'self'
//                            [origin]; frame-ancestors 'none'; base-uri 'none'
//   X-Frame-Options: DENY, Cache-Control: no-store, Pragma: no-cache,
//   Referrer-Policy: no-referrer, X-Content-Type-Options: nosniff
// form-action and redirects: Chromium applies form-action to the redirects that follow a form
// submission, so when the login POST answers with a redirect to the client's redirect URI,
// that URI's origin must be in form-action too. LoginPage::redirect_origin carries it
// (FormActionSource() derives it from the validated redirect URI).
//
// Usage:
//   server::LoginPage page{.request_id = id, .csrf_token = token, .client_id = client.client_id,
//                          .redirect_origin = *server::FormActionSource(request.redirect_uri)};
//   return server::LoginPageResponse(http_request, page);
//   ...
//   page.message = server::kLoginFailedMessage;  page.username = form_username;
//   return server::LoginPageResponse(http_request, page, http::status::unauthorized);

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "server/http_types.hpp"

namespace signet::server {

// Form field names (the interface contract: fields `username` and `password`).
inline constexpr std::string_view kLoginUsernameField = "username";
inline constexpr std::string_view kLoginPasswordField = "password";
inline constexpr std::string_view kLoginRequestIdField = "request_id";  // pending request
inline constexpr std::string_view kLoginCsrfField = "csrf_token";

// Says that the login failed without telling which of the two fields was wrong (issue 6).
inline constexpr std::string_view kLoginFailedMessage = "Wrong username or password.";
// "Too many attempts, try again in N s." (N >= 1).
std::string TooManyAttemptsMessage(std::chrono::seconds retry_after);

struct LoginPage {
  // Where the form posts: relative, so that it resolves to the page's own path, which keeps
  // an issuer with a path prefix behind an ingress (https://example.com/id) working.
  std::string_view action = "authorize";
  std::string_view request_id;                    // opaque pending-request id (hidden)
  std::string_view csrf_token;                    // oauth::LoginCsrf token (hidden)
  std::string_view client_id;                     // shown as "to continue to ..."
  std::string_view username;                      // refilled after a failure
  std::string_view message;                       // "" or an error message for the user
  std::string_view redirect_origin;               // extra form-action source; may be empty
};

// The sign-out confirmation (OIDC RP-Initiated Logout 1.0 §2: ask the user when the request
// does not prove it comes from the session's relying party). Hidden fields carry the
// request's redirect parameters back; empty ones are left out.
struct LogoutConfirmPage {
  std::string_view action = "logout";  // relative, as LoginPage::action
  std::string_view csrf_token;
  std::string_view client_id;
  std::string_view post_logout_redirect_uri;
  std::string_view state;
  std::string_view redirect_origin;  // form-action source of post_logout_redirect_uri
};

// & < > " ' -> entities; safe in element text and in quoted attribute values.
std::string HtmlEscape(std::string_view text);

std::string RenderLoginPage(const LoginPage& page);
std::string RenderErrorPage(std::string_view title, std::string_view message);
std::string RenderLogoutConfirmPage(const LogoutConfirmPage& page);

// The page's CSP; `extra_form_action` (a source from FormActionSource, or "") is appended to
// form-action.
std::string PageContentSecurityPolicy(std::string_view extra_form_action = {});

// The CSP source for a redirect URI: "https://app.example:8443" for http(s) URIs (the origin),
// "com.example.app:" for a private-use scheme (RFC 8252 §7.1); nullopt when the URI has no
// usable scheme/authority or contains characters a CSP source may not.
std::optional<std::string> FormActionSource(std::string_view redirect_uri);

void SetPageSecurityHeaders(Response& response, std::string_view extra_form_action = {});

// text/html; charset=utf-8 with the headers above.
Response LoginPageResponse(const Request& request, const LoginPage& page,
                           http::status status = http::status::ok);
Response LogoutConfirmPageResponse(const Request& request, const LogoutConfirmPage& page);
// "You are signed out." (200), after a logout without post_logout_redirect_uri.
Response SignedOutPageResponse(const Request& request);
// For errors that must not redirect (unknown client, unregistered redirect_uri, ...).
Response ErrorPageResponse(const Request& request, http::status status, std::string_view title,
                           std::string_view message);

}  // namespace signet::server

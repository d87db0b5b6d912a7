#pragma once
// The logic of /oauth2/authorize (issue 6 points 1-4), without HTTP: the authorization request,
// the login form's POST, the single-sign-on session and the code.
//
// An authorization request (GET query or POST form, OIDC Core §3.1.2.1):
//   1. parsed and validated (oauth/authorization_request.hpp): errors become an error page or
//      a redirect to the client;
//   2. the browser's session cookie names a live session (store::SessionStore, Redis when
//      configured, so any replica continues it) that is usable: not prompt=login, within
//      max_age, its user still configured and not cut off by `signet revoke --sub` since the
//      login -> a code at once (single sign-on: no page at all);
//   3. otherwise prompt=none -> login_required back to the client (OIDC Core §3.1.2.6);
//   4. otherwise the login page, carrying the request (oauth/pending_login.hpp) and a CSRF
//      token bound to a per-browser cookie (oauth/login_csrf.hpp).
// The login POST (fields request_id, csrf_token, username, password):
//   1. the CSRF token must verify against request_id and the binding cookie, and the form be
//      younger than kLoginFormLifetime; otherwise an error page (no redirect: nothing in the
//      form can be trusted);
//   2. the request is validated again (step 1 above);
//   3. oauth::PasswordLogin, the same check and the same guessing limits as the password
//      grant: a wrong username or password shows the form again with one message for both
//      (401), past the limit with "try again in N s" (429 + Retry-After);
//   4. a new session (a fresh cookie value: a session id set before the login is never
//      promoted, so a planted cookie cannot fixate one) with an absolute lifetime of
//      login.session_ttl; a previous session of this browser is ended;
//   5. a code, then the redirect (303 from the POST).
// Codes (RFC 6749 §4.1.2): 32 random bytes, only their SHA-256 stored, valid kCodeLifetime,
// bound to client, redirect URI, PKCE challenge, nonce, subject, auth_time and sid; the token
// endpoint consumes them (grant_authorization_code.hpp).
//
// A store failure answers temporarily_unavailable to the client (a redirect, RFC 6749
// §4.1.2.1) or a 503 page, never "no session" (that would silently log the user out).
//
// Usage (server/authorize_endpoint.cpp):
//   auto outcome = co_await service.HandleRequest(query, cookies);
//   auto outcome = co_await service.HandleLogin(form, cookies, peer_ip);
//   then: outcome.location -> redirect; outcome.login -> login page; outcome.error -> page.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "config/config.hpp"
#include "oauth/authorization_request.hpp"
#include "oauth/client_registry.hpp"
#include "oauth/clock.hpp"
#include "oauth/form.hpp"
#include "oauth/login_csrf.hpp"
#include "oauth/password_login.hpp"
#include "store/authorization_code_store.hpp"
#include "store/revocation_store.hpp"
#include "store/session_store.hpp"

namespace signet::oauth {

// RFC 6749 §4.1.2: "A maximum authorization code lifetime of 10 minutes is RECOMMENDED";
// issue 6 asks for at most 60 s. A browser redirect and a back-channel exchange take well
// under a second.
inline constexpr std::chrono::seconds kCodeLifetime{60};

struct AuthorizeServiceDeps {
  const ClientRegistry* registry = nullptr;        // must outlive the service
  const PasswordLogin* password_login = nullptr;   // must outlive the service
  std::unique_ptr<LoginCsrf> csrf;                 // owned
  store::AuthorizationCodeStore* codes = nullptr;  // must outlive the service
  store::SessionStore* sessions = nullptr;         // must outlive the service
  store::RevocationStore* revocations = nullptr;   // subject cut-offs; must outlive it
  Clock clock = SystemClock();
  std::chrono::seconds session_ttl{12 * 3600};  // login.session_ttl
};

// The cookies signet reads, by role ("" when the browser sent none).
struct BrowserCookies {
  std::string session;  // the login session's id
  std::string binding;  // the random value the login form's CSRF token is bound to
};

// Why the login form is shown again (the server words the message).
enum class LoginFailure {
  kNone,               // first display
  kMissingFields,      // username or password empty (400)
  kWrongCredentials,   // unknown user or wrong password: one message for both (401)
  kTooManyAttempts,    // past login.max_failures_*: 429 with Retry-After
  kUnavailable,        // a store or the argon2 pool could not answer (503)
};

// The login form to show (server/login_page.hpp renders it).
struct LoginFormState {
  std::string request_id;
  std::string csrf_token;
  std::string client_id;
  std::string redirect_uri;  // for the page's form-action (Chromium applies it to redirects)
  std::string username;      // refilled after a failed attempt
  LoginFailure failure = LoginFailure::kNone;
  std::chrono::seconds retry_after{0};  // with kTooManyAttempts
};

// Exactly one of location, login and error is set.
struct AuthorizeOutcome {
  std::optional<std::string> location;     // redirect to the client (code or error)
  std::optional<LoginFormState> login;     // show the login form
  std::optional<AuthorizeError> error;     // a 400 page error (never Redirectable())

  // Cookies to set along with the answer.
  std::optional<std::string> new_binding;  // set the binding cookie to this value
  std::optional<std::string> new_session;  // set the session cookie to this value
  std::chrono::seconds session_max_age{0};  // with new_session
  bool clear_session = false;               // the browser's session cookie names no session
  bool single_sign_on = false;              // a code from an existing session, no login

  // For the log line (never a secret): the registered client, the user after a login, and
  // what happened ("code", "sso", "login page", "login failed", ...).
  std::string client_id;
  std::string subject;
  std::string event;
  std::string debug;
};

class AuthorizeService {
 public:
  // `config` must outlive the service. server_error when a dependency is missing.
  [[nodiscard]] static Expected<std::unique_ptr<AuthorizeService>> Create(
      const config::Config& config, AuthorizeServiceDeps deps);

  // An authorization request: `encoded` is the query (GET) or the form body (POST).
  [[nodiscard]] boost::asio::awaitable<AuthorizeOutcome> HandleRequest(
      std::string_view encoded, BrowserCookies cookies) const;

  // The login form's POST.
  [[nodiscard]] boost::asio::awaitable<AuthorizeOutcome> HandleLogin(
      const FormParams& form, BrowserCookies cookies, std::string client_ip) const;

  // True when a POST body is the login form rather than an authorization request.
  static bool IsLoginForm(const FormParams& form) noexcept;

 private:
  AuthorizeService(const config::Config& config, AuthorizeServiceDeps deps)
      : config_(config), deps_(std::move(deps)) {}

  boost::asio::awaitable<AuthorizeOutcome> ForParsed(const AuthorizationRequest& request,
                                                     std::string_view encoded,
                                                     BrowserCookies cookies) const;
  AuthorizeOutcome ErrorOutcome(const AuthorizeError& error) const;
  AuthorizeOutcome LoginForm(const AuthorizationRequest& request, std::string_view encoded,
                             const BrowserCookies& cookies) const;
  // Whether `session` may answer `request` without a login (prompt, max_age, the user).
  boost::asio::awaitable<store::Result<bool>> Usable(const AuthorizationRequest& request,
                                                     const store::LoginSession& session) const;
  boost::asio::awaitable<AuthorizeOutcome> IssueCode(const AuthorizationRequest& request,
                                                     const store::LoginSession& session) const;

  const config::Config& config_;
  AuthorizeServiceDeps deps_;
};

}  // namespace signet::oauth

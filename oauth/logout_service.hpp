#pragma once
// The logic of /oauth2/logout (issue 6 point 6, OIDC RP-Initiated Logout 1.0), without HTTP.
//
//   1. The request is validated by oauth/logout_request.hpp: a bad id_token_hint, client_id
//      or post_logout_redirect_uri is an error page, never a redirect.
//   2. The browser's session (its cookie) is looked up. None (or already ended): nothing to
//      end; the browser goes on to the registered post_logout_redirect_uri or sees the
//      "signed out" page.
//   3. A verified id_token_hint for the session's user: the session ends at once.
//      Anything else (no hint, client_id only, a hint for another user) asks the user first
//      (§2: the OP "SHOULD ask the End-User whether to log out"), so a third-party page cannot
//      log a user out with a bare link: a confirmation page whose form posts back here with a
//      CSRF token bound to the session cookie (oauth/login_csrf.hpp) and to the redirect
//      parameters it carries.
//   4. Ending a session removes it from the store (Redis when configured): every replica
//      forgets it at once; the next authorize request shows the login page. The refresh
//      token families started in that session (at the code exchange, carrying its `sid`)
//      are revoked with it, as Keycloak does: a logout ends what the session started, for
//      every client of the session. Access tokens already issued stay valid until they
//      expire (they are self-contained JWTs; `signet revoke` is the tool for those). Should
//      the refresh token store fail after the session has ended, the logout still completes
//      and the failure goes to the log line (`debug`).
//
// Usage (server/logout_endpoint.cpp):
//   auto outcome = co_await service.Handle(params, cookies.session);            // GET
//   auto outcome = co_await service.HandleConfirmation(form, cookies.session);  // the form

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "config/config.hpp"
#include "oauth/access_token_verifier.hpp"
#include "oauth/client_registry.hpp"
#include "oauth/clock.hpp"
#include "oauth/form.hpp"
#include "oauth/login_csrf.hpp"
#include "oauth/logout_request.hpp"
#include "store/refresh_token_store.hpp"
#include "store/session_store.hpp"

namespace signet::oauth {

struct LogoutServiceDeps {
  const ClientRegistry* registry = nullptr;            // must outlive the service
  VerificationKeysFn keys;                             // the ring's keys, for id_token_hint
  const LoginCsrf* csrf = nullptr;                     // must outlive the service
  store::SessionStore* sessions = nullptr;             // must outlive the service
  store::RefreshTokenStore* refresh_tokens = nullptr;  // must outlive the service
  Clock clock = SystemClock();
};

// The confirmation form: hidden fields the POST carries back.
struct LogoutConfirmation {
  std::string csrf_token;
  std::string client_id;                 // "" when none
  std::string post_logout_redirect_uri;  // "" when none
  std::string state;                     // "" when none
};

// Exactly one of location, confirm, signed_out and error is meaningful.
struct LogoutOutcome {
  std::optional<std::string> location;        // to the client's post_logout_redirect_uri
  std::optional<LogoutConfirmation> confirm;  // ask the user first
  std::optional<LogoutError> error;           // a 400 error page
  bool signed_out = false;                    // the "you are signed out" page
  bool unavailable = false;                   // the session store failed: 503 page
  bool clear_session = false;                 // expire the browser's session cookie
  bool ended_session = false;                 // a live session was ended
  // For the log line (never a secret).
  std::string client_id;
  std::string subject;
  std::string event;
  std::string debug;
};

class LogoutService {
 public:
  [[nodiscard]] static Expected<std::unique_ptr<LogoutService>> Create(const config::Config& config,
                                                                       LogoutServiceDeps deps);

  // A logout request (GET query, or a POST form without csrf_token).
  [[nodiscard]] boost::asio::awaitable<LogoutOutcome> Handle(FormParams params,
                                                             std::string session_cookie) const;
  // The confirmation form's POST (it carries csrf_token).
  [[nodiscard]] boost::asio::awaitable<LogoutOutcome> HandleConfirmation(
      FormParams form, std::string session_cookie) const;

  static bool IsConfirmation(const FormParams& form) noexcept;

 private:
  LogoutService(const config::Config& config, LogoutServiceDeps deps)
      : config_(config), deps_(std::move(deps)) {}

  // Ends the session (if any) and sends the browser on.
  boost::asio::awaitable<LogoutOutcome> End(const LogoutRequest& request,
                                            const std::string& session_cookie) const;
  // Revokes the refresh token families of the ended session `sid` (point 4). Returns the
  // text for the log line (`debug`): how many, or why none were (never an error: see .cpp).
  boost::asio::awaitable<std::string> RevokeRefreshTokens(std::string sid) const;
  std::string ConfirmationContext(const LogoutConfirmation& form) const;

  const config::Config& config_;
  LogoutServiceDeps deps_;
};

}  // namespace signet::oauth

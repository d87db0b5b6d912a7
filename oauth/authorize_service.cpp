#include "oauth/authorize_service.hpp"

#include <utility>

#include "oauth/opaque_secret.hpp"
#include "oauth/pending_login.hpp"
#include "oauth/scope.hpp"

namespace signet::oauth {
namespace {

using Time = std::chrono::system_clock::time_point;

// A login form field sent exactly once and not empty (an empty field counts as missing).
std::optional<std::string_view> FilledField(const FormParams& form, std::string_view name) {
  auto value = SingleValue(form, name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

Time Now(const Clock& clock) { return std::chrono::floor<std::chrono::seconds>(clock()); }

AuthorizeError ExpiredFormError(std::string debug) {
  return {.code = AuthorizeErrorCode::kInvalidRequest,
          .description =
              "the sign-in form has expired or was not opened in this browser; go back to the "
              "application and sign in again",
          .debug = std::move(debug),
          .redirect_uri = {},  // a page: nothing in the form can be trusted to redirect to
          .state = std::nullopt};
}

}  // namespace

Expected<std::unique_ptr<AuthorizeService>> AuthorizeService::Create(const config::Config& config,
                                                                      AuthorizeServiceDeps deps) {
  if (deps.registry == nullptr || deps.password_login == nullptr || !deps.csrf ||
      deps.codes == nullptr || deps.sessions == nullptr || deps.revocations == nullptr ||
      !deps.clock || deps.session_ttl <= std::chrono::seconds::zero()) {
    return MakeError(ErrorCode::kServerError, "", "authorize service: missing dependency");
  }
  return std::unique_ptr<AuthorizeService>(new AuthorizeService(config, std::move(deps)));
}

bool AuthorizeService::IsLoginForm(const FormParams& form) noexcept {
  for (const auto& [key, value] : form) {
    if (key == "csrf_token" || key == "request_id") return true;
  }
  return false;
}

AuthorizeOutcome AuthorizeService::ErrorOutcome(const AuthorizeError& error) const {
  AuthorizeOutcome outcome;
  outcome.event = "authorize error";
  outcome.debug = error.debug.empty() ? error.description : error.debug;
  if (error.Redirectable()) {
    outcome.location = ErrorRedirectUrl(error, config_.issuer);
  } else {
    outcome.error = error;
  }
  return outcome;
}

boost::asio::awaitable<AuthorizeOutcome> AuthorizeService::HandleRequest(
    std::string_view encoded, BrowserCookies cookies) const {
  auto parsed = ParseAuthorizationRequest(encoded, *deps_.registry);
  if (!parsed) co_return ErrorOutcome(parsed.error());
  co_return co_await ForParsed(*parsed, encoded, std::move(cookies));
}

boost::asio::awaitable<store::Result<bool>> AuthorizeService::Usable(
    const AuthorizationRequest& request, const store::LoginSession& session) const {
  if (request.force_login) co_return false;
  const Time now = Now(deps_.clock);
  // OIDC Core §3.1.2.1 max_age: re-authenticate when the login is older.
  if (request.max_age && now - session.auth_time > *request.max_age) co_return false;
  if (FindUser(config_, session.subject) == nullptr) co_return false;  // user removed
  // `signet revoke --sub` after this login logs the user out everywhere, sessions included.
  auto revoked = co_await deps_.revocations->IsRevoked("", session.subject, session.auth_time, now);
  // (in_place_error: a bool result would take the error_code as a value)
  if (!revoked) co_return store::Result<bool>(boost::system::in_place_error, revoked.error());
  co_return !*revoked;
}

boost::asio::awaitable<AuthorizeOutcome> AuthorizeService::ForParsed(
    const AuthorizationRequest& request, std::string_view encoded, BrowserCookies cookies) const {
  const auto unavailable = [&](std::string debug) {
    AuthorizeOutcome outcome = ErrorOutcome(RedirectError(
        request, AuthorizeErrorCode::kTemporarilyUnavailable,
        "the sign-in service is temporarily unavailable", "session store: " + std::move(debug)));
    outcome.client_id = request.client->client_id;
    return outcome;
  };
  bool clear_session = false;
  if (!cookies.session.empty()) {
    const std::string session_hash = HashOpaqueSecret(cookies.session);
    const Time now = Now(deps_.clock);
    auto found = co_await deps_.sessions->Find(session_hash, now);
    if (!found) co_return unavailable(found.error().message());
    if (*found) {
      auto usable = co_await Usable(request, **found);
      if (!usable) co_return unavailable(usable.error().message());
      if (*usable) {
        auto added = co_await deps_.sessions->AddClient(session_hash, request.client->client_id,
                                                        now);
        if (!added) co_return unavailable(added.error().message());
        if (*added) {
          AuthorizeOutcome outcome = co_await IssueCode(request, **found);
          if (outcome.location && outcome.event == "code") {
            outcome.event = "single sign-on";
            outcome.single_sign_on = true;
          }
          co_return outcome;
        }
      }
    } else {
      clear_session = true;  // ended or expired: the cookie is useless
    }
  }
  if (request.prompt_none) {
    AuthorizeOutcome outcome = ErrorOutcome(RedirectError(
        request, AuthorizeErrorCode::kLoginRequired, "the user is not signed in",
        "prompt=none without a usable session"));
    outcome.client_id = request.client->client_id;
    outcome.clear_session = clear_session;
    co_return outcome;
  }
  AuthorizeOutcome outcome = LoginForm(request, encoded, cookies);
  outcome.clear_session = clear_session;
  co_return outcome;
}

AuthorizeOutcome AuthorizeService::LoginForm(const AuthorizationRequest& request,
                                             std::string_view encoded,
                                             const BrowserCookies& cookies) const {
  std::string binding = cookies.binding;
  if (binding.empty()) {
    auto fresh = NewOpaqueSecret();  // 256 random bits; only their randomness is used here
    if (!fresh) {
      return ErrorOutcome(RedirectError(request, AuthorizeErrorCode::kServerError,
                                        "internal error", "CSPRNG failed"));
    }
    binding = std::move(fresh->token);
  }
  std::string request_id = EncodePendingLogin(encoded, Now(deps_.clock));
  auto csrf = deps_.csrf->Issue(request_id, binding);
  if (!csrf) {
    return ErrorOutcome(
        RedirectError(request, AuthorizeErrorCode::kServerError, "internal error", csrf.error().debug));
  }
  AuthorizeOutcome outcome;
  outcome.client_id = request.client->client_id;
  outcome.event = "login page";
  outcome.login = LoginFormState{.request_id = std::move(request_id),
                                 .csrf_token = std::move(*csrf),
                                 .client_id = request.client->client_id,
                                 .redirect_uri = request.redirect_uri,
                                 .username = {},
                                 .failure = LoginFailure::kNone,
                                 .retry_after = std::chrono::seconds(0)};
  outcome.new_binding = std::move(binding);  // (re)set: its lifetime restarts with the form
  return outcome;
}

boost::asio::awaitable<AuthorizeOutcome> AuthorizeService::HandleLogin(
    const FormParams& form, BrowserCookies cookies, std::string client_ip) const {
  const auto request_id = FilledField(form, "request_id");
  const auto csrf_token = FilledField(form, "csrf_token");
  if (!request_id || !csrf_token) co_return ErrorOutcome(ExpiredFormError("form fields missing"));
  if (cookies.binding.empty()) co_return ErrorOutcome(ExpiredFormError("no binding cookie"));
  if (!deps_.csrf->Verify(*request_id, cookies.binding, *csrf_token)) {
    co_return ErrorOutcome(ExpiredFormError("CSRF token does not verify"));
  }
  const auto encoded = DecodePendingLogin(*request_id, Now(deps_.clock));
  if (!encoded) co_return ErrorOutcome(ExpiredFormError("login form expired"));
  auto parsed = ParseAuthorizationRequest(*encoded, *deps_.registry);
  if (!parsed) co_return ErrorOutcome(parsed.error());
  const AuthorizationRequest& request = *parsed;

  const auto show_again = [&](LoginFailure failure, std::string_view username) {
    AuthorizeOutcome outcome = LoginForm(request, *encoded, cookies);
    if (outcome.login) {
      outcome.login->failure = failure;
      outcome.login->username = std::string(username);
    }
    return outcome;
  };
  const auto username = FilledField(form, "username");
  const auto password = FilledField(form, "password");
  if (!username || !password) {
    AuthorizeOutcome outcome = show_again(LoginFailure::kMissingFields, username.value_or(""));
    outcome.event = "login incomplete";
    co_return outcome;
  }
  // Named operations, not temporaries in co_await expressions (GCC 12; see
  // server/token_endpoint.cpp).
  auto authenticate = deps_.password_login->Authenticate(*username, *password, client_ip);
  auto user = co_await std::move(authenticate);
  if (!user) {
    const Error& error = user.error();
    LoginFailure failure = LoginFailure::kUnavailable;
    if (error.too_many_attempts) {
      failure = LoginFailure::kTooManyAttempts;
    } else if (error.code == ErrorCode::kInvalidGrant) {
      failure = LoginFailure::kWrongCredentials;
    }
    AuthorizeOutcome outcome = show_again(failure, *username);
    if (outcome.login) outcome.login->retry_after = error.retry_after;
    outcome.event = "login failed";
    outcome.debug = error.debug;
    co_return outcome;
  }

  const Time now = Now(deps_.clock);
  if (!cookies.session.empty()) {
    // A new login replaces the browser's old session; a failure here leaves an orphan that
    // expires by itself, so it does not stop the login.
    auto ended = co_await deps_.sessions->End(HashOpaqueSecret(cookies.session));
    (void)ended;
  }
  auto session_id = NewOpaqueSecret();
  auto sid = NewRandomId();
  if (!session_id || !sid) {
    co_return ErrorOutcome(RedirectError(request, AuthorizeErrorCode::kServerError,
                                         "internal error", "CSPRNG failed"));
  }
  store::LoginSession session{.sid = std::move(*sid),
                              .subject = (*user)->username,
                              .auth_time = now,
                              .expires = now + deps_.session_ttl,
                              .client_ids = {request.client->client_id}};
  auto created = co_await deps_.sessions->Create(session_id->hash, session);
  if (!created) {
    AuthorizeOutcome outcome = show_again(LoginFailure::kUnavailable, *username);
    outcome.event = "login failed";
    outcome.debug = "session store: " + created.error().message();
    co_return outcome;
  }
  AuthorizeOutcome outcome = co_await IssueCode(request, session);
  outcome.new_session = std::move(session_id->token);
  outcome.session_max_age = deps_.session_ttl;
  outcome.subject = session.subject;
  outcome.event = outcome.location && outcome.event == "code" ? "login" : outcome.event;
  co_return outcome;
}

boost::asio::awaitable<AuthorizeOutcome> AuthorizeService::IssueCode(
    const AuthorizationRequest& request, const store::LoginSession& session) const {
  auto code = NewOpaqueSecret();  // 32 random bytes, base64url; the store keeps SHA-256 only
  if (!code) {
    co_return ErrorOutcome(RedirectError(request, AuthorizeErrorCode::kServerError,
                                         "internal error", "CSPRNG failed"));
  }
  const Time now = Now(deps_.clock);
  store::AuthorizationGrant grant{.client_id = request.client->client_id,
                                  .redirect_uri = request.redirect_uri,
                                  .code_challenge = request.code_challenge.value_or(""),
                                  .scope = JoinScope(request.scope),
                                  .nonce = request.nonce.value_or(""),
                                  .subject = session.subject,
                                  .auth_time = session.auth_time,
                                  .sid = session.sid,
                                  .expires = now + kCodeLifetime};
  auto issued = co_await deps_.codes->Issue(code->hash, std::move(grant));
  if (!issued) {
    AuthorizeOutcome outcome = ErrorOutcome(RedirectError(
        request, AuthorizeErrorCode::kTemporarilyUnavailable,
        "the sign-in service is temporarily unavailable",
        "code store: " + issued.error().message()));
    outcome.client_id = request.client->client_id;
    co_return outcome;
  }
  AuthorizeOutcome outcome;
  outcome.location = CodeRedirectUrl(request, code->token, config_.issuer);
  outcome.client_id = request.client->client_id;
  outcome.subject = session.subject;
  outcome.event = "code";
  co_return outcome;
}

}  // namespace signet::oauth

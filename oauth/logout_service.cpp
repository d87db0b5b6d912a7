#include "oauth/logout_service.hpp"

#include <chrono>
#include <string>
#include <utility>

#include "oauth/opaque_secret.hpp"

namespace signet::oauth {
namespace {

constexpr std::string_view kCsrfField = "csrf_token";

// Length-prefixed, so no choice of values makes two different forms MAC the same text.
void AppendFramed(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out.push_back(':');
  out.append(field);
}

LogoutError ExpiredConfirmation(std::string debug) {
  return {.code = LogoutErrorCode::kInvalidRequest,
          .description =
              "the sign-out form has expired or was not opened in this browser; sign out from "
              "the application again",
          .debug = std::move(debug)};
}

}  // namespace

Expected<std::unique_ptr<LogoutService>> LogoutService::Create(const config::Config& config,
                                                               LogoutServiceDeps deps) {
  if (deps.registry == nullptr || !deps.keys || deps.csrf == nullptr || deps.sessions == nullptr ||
      deps.refresh_tokens == nullptr || !deps.clock) {
    return MakeError(ErrorCode::kServerError, "", "logout service: missing dependency");
  }
  return std::unique_ptr<LogoutService>(new LogoutService(config, std::move(deps)));
}

bool LogoutService::IsConfirmation(const FormParams& form) noexcept {
  for (const auto& [key, value] : form) {
    if (key == kCsrfField) return true;
  }
  return false;
}

std::string LogoutService::ConfirmationContext(const LogoutConfirmation& form) const {
  std::string context = "logout:";
  AppendFramed(context, form.client_id);
  AppendFramed(context, form.post_logout_redirect_uri);
  AppendFramed(context, form.state);
  return context;
}

boost::asio::awaitable<LogoutOutcome> LogoutService::Handle(FormParams params,
                                                            std::string session_cookie) const {
  const auto now = deps_.clock();
  auto parsed = ParseLogoutRequest(params, *deps_.registry, config_, deps_.keys, now);
  if (!parsed) {
    LogoutOutcome outcome;
    outcome.error = parsed.error();
    outcome.event = "logout error";
    outcome.debug = std::string(LogoutErrorName(parsed.error().code)) + ": " + parsed.error().debug;
    co_return outcome;
  }
  const LogoutRequest& request = *parsed;
  if (session_cookie.empty()) co_return co_await End(request, session_cookie);

  auto found = co_await deps_.sessions->Find(HashOpaqueSecret(session_cookie),
                                             std::chrono::floor<std::chrono::seconds>(now));
  if (!found) {
    LogoutOutcome outcome;
    outcome.unavailable = true;
    outcome.event = "logout failed";
    outcome.debug = "session store: " + found.error().message();
    co_return outcome;
  }
  // No live session, or a verified hint for this session's user: nothing to ask.
  if (!*found || (request.hint_verified && request.hint_subject == (*found)->subject)) {
    co_return co_await End(request, session_cookie);
  }
  LogoutConfirmation confirm{
      .csrf_token = {},
      .client_id = request.client != nullptr ? request.client->client_id : std::string(),
      .post_logout_redirect_uri = request.post_logout_redirect_uri.value_or(""),
      .state = request.state.value_or("")};
  auto token = deps_.csrf->Issue(ConfirmationContext(confirm), session_cookie);
  LogoutOutcome outcome;
  if (!token) {
    outcome.unavailable = true;
    outcome.debug = token.error().debug;
    co_return outcome;
  }
  confirm.csrf_token = std::move(*token);
  outcome.client_id = confirm.client_id;
  outcome.subject = (*found)->subject;
  outcome.confirm = std::move(confirm);
  outcome.event = "logout confirmation";
  co_return outcome;
}

boost::asio::awaitable<LogoutOutcome> LogoutService::HandleConfirmation(
    FormParams form, std::string session_cookie) const {
  const auto field = [&](std::string_view name) {
    return std::string(SingleValue(form, name).value_or(""));
  };
  LogoutConfirmation confirm{.csrf_token = field(kCsrfField),
                             .client_id = field("client_id"),
                             .post_logout_redirect_uri = field("post_logout_redirect_uri"),
                             .state = field("state")};
  LogoutOutcome refused;
  refused.event = "logout error";
  if (session_cookie.empty()) {
    // Already signed out (another tab, or the session expired): nothing to protect; the
    // redirect parameters are still validated below.
  } else if (!deps_.csrf->Verify(ConfirmationContext(confirm), session_cookie,
                                 confirm.csrf_token)) {
    refused.error = ExpiredConfirmation("CSRF token does not verify");
    refused.debug = refused.error->debug;
    co_return refused;
  }
  FormParams params;
  for (auto& [name, value] : form) {
    if (name != kCsrfField) params.emplace_back(std::move(name), std::move(value));
  }
  auto parsed = ParseLogoutRequest(params, *deps_.registry, config_, deps_.keys, deps_.clock());
  if (!parsed) {
    refused.error = parsed.error();
    refused.debug = parsed.error().debug;
    co_return refused;
  }
  co_return co_await End(*parsed, session_cookie);
}

boost::asio::awaitable<LogoutOutcome> LogoutService::End(const LogoutRequest& request,
                                                         const std::string& session_cookie) const {
  LogoutOutcome outcome;
  outcome.client_id = request.client != nullptr ? request.client->client_id : std::string();
  outcome.event = "logout";
  if (!session_cookie.empty()) {
    auto ended = co_await deps_.sessions->End(HashOpaqueSecret(session_cookie));
    if (!ended) {
      // The session may live on: say so instead of pretending the user is signed out.
      outcome.unavailable = true;
      outcome.event = "logout failed";
      outcome.debug = "session store: " + ended.error().message();
      co_return outcome;
    }
    outcome.clear_session = true;
    if (*ended) {
      outcome.subject = (*ended)->subject;
      outcome.ended_session = true;
      outcome.debug = co_await RevokeRefreshTokens((*ended)->sid);
    }
  }
  if (request.post_logout_redirect_uri) {
    outcome.location = LogoutRedirectUrl(request);
  } else {
    outcome.signed_out = true;
  }
  co_return outcome;
}

boost::asio::awaitable<std::string> LogoutService::RevokeRefreshTokens(std::string sid) const {
  const auto now = std::chrono::floor<std::chrono::seconds>(deps_.clock());
  auto revoked = co_await deps_.refresh_tokens->RevokeSession(std::move(sid), now);
  if (!revoked) {
    // The session is already gone from the store, so the user is signed out whatever
    // happens here; answering 503 would only make the browser retry a logout that has
    // nothing left to end. The families stay usable until they expire or are revoked
    // (/oauth2/revoke, `signet revoke --sub`): say so in the log line.
    co_return "session ended, but its refresh tokens were not revoked: refresh token store: " +
        revoked.error().message();
  }
  if (*revoked == 0) co_return std::string();
  co_return "revoked " + std::to_string(*revoked) + " refresh token families of the session";
}

}  // namespace signet::oauth

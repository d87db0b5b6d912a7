#include "server/authorize_endpoint.hpp"

#include <utility>

#include <spdlog/spdlog.h>

#include "server/authorize_response.hpp"
#include "server/logging.hpp"
#include "server/metrics.hpp"
#include "server/login_page.hpp"

namespace signet::server {
namespace {

struct FailureText {
  http::status status;
  std::string message;
};

FailureText DescribeFailure(const oauth::LoginFormState& login) {
  switch (login.failure) {
    case oauth::LoginFailure::kNone: return {http::status::ok, ""};
    case oauth::LoginFailure::kMissingFields:
      return {http::status::bad_request, "Enter your username and password."};
    case oauth::LoginFailure::kWrongCredentials:
      return {http::status::unauthorized, std::string(kLoginFailedMessage)};
    case oauth::LoginFailure::kTooManyAttempts:
      return {http::status::too_many_requests, TooManyAttemptsMessage(login.retry_after)};
    case oauth::LoginFailure::kUnavailable: break;
  }
  return {http::status::service_unavailable,
          "Sign-in is temporarily unavailable. Try again in a moment."};
}

}  // namespace

boost::asio::awaitable<Response> AuthorizeEndpoint::Handle(const Request& request,
                                                           RequestContext& context) const {
  oauth::BrowserCookies cookies = cookies_.Read(request);
  oauth::AuthorizeOutcome outcome;
  if (request.method() == http::verb::post) {
    const std::string_view body =
        IsFormUrlEncoded(HeaderValue(request, http::field::content_type))
            ? std::string_view(request.body())
            : std::string_view();
    auto form = oauth::ParseForm(body);
    if (form && !oauth::AuthorizeService::IsLoginForm(*form) &&
        ShouldRepostAsGet(request, body, !cookies.session.empty())) {
      co_return RepostAsGet(request, "authorize", body);
    }
    if (form && oauth::AuthorizeService::IsLoginForm(*form)) {
      // Named operations, not temporaries in co_await expressions (GCC 12; see
      // server/token_endpoint.cpp).
      auto login = service_.HandleLogin(*form, std::move(cookies), context.peer_ip);
      outcome = co_await std::move(login);
    } else {
      auto handled = service_.HandleRequest(body, std::move(cookies));
      outcome = co_await std::move(handled);
    }
  } else {
    auto handled = service_.HandleRequest(
        TargetQuery({request.target().data(), request.target().size()}), std::move(cookies));
    outcome = co_await std::move(handled);
  }
  context.client_id = outcome.client_id;
  const bool failed = outcome.error || (outcome.login && outcome.login->failure !=
                                                             oauth::LoginFailure::kNone);
  LogEvent(failed ? spdlog::level::info : spdlog::level::debug, "authorize",
           {{"event", outcome.event},
            {"client_id", outcome.client_id},
            {"sub", outcome.subject},
            {"debug", outcome.debug}});
  Count(outcome);
  co_return ToResponse(request, outcome);
}

void AuthorizeEndpoint::Count(const oauth::AuthorizeOutcome& outcome) const {
  if (metrics_ == nullptr) return;
  if (outcome.single_sign_on) metrics_->RecordSingleSignOn();
  if (outcome.new_session) {
    metrics_->RecordLogin(LoginResult::kSuccess);
    return;
  }
  if (!outcome.login) return;
  switch (outcome.login->failure) {
    case oauth::LoginFailure::kNone:
    case oauth::LoginFailure::kMissingFields: return;  // no password was checked
    case oauth::LoginFailure::kWrongCredentials:
      metrics_->RecordLogin(LoginResult::kWrongCredentials);
      return;
    case oauth::LoginFailure::kTooManyAttempts:
      metrics_->RecordLogin(LoginResult::kTooManyAttempts);
      return;
    case oauth::LoginFailure::kUnavailable: metrics_->RecordLogin(LoginResult::kUnavailable); return;
  }
}

Response AuthorizeEndpoint::ToResponse(const Request& request,
                                       const oauth::AuthorizeOutcome& outcome) const {
  Response response;
  if (outcome.location) {
    response = RedirectResponse(request, *outcome.location);
  } else if (outcome.login) {
    const oauth::LoginFormState& login = *outcome.login;
    const FailureText failure = DescribeFailure(login);
    const std::string redirect_origin = FormActionSource(login.redirect_uri).value_or("");
    response = LoginPageResponse(request,
                                 LoginPage{.request_id = login.request_id,
                                           .csrf_token = login.csrf_token,
                                           .client_id = login.client_id,
                                           .username = login.username,
                                           .message = failure.message,
                                           .redirect_origin = redirect_origin},
                                 failure.status);
    if (failure.status == http::status::too_many_requests) {
      const auto seconds = std::max<std::chrono::seconds::rep>(login.retry_after.count(), 1);
      response.set(http::field::retry_after, std::to_string(seconds));
    }
  } else {
    response = AuthorizeErrorResponse(
        request, outcome.error.value_or(oauth::AuthorizeError{}), issuer_);
  }
  if (outcome.new_binding) cookies_.SetBinding(response, *outcome.new_binding);
  if (outcome.new_session) {
    cookies_.SetSession(response, *outcome.new_session, outcome.session_max_age);
  } else if (outcome.clear_session) {
    cookies_.ClearSession(response);
  }
  return response;
}

}  // namespace signet::server

#include "server/logout_endpoint.hpp"

#include <utility>

#include <spdlog/spdlog.h>

#include "server/authorize_response.hpp"
#include "server/logging.hpp"
#include "server/metrics.hpp"
#include "server/login_page.hpp"

namespace signet::server {
namespace {

std::string_view Parameters(const Request& request) {
  if (request.method() == http::verb::post) {
    return IsFormUrlEncoded(HeaderValue(request, http::field::content_type))
               ? std::string_view(request.body())
               : std::string_view();
  }
  return TargetQuery({request.target().data(), request.target().size()});
}

}  // namespace

boost::asio::awaitable<Response> LogoutEndpoint::Handle(const Request& request,
                                                        RequestContext& context) const {
  const std::string_view encoded = Parameters(request);
  auto params = oauth::ParseForm(encoded);
  if (!params) {
    co_return ErrorPageResponse(request, http::status::bad_request, "Sign-out error",
                                "The application sent an invalid sign-out request.");
  }
  std::string session = cookies_.Read(request).session;
  const bool confirmation = oauth::LogoutService::IsConfirmation(*params);
  if (!confirmation && ShouldRepostAsGet(request, encoded, !session.empty())) {
    co_return RepostAsGet(request, "logout", encoded);
  }
  oauth::LogoutOutcome outcome;
  // Named operations, not temporaries in co_await expressions (GCC 12; see
  // server/token_endpoint.cpp).
  if (request.method() == http::verb::post && confirmation) {
    auto confirmed = service_.HandleConfirmation(std::move(*params), std::move(session));
    outcome = co_await std::move(confirmed);
  } else {
    auto handled = service_.Handle(std::move(*params), std::move(session));
    outcome = co_await std::move(handled);
  }
  context.client_id = outcome.client_id;
  // info for failures, and for a logout whose refresh tokens could not all be revoked (debug
  // says why); debug for the ordinary case.
  const bool notable = outcome.error || outcome.unavailable || !outcome.debug.empty();
  LogEvent(notable ? spdlog::level::info : spdlog::level::debug,
           "logout",
           {{"event", outcome.event},
            {"client_id", outcome.client_id},
            {"sub", outcome.subject},
            {"debug", outcome.debug}});
  if (metrics_ != nullptr && outcome.ended_session) metrics_->RecordLogout();
  co_return ToResponse(request, outcome);
}

Response LogoutEndpoint::ToResponse(const Request& request,
                                    const oauth::LogoutOutcome& outcome) const {
  Response response;
  if (outcome.error) {
    response = ErrorPageResponse(request, http::status::bad_request, "Sign-out error",
                                 "The application sent an invalid sign-out request (" +
                                     outcome.error->description + ").");
  } else if (outcome.unavailable) {
    response = ErrorPageResponse(request, http::status::service_unavailable, "Sign-out error",
                                 "Signing out is temporarily unavailable. Try again in a moment.");
  } else if (outcome.confirm) {
    const oauth::LogoutConfirmation& confirm = *outcome.confirm;
    const std::string origin =
        FormActionSource(confirm.post_logout_redirect_uri).value_or("");
    response = LogoutConfirmPageResponse(
        request, LogoutConfirmPage{.csrf_token = confirm.csrf_token,
                                   .client_id = confirm.client_id,
                                   .post_logout_redirect_uri = confirm.post_logout_redirect_uri,
                                   .state = confirm.state,
                                   .redirect_origin = origin});
  } else if (outcome.location) {
    response = RedirectResponse(request, *outcome.location);
  } else {
    response = SignedOutPageResponse(request);
  }
  if (outcome.clear_session) cookies_.ClearSession(response);
  return response;
}

}  // namespace signet::server

#include "server/introspect_endpoint.hpp"

#include <string>

#include <spdlog/spdlog.h>

#include "server/logging.hpp"
#include "server/metrics.hpp"
#include "server/oauth_error_response.hpp"
#include "server/token_endpoint.hpp"

namespace signet::server {

boost::asio::awaitable<Response> IntrospectEndpoint::Handle(const Request& request,
                                                            RequestContext& context) const {
  // RFC 7662 §2.1: the parameters use the application/x-www-form-urlencoded format.
  if (auto rejected = RejectUnlessForm(request)) co_return std::move(*rejected);
  // A named operation, not a temporary in the co_await expression (GCC 12; see
  // server/token_endpoint.cpp).
  auto handled = service_.HandleForm(request.body(),
                                     std::string(HeaderValue(request, http::field::authorization)),
                                     context.peer_ip);
  oauth::IntrospectionOutcome outcome = co_await std::move(handled);
  context.client_id = outcome.client_id;
  if (!outcome.response) {
    const oauth::Error& error = outcome.response.error();
    LogEvent(spdlog::level::info, "introspection rejected",
             {{"error", oauth::ErrorName(error.code)},
              {"debug", error.debug},
              {"client_id", outcome.client_id}});
    if (metrics_ != nullptr) metrics_->RecordIntrospection(IntrospectionResult::kError);
    co_return OAuthErrorResponse(request, error);
  }
  if (metrics_ != nullptr) {
    metrics_->RecordIntrospection(outcome.active ? IntrospectionResult::kActive
                                                 : IntrospectionResult::kInactive);
  }
  Response response = JsonResponse(request, http::status::ok, std::move(*outcome.response));
  SetNoStore(response);
  co_return response;
}

}  // namespace signet::server

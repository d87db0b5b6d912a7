#include "server/userinfo_endpoint.hpp"

#include <string>

#include <spdlog/spdlog.h>

#include "server/logging.hpp"
#include "server/oauth_error_response.hpp"

namespace signet::server {
namespace {

bool IsFormPost(const Request& request) {
  if (request.method() != http::verb::post) return false;
  return IsFormUrlEncoded(HeaderValue(request, http::field::content_type));
}

}  // namespace

boost::asio::awaitable<Response> UserinfoEndpoint::Handle(const Request& request,
                                                          RequestContext& context) const {
  // Only a form body can carry access_token (RFC 6750 §2.2); any other body is ignored.
  const std::string_view body = IsFormPost(request) ? std::string_view(request.body()) : "";
  // A named operation, not a temporary in the co_await expression (GCC 12; see
  // server/token_endpoint.cpp).
  auto handled = service_.Handle(HeaderValue(request, http::field::authorization), body);
  oauth::UserinfoOutcome outcome = co_await std::move(handled);
  context.client_id = outcome.client_id;
  if (!outcome.response) {
    const oauth::Error& error = outcome.response.error();
    LogEvent(spdlog::level::info, "userinfo rejected",
             {{"error", error.bearer_token_missing ? std::string_view("no token")
                                                   : oauth::ErrorName(error.code)},
              {"debug", error.debug},
              {"client_id", outcome.client_id}});
    co_return OAuthErrorResponse(request, error);
  }
  Response response = JsonResponse(request, http::status::ok, std::move(*outcome.response));
  SetNoStore(response);
  co_return response;
}

}  // namespace signet::server

#include "server/revoke_endpoint.hpp"

#include <string>

#include <spdlog/spdlog.h>

#include "server/logging.hpp"
#include "server/metrics.hpp"
#include "server/oauth_error_response.hpp"
#include "server/token_endpoint.hpp"

namespace signet::server {

boost::asio::awaitable<Response> RevokeEndpoint::Handle(const Request& request,
                                                        RequestContext& context) const {
  // RFC 7009 §2.1: the parameters use the application/x-www-form-urlencoded format.
  if (auto rejected = RejectUnlessForm(request)) co_return std::move(*rejected);
  // A named operation, not a temporary in the co_await expression (GCC 12; see
  // server/token_endpoint.cpp).
  auto handled = service_.HandleForm(request.body(),
                                     std::string(HeaderValue(request, http::field::authorization)),
                                     context.peer_ip);
  oauth::RevocationOutcome outcome = co_await std::move(handled);
  context.client_id = outcome.client_id;
  if (!outcome.response) {
    const oauth::Error& error = outcome.response.error();
    LogEvent(spdlog::level::info, "revocation rejected",
             {{"error", oauth::ErrorName(error.code)},
              {"debug", error.debug},
              {"client_id", outcome.client_id}});
    co_return OAuthErrorResponse(request, error);
  }
  if (outcome.jti.empty()) {
    LogEvent(spdlog::level::debug, "nothing revoked",
             {{"client_id", outcome.client_id}, {"reason", outcome.nothing_revoked_reason}});
  } else {
    LogEvent(spdlog::level::info, "token revoked",
             {{"client_id", outcome.client_id}, {"jti", outcome.jti}});
    if (metrics_ != nullptr) metrics_->RecordRevocation();
  }
  // RFC 7009 §2.2: 200; "the content of the response body is ignored by the client".
  Response response = MakeResponse(request, http::status::ok, {}, {});
  SetNoStore(response);
  co_return response;
}

}  // namespace signet::server

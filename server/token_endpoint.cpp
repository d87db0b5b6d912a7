#include "server/token_endpoint.hpp"

#include <string>

#include <spdlog/spdlog.h>

#include "oauth/token_response.hpp"
#include "server/logging.hpp"
#include "server/metrics.hpp"
#include "server/oauth_error_response.hpp"

namespace signet::server {

std::optional<Response> RejectUnlessForm(const Request& request) {
  if (IsFormUrlEncoded(HeaderValue(request, http::field::content_type))) return std::nullopt;
  return OAuthErrorResponse(
      request, oauth::MakeError(oauth::ErrorCode::kInvalidRequest,
                                "Content-Type must be application/x-www-form-urlencoded"));
}

boost::asio::awaitable<Response> TokenEndpoint::Handle(const Request& request,
                                                       RequestContext& context) const {
  // RFC 6749 §3.2: the parameters are sent "using the application/x-www-form-urlencoded
  // format"; anything else (JSON, multipart) is not a token request.
  if (auto rejected = RejectUnlessForm(request)) co_return std::move(*rejected);
  // The operation is a named local, not a temporary inside the co_await expression (GCC 12
  // handles the lifetime of such temporaries badly; see server/secret_verifier_pool.cpp).
  auto handled = service_.HandleForm(request.body(),
                                     std::string(HeaderValue(request, http::field::authorization)),
                                     context.peer_ip);
  oauth::TokenOutcome outcome = co_await std::move(handled);
  context.client_id = outcome.client_id;
  if (!outcome.response) {
    const oauth::Error& error = outcome.response.error();
    // Error::debug is for this log only; description and debug never hold a secret.
    LogEvent(spdlog::level::info, "token request rejected",
             {{"error", oauth::ErrorName(error.code)},
              {"debug", error.debug},
              {"client_id", outcome.client_id},
              {"grant_type", outcome.grant_type}});
    co_return OAuthErrorResponse(request, error);
  }
  const oauth::TokenResponse& issued = *outcome.response;
  LogEvent(spdlog::level::debug, "token issued",
           {{"client_id", outcome.client_id},
            {"grant_type", outcome.grant_type},
            {"kid", issued.kid},
            {"jti", issued.jti}});
  if (metrics_ != nullptr) {
    // The algorithm is the client's (AccessTokenIssuer::AlgorithmFor); TokenResponse does not
    // carry it, and oauth/ stays untouched. One registry lookup of a known client_id.
    if (const config::Client* client = service_.registry().Find(outcome.client_id)) {
      metrics_->RecordTokenIssued(outcome.grant_type,
                                  service_.access_token_issuer().AlgorithmFor(*client));
    }
  }
  Response response = JsonResponse(request, http::status::ok, oauth::ToJson(issued));
  SetNoStore(response);
  co_return response;
}

}  // namespace signet::server

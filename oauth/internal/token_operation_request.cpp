#include "oauth/internal/token_operation_request.hpp"

#include <span>
#include <utility>

#include "oauth/token_request.hpp"

namespace signet::oauth::internal {

boost::asio::awaitable<TokenOperationOutcome> ReadTokenOperation(
    const ClientAuthenticator& authenticator, std::string_view body, std::string authorization,
    std::string client_ip) {
  TokenOperationOutcome outcome{MakeError(ErrorCode::kServerError, ""), {}};
  auto request = TokenRequest::FromForm(body, std::move(authorization), std::move(client_ip));
  if (!request) {
    outcome.request = request.error();
    co_return outcome;
  }
  if (const config::Client* claimed = authenticator.ClaimedClient(*request)) {
    outcome.client_id = claimed->client_id;
  }
  // RFC 6749 §3.2: no parameter of these endpoints may repeat.
  if (const auto repeated = request->FirstRepeated(std::span<const std::string_view>())) {
    outcome.request = MakeError(ErrorCode::kInvalidRequest,
                                "parameter included more than once: " + std::string(*repeated));
    co_return outcome;
  }
  auto client = co_await authenticator.Authenticate(*request);
  if (!client) {
    Error error = std::move(client.error());
    if (error.code == ErrorCode::kInvalidClient) error.client_used_basic_auth = true;
    outcome.request = std::move(error);
    co_return outcome;
  }
  const auto token = request->Get("token");
  if (!token) {
    outcome.request = MakeError(ErrorCode::kInvalidRequest, "missing token");
    co_return outcome;
  }
  outcome.request = TokenOperation{*client, std::string(*token),
                                   std::string(request->Get("token_type_hint").value_or(""))};
  co_return outcome;
}

}  // namespace signet::oauth::internal

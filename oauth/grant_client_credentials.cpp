#include "oauth/grant_client_credentials.hpp"

#include <algorithm>

#include "oauth/audience.hpp"
#include "oauth/client_registry.hpp"
#include "oauth/scope.hpp"

namespace signet::oauth {

bool GrantClientCredentials::CanHandle(std::string_view grant_type) const noexcept {
  return grant_type == "client_credentials";
}

boost::asio::awaitable<Expected<TokenResponse>> GrantClientCredentials::Handle(
    const GrantContext& context) const {
  co_return Issue(context);  // nothing to wait for: no state, no password
}

Expected<TokenResponse> GrantClientCredentials::Issue(const GrantContext& context) const {
  const config::Client& client = *context.client.client;
  // RFC 6749 §4.4: confidential clients only; a public client has no credentials to show.
  if (context.client.method == config::TokenEndpointAuthMethod::kNone) {
    return MakeError(ErrorCode::kUnauthorizedClient,
                     "public clients cannot use the client_credentials grant");
  }
  if (!HasGrantType(client, config::GrantType::kClientCredentials)) {
    return MakeError(ErrorCode::kUnauthorizedClient,
                     "client is not registered for the client_credentials grant");
  }
  auto scope = GrantScope(context.request.Get("scope"), client.scope);
  if (!scope) return scope.error();
  auto audience = ResolveAudience(context.request, client.audience);
  if (!audience) return audience.error();

  auto issued = issuer_.Issue(AccessTokenClaims{
      .subject = client.client_id, .client = &client, .audience = *audience, .scope = *scope});
  if (!issued) return issued.error();

  TokenResponse response = ResponseFor(std::move(*issued), *scope);
  return response;
}

}  // namespace signet::oauth

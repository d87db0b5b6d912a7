#include "oauth/grant_password.hpp"

#include <algorithm>

#include "oauth/audience.hpp"
#include "oauth/client_registry.hpp"
#include "oauth/scope.hpp"

namespace signet::oauth {

bool GrantPassword::CanHandle(std::string_view grant_type) const noexcept {
  return grant_type == "password";
}

boost::asio::awaitable<Expected<TokenResponse>> GrantPassword::Handle(
    const GrantContext& context) const {
  const config::Client& client = *context.client.client;
  if (!HasGrantType(client, config::GrantType::kPassword)) {
    co_return MakeError(ErrorCode::kUnauthorizedClient,
                        "client is not registered for the password grant");
  }
  const auto username = context.request.Get("username");
  const auto password = context.request.Get("password");
  if (!username) co_return MakeError(ErrorCode::kInvalidRequest, "missing username");
  if (!password) co_return MakeError(ErrorCode::kInvalidRequest, "missing password");
  // Scope and audience first: a malformed request costs no argon2 run and no counted failure.
  auto scope = GrantScope(context.request.Get("scope"), client.scope);
  if (!scope) co_return scope.error();
  auto audience = ResolveAudience(context.request, client.audience, HasScope(*scope, "openid"));
  if (!audience) co_return audience.error();

  auto user = co_await login_.Authenticate(*username, *password, context.request.client_ip());
  if (!user) co_return user.error();

  auto issued = issuer_.Issue(AccessTokenClaims{
      .subject = (*user)->username, .client = &client, .audience = *audience, .scope = *scope});
  if (!issued) co_return issued.error();

  TokenResponse response = ResponseFor(std::move(*issued), *scope);
  if (RefreshTokenMinter::IssuesFor(client)) {
    auto refresh = co_await refresh_tokens_.StartFamily(
        {.client = &client,
         .subject = (*user)->username,
         .scope = *scope,
         .audience = *audience,
         .auth_time = std::nullopt});
    if (!refresh) co_return refresh.error();
    response.refresh_token = std::move(refresh->token);
  }
  co_return response;
}

}  // namespace signet::oauth

#include "oauth/token_service.hpp"

#include <array>

#include "oauth/audience.hpp"
#include "oauth/grant_authorization_code.hpp"
#include "oauth/grant_client_credentials.hpp"
#include "oauth/grant_password.hpp"
#include "oauth/grant_refresh_token.hpp"

namespace signet::oauth {
namespace {

// RFC 8707 §2 and RFC 8693 §2.1 allow these to repeat; nothing else may (RFC 6749 §3.2).
constexpr std::array<std::string_view, 2> kRepeatable = {kResourceParam, kAudienceParam};

}  // namespace

TokenService::TokenService(const config::Config& config, TokenServiceDeps& deps)
    : registry_(config.clients),
      issuer_(config, std::move(deps.active_signer), std::move(deps.clock)) {}

Expected<std::unique_ptr<TokenService>> TokenService::Create(const config::Config& config,
                                                             TokenServiceDeps deps) {
  if (!deps.active_signer || !deps.verify_hash || !deps.clock) {
    return MakeError(ErrorCode::kServerError, "", "TokenServiceDeps has an empty function");
  }
  const bool stateful = deps.revocations != nullptr && deps.refresh_tokens != nullptr &&
                        deps.login_failures != nullptr;
  Clock clock = deps.clock;
  ActiveSignerFn active_signer = deps.active_signer;
  AsyncSecretHashVerifier verify_hash = deps.verify_hash;
  std::unique_ptr<TokenService> service(new TokenService(config, deps));
  auto authenticator = ClientAuthenticator::Create(service->registry_, verify_hash);
  if (!authenticator) return authenticator.error();
  service->authenticator_ = std::move(*authenticator);
  auto user_claims = UserClaimsRegistry::Create(config.users);
  if (!user_claims) return user_claims.error();
  service->user_claims_ = std::make_unique<UserClaimsRegistry>(std::move(*user_claims));
  service->id_tokens_ = std::make_unique<IdTokenIssuer>(config, active_signer,
                                                        *service->user_claims_, clock);
  service->handlers_.push_back(std::make_unique<GrantClientCredentials>(service->issuer_));
  if (!stateful) return service;

  auto login = PasswordLogin::Create(
      config, {.verify_hash = verify_hash, .failures = deps.login_failures, .clock = clock});
  if (!login) return login.error();
  service->password_login_ = std::move(*login);
  service->refresh_token_minter_ = std::make_unique<RefreshTokenMinter>(
      *deps.refresh_tokens, config.tokens.refresh_token_ttl, clock);
  service->handlers_.push_back(std::make_unique<GrantPassword>(
      service->issuer_, *service->password_login_, *service->refresh_token_minter_));
  service->handlers_.push_back(std::make_unique<GrantRefreshToken>(
      config, service->issuer_, *service->id_tokens_, *service->refresh_token_minter_,
      *deps.revocations, clock));
  if (deps.authorization_codes != nullptr) {
    service->handlers_.push_back(std::make_unique<GrantAuthorizationCode>(
        AuthorizationCodeGrantDeps{.config = &config,
                                   .access_tokens = &service->issuer_,
                                   .id_tokens = service->id_tokens_.get(),
                                   .refresh_tokens = service->refresh_token_minter_.get(),
                                   .codes = deps.authorization_codes,
                                   .revocations = deps.revocations,
                                   .clock = clock}));
  }
  return service;
}

boost::asio::awaitable<TokenOutcome> TokenService::HandleForm(std::string_view body,
                                                              std::string authorization,
                                                              std::string client_ip) const {
  auto request = TokenRequest::FromForm(body, std::move(authorization), std::move(client_ip));
  if (!request) co_return TokenOutcome{request.error(), {}, {}};
  co_return co_await Handle(*request);
}

boost::asio::awaitable<TokenOutcome> TokenService::Handle(const TokenRequest& request) const {
  TokenOutcome outcome{MakeError(ErrorCode::kServerError, ""), {}, {}};
  // Every failure names the client for the log when the request claims a registered one.
  const auto fail = [&](Error error) {
    if (const config::Client* claimed = authenticator_->ClaimedClient(request)) {
      outcome.client_id = claimed->client_id;
    }
    outcome.response = std::move(error);
    return std::move(outcome);
  };
  if (const auto repeated = request.FirstRepeated(kRepeatable)) {
    co_return fail(MakeError(ErrorCode::kInvalidRequest,
                             "parameter included more than once: " + std::string(*repeated)));
  }
  const auto grant_type = request.Get("grant_type");
  if (!grant_type) co_return fail(MakeError(ErrorCode::kInvalidRequest, "missing grant_type"));

  const GrantHandler* handler = nullptr;
  for (const auto& candidate : handlers_) {
    if (candidate->CanHandle(*grant_type)) {
      handler = candidate.get();
      break;
    }
  }
  if (handler == nullptr) {
    co_return fail(MakeError(ErrorCode::kUnsupportedGrantType, "unsupported grant_type"));
  }
  outcome.grant_type = std::string(*grant_type);

  auto client = co_await authenticator_->Authenticate(request);
  if (!client) co_return fail(client.error());
  outcome.client_id = client->client->client_id;
  outcome.response = co_await handler->Handle(GrantContext{request, *client});
  co_return outcome;
}

}  // namespace signet::oauth

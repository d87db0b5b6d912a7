#include "oauth/grant_authorization_code.hpp"

#include <algorithm>

#include "oauth/audience.hpp"
#include "oauth/client_registry.hpp"
#include "oauth/opaque_secret.hpp"
#include "oauth/pkce.hpp"
#include "oauth/scope.hpp"

namespace signet::oauth {
namespace {

constexpr std::string_view kInvalidCode = "authorization code invalid, expired or already used";

Error InvalidGrant(std::string debug) {
  return MakeError(ErrorCode::kInvalidGrant, std::string(kInvalidCode), std::move(debug));
}

Error StoreUnavailable(const boost::system::error_code& ec) {
  return MakeError(ErrorCode::kTemporarilyUnavailable, "token service temporarily unavailable",
                   "authorization code exchange: " + ec.message());
}

std::optional<std::string_view> NonEmpty(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

}  // namespace

bool GrantAuthorizationCode::CanHandle(std::string_view grant_type) const noexcept {
  return grant_type == "authorization_code";
}

boost::asio::awaitable<Expected<TokenResponse>> GrantAuthorizationCode::Handle(
    const GrantContext& context) const {
  const config::Client& client = *context.client.client;
  if (!HasGrantType(client, config::GrantType::kAuthorizationCode)) {
    co_return MakeError(ErrorCode::kUnauthorizedClient,
                        "client is not registered for the authorization_code grant");
  }
  const auto code = context.request.Get("code");
  if (!code) co_return MakeError(ErrorCode::kInvalidRequest, "missing code");
  // Audience first: a request that cannot succeed does not burn the code. The code's scope
  // is not known yet; an OIDC client (openid registered) may go without an API audience.
  const bool oidc_client = HasScope(client.scope, "openid");
  auto audience = ResolveAudience(context.request, client.audience, oidc_client);
  if (!audience) co_return audience.error();

  const std::string code_hash = HashOpaqueSecret(*code);
  const auto now = std::chrono::floor<std::chrono::seconds>(deps_.clock());
  auto consumed = co_await deps_.codes->Consume(code_hash, now);
  if (!consumed) co_return StoreUnavailable(consumed.error());
  switch (consumed->status) {
    case store::ConsumeStatus::kUnknown: co_return InvalidGrant("code unknown or expired");
    case store::ConsumeStatus::kReused:
      co_return co_await RefuseReuse(consumed->issued, "authorization code reused");
    case store::ConsumeStatus::kConsumed: break;
  }
  const store::AuthorizationGrant& grant = consumed->grant;
  if (grant.client_id != client.client_id) co_return InvalidGrant("code of another client");
  const auto redirect_uri = context.request.Get("redirect_uri");
  if (redirect_uri ? *redirect_uri != grant.redirect_uri : grant.code_challenge.empty()) {
    co_return InvalidGrant("redirect_uri differs from the authorization request's");
  }
  auto pkce = VerifyCodeVerifier(context.request.Get("code_verifier"), NonEmpty(grant.code_challenge));
  if (!pkce) co_return pkce.error();
  if (FindUser(*deps_.config, grant.subject) == nullptr) {
    co_return InvalidGrant("the subject is no longer a configured user");
  }
  auto cut_off = co_await deps_.revocations->IsRevoked("", grant.subject, grant.auth_time, now);
  if (!cut_off) co_return StoreUnavailable(cut_off.error());
  if (*cut_off) co_return InvalidGrant("the subject was revoked after this login");

  const std::vector<std::string> scope = SplitSpaces(grant.scope);
  const bool openid = HasScope(scope, "openid");
  if (audience->empty() && !openid) {
    co_return MakeError(ErrorCode::kInvalidTarget, "no audience registered for this client");
  }
  auto access = deps_.access_tokens->Issue(AccessTokenClaims{
      .subject = grant.subject, .client = &client, .audience = *audience, .scope = scope});
  if (!access) co_return access.error();
  store::IssuedFromCode issued{.access_jti = access->jti,
                               .access_expires = now + access->expires_in,
                               .refresh_family_id = {}};

  std::string id_token;
  if (openid) {
    auto minted = deps_.id_tokens->Issue({.subject = grant.subject,
                                          .client = &client,
                                          .auth_time = grant.auth_time,
                                          .nonce = grant.nonce,
                                          .access_token = access->token,
                                          .sid = grant.sid,
                                          .scope = scope});
    if (!minted) co_return minted.error();
    id_token = std::move(minted->token);
  }
  TokenResponse response = ResponseFor(std::move(*access), scope);
  response.id_token = std::move(id_token);
  if (RefreshTokenMinter::IssuesFor(client)) {
    auto refresh = co_await deps_.refresh_tokens->StartFamily({.client = &client,
                                                               .subject = grant.subject,
                                                               .scope = scope,
                                                               .audience = *audience,
                                                               .auth_time = grant.auth_time,
                                                               .sid = grant.sid});
    if (!refresh) co_return refresh.error();
    response.refresh_token = std::move(refresh->token);
    issued.refresh_family_id = std::move(refresh->family_id);
  }

  auto recorded = co_await deps_.codes->RecordIssued(code_hash, issued);
  if (!recorded) {
    // Not delivered, so nothing leaks; the tokens are revoked so that they cannot surface.
    (void)co_await RefuseReuse(issued, "");
    co_return StoreUnavailable(recorded.error());
  }
  if (*recorded == store::RecordIssuedStatus::kReused) {
    co_return co_await RefuseReuse(issued, "authorization code reused during its exchange");
  }
  co_return response;
}

boost::asio::awaitable<Error> GrantAuthorizationCode::RefuseReuse(
    const std::optional<store::IssuedFromCode>& issued, std::string debug) const {
  if (issued) {
    const auto keep_until = issued->access_expires + deps_.config->tokens.leeway;
    auto jti = co_await deps_.revocations->RevokeJti(issued->access_jti, keep_until);
    if (!jti) debug += " (revoking its access token failed: " + jti.error().message() + ")";
    if (!issued->refresh_family_id.empty()) {
      auto family =
          co_await deps_.refresh_tokens->store().RevokeFamily(issued->refresh_family_id);
      if (!family) debug += " (revoking its refresh tokens failed: " + family.error().message() + ")";
    }
  }
  co_return InvalidGrant(std::move(debug));
}

}  // namespace signet::oauth

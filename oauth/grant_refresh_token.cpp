#include "oauth/grant_refresh_token.hpp"

#include <algorithm>

#include "oauth/audience.hpp"
#include "oauth/client_registry.hpp"
#include "oauth/refresh_token_format.hpp"
#include "oauth/scope.hpp"

namespace signet::oauth {
namespace {

constexpr std::string_view kInvalidRefreshToken = "refresh token invalid, expired or revoked";

Error InvalidGrant(std::string debug) {
  return MakeError(ErrorCode::kInvalidGrant, std::string(kInvalidRefreshToken), std::move(debug));
}

Error StoreUnavailable(const boost::system::error_code& ec) {
  return MakeError(ErrorCode::kTemporarilyUnavailable, "refresh tokens temporarily unavailable",
                   "refresh token store: " + ec.message());
}

}  // namespace

bool GrantRefreshToken::CanHandle(std::string_view grant_type) const noexcept {
  return grant_type == "refresh_token";
}

boost::asio::awaitable<Expected<TokenResponse>> GrantRefreshToken::Handle(
    const GrantContext& context) const {
  const config::Client& client = *context.client.client;
  if (!RefreshTokenMinter::IssuesFor(client)) {
    co_return MakeError(ErrorCode::kUnauthorizedClient,
                        "client is not registered for the refresh_token grant");
  }
  const auto presented = context.request.Get("refresh_token");
  if (!presented) co_return MakeError(ErrorCode::kInvalidRequest, "missing refresh_token");
  if (!HasRefreshTokenShape(*presented)) co_return InvalidGrant("not a refresh token's shape");

  const std::string old_hash = HashOpaqueSecret(*presented);
  const auto now = std::chrono::floor<std::chrono::seconds>(clock_());

  // Everything that can fail is checked before the token rotates, so that a client asking
  // for too much keeps its refresh token. A token that is not current (unknown, or used:
  // Find does not tell them apart) goes to Rotate anyway, which revokes the family on reuse.
  auto found = co_await refresh_tokens_.store().Find(old_hash, now);
  if (!found) co_return StoreUnavailable(found.error());
  std::vector<std::string> scope;
  std::vector<std::string> audience;
  if (found->has_value()) {
    const store::RefreshGrant& grant = **found;
    if (grant.client_id != client.client_id) {
      co_return co_await RevokeFamily(
          grant.family_id,
          "refresh token of another client presented: family " + grant.family_id + " revoked");
    }
    if (FindUser(config_, grant.subject) == nullptr) {
      co_return co_await RevokeFamily(grant.family_id,
                                      "the subject is no longer a configured user");
    }
    auto cut_off = co_await revocations_.IsRevoked("", grant.subject, grant.auth_time, now);
    if (!cut_off) co_return StoreUnavailable(cut_off.error());
    if (*cut_off) {
      co_return co_await RevokeFamily(grant.family_id, "the subject was revoked after this login");
    }
    const std::vector<std::string> granted_scope = SplitSpaces(grant.scope);
    auto narrowed = GrantScope(context.request.Get("scope"), granted_scope);
    if (!narrowed) co_return narrowed.error();
    scope = std::move(*narrowed);
    // As at the grant that began the family: with openid an OIDC client may have no API
    // audience (the access token is for userinfo, oauth/audience.hpp).
    const std::vector<std::string> granted_audience = SplitSpaces(grant.audience);
    const bool openid = HasScope(scope, "openid");
    auto resolved = ResolveAudience(context.request, granted_audience, openid);
    if (!resolved) co_return resolved.error();
    audience = std::move(*resolved);
  }

  auto fresh = NewOpaqueSecret();
  if (!fresh) co_return MakeError(ErrorCode::kServerError, "", "RAND_bytes failed");
  auto rotated = co_await refresh_tokens_.store().Rotate(old_hash, fresh->hash,
                                                         now + refresh_tokens_.ttl(), now);
  if (!rotated) co_return StoreUnavailable(rotated.error());
  switch (rotated->status) {
    case store::RotateStatus::kUnknown: co_return InvalidGrant("refresh token unknown");
    case store::RotateStatus::kReused:
      co_return InvalidGrant("refresh token reused: family " + rotated->grant.family_id +
                             " revoked");
    case store::RotateStatus::kRotated: break;
  }
  // Current at Find but gone since (revoked or raced): the checks above did not run for it.
  if (!found->has_value() || rotated->grant.family_id != (*found)->family_id) {
    co_return co_await RevokeFamily(rotated->grant.family_id, "refresh token changed state");
  }
  const store::RefreshGrant& grant = rotated->grant;

  auto issued = issuer_.Issue(AccessTokenClaims{
      .subject = grant.subject, .client = &client, .audience = audience, .scope = scope});
  if (!issued) co_return issued.error();

  // OIDC Core §12.2: a refresh of an openid grant may return a new ID token; its auth_time is
  // the original login's (the user did not authenticate again), and it carries no nonce.
  std::string id_token;
  if (HasScope(scope, "openid")) {
    auto minted = id_tokens_.Issue({.subject = grant.subject,
                                    .client = &client,
                                    .auth_time = grant.auth_time,
                                    .nonce = {},
                                    .access_token = issued->token,
                                    .sid = grant.sid,
                                    .scope = scope});
    if (!minted) co_return minted.error();
    id_token = std::move(minted->token);
  }

  TokenResponse response = ResponseFor(std::move(*issued), scope);
  response.id_token = std::move(id_token);
  response.refresh_token = std::move(fresh->token);
  co_return response;
}

boost::asio::awaitable<Error> GrantRefreshToken::RevokeFamily(std::string family_id,
                                                              std::string debug) const {
  auto revoked = co_await refresh_tokens_.store().RevokeFamily(std::move(family_id));
  if (!revoked) debug += " (revoking the family failed: " + revoked.error().message() + ")";
  co_return InvalidGrant(std::move(debug));
}

}  // namespace signet::oauth

#include "oauth/revocation_service.hpp"

#include <cmath>
#include <cstdint>
#include <utility>

#include "oauth/internal/token_operation_request.hpp"
#include "oauth/refresh_token_format.hpp"

namespace signet::oauth {

Expected<std::unique_ptr<RevocationService>> RevocationService::Create(const config::Config& config,
                                                                       RevocationServiceDeps deps) {
  if (deps.authenticator == nullptr || deps.store == nullptr || !deps.clock) {
    return MakeError(ErrorCode::kServerError, "", "RevocationServiceDeps has a null dependency");
  }
  auto verifier = AccessTokenVerifier::Create(config, std::move(deps.verification_keys), deps.clock);
  if (!verifier) return verifier.error();
  return std::unique_ptr<RevocationService>(
      new RevocationService(*deps.authenticator, std::move(*verifier), *deps.store,
                            deps.refresh_tokens, std::move(deps.clock)));
}

boost::asio::awaitable<RevocationOutcome> RevocationService::HandleForm(
    std::string_view body, std::string authorization, std::string client_ip) const {
  RevocationOutcome outcome{Expected<void>(), {}, {}, {}, {}};
  auto reading = internal::ReadTokenOperation(authenticator_, body, std::move(authorization),
                                              std::move(client_ip));
  internal::TokenOperationOutcome read = co_await std::move(reading);
  outcome.client_id = std::move(read.client_id);
  if (!read.request) {
    outcome.response = std::move(read.request.error());
    co_return outcome;
  }
  const internal::TokenOperation& operation = *read.request;

  // Whatever the hint says, the token is examined for what it is (RFC 7009 §2.1).
  if (refresh_tokens_ != nullptr && HasRefreshTokenShape(operation.token)) {
    co_return co_await RevokeRefreshToken(std::move(outcome), operation.token,
                                          *operation.client.client);
  }
  auto jwt = verifier_.Verify(operation.token);
  if (!jwt) {
    outcome.nothing_revoked_reason = jwt.error() == token::Errc::kExpired
                                         ? "token already expired"
                                         : "not a valid access token of this issuer";
    co_return outcome;
  }
  if (jwt->StringClaim("client_id") != operation.client.client->client_id) {
    outcome.nothing_revoked_reason = "token issued to another client";
    co_return outcome;
  }
  const auto jti = jwt->jwt_id();
  if (!jti || jti->empty()) {
    outcome.nothing_revoked_reason = "token without jti";
    co_return outcome;
  }
  // Kept until every verifier rejects the token anyway: exp plus the leeway verifiers allow.
  const auto exp_seconds = static_cast<std::int64_t>(std::ceil(jwt->expiration()));
  const store::WallTime keep_until = store::FromUnixSeconds(exp_seconds) + verifier_.leeway();
  auto revoking = store_.RevokeJti(*jti, keep_until);
  auto revoked = co_await std::move(revoking);
  if (!revoked) {
    outcome.response =
        MakeError(ErrorCode::kTemporarilyUnavailable, "revocation store unavailable, retry later",
                  "RevokeJti: " + revoked.error().message());
    co_return outcome;
  }
  outcome.jti = *jti;
  co_return outcome;
}

boost::asio::awaitable<RevocationOutcome> RevocationService::RevokeRefreshToken(
    RevocationOutcome outcome, std::string_view token, const config::Client& client) const {
  const auto unavailable = [&](const boost::system::error_code& ec) {
    outcome.response =
        MakeError(ErrorCode::kTemporarilyUnavailable, "revocation store unavailable, retry later",
                  "refresh token store: " + ec.message());
    return std::move(outcome);
  };
  auto found = co_await refresh_tokens_->Find(HashOpaqueSecret(token), clock_());
  if (!found) co_return unavailable(found.error());
  if (!found->has_value()) {
    outcome.nothing_revoked_reason = "not a current refresh token";
    co_return outcome;
  }
  if ((*found)->client_id != client.client_id) {
    outcome.nothing_revoked_reason = "refresh token issued to another client";
    co_return outcome;
  }
  auto revoked = co_await refresh_tokens_->RevokeFamily((*found)->family_id);
  if (!revoked) co_return unavailable(revoked.error());
  outcome.refresh_family = (*found)->family_id;
  co_return outcome;
}

}  // namespace signet::oauth

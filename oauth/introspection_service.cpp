#include "oauth/introspection_service.hpp"

#include <cmath>
#include <cstdint>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "oauth/internal/token_operation_request.hpp"
#include "oauth/refresh_token_format.hpp"

namespace signet::oauth {
namespace {

// The RFC 7662 §2.2 members signet's access tokens carry, in the order they are written.
// The validator has already checked the types of the registered time claims.
std::string ActiveJson(const nlohmann::json& claims) {
  nlohmann::ordered_json doc;
  doc["active"] = true;
  for (const char* name : {"scope", "client_id", "sub", "aud", "iss", "exp", "iat", "nbf", "jti"}) {
    const auto it = claims.find(name);
    if (it != claims.end() && !it->is_null()) doc[name] = *it;
  }
  doc["token_type"] = "Bearer";
  return doc.dump();
}

// A NumericDate claim as whole seconds (rounded down), or nullopt when absent or not a number.
std::optional<std::int64_t> WholeSeconds(const nlohmann::json& claims, const char* name) {
  const auto it = claims.find(name);
  if (it == claims.end() || !it->is_number()) return std::nullopt;
  return static_cast<std::int64_t>(std::floor(it->get<double>()));
}

std::string ActiveRefreshJson(const store::RefreshGrant& grant) {
  nlohmann::ordered_json doc;
  doc["active"] = true;
  if (!grant.scope.empty()) doc["scope"] = grant.scope;
  doc["client_id"] = grant.client_id;
  doc["sub"] = grant.subject;
  doc["exp"] = store::ToUnixSeconds(grant.expires);
  doc["iat"] = store::ToUnixSeconds(grant.auth_time);
  doc["token_type"] = "refresh_token";
  return doc.dump();
}

Error StoreUnavailable(std::string debug) {
  return MakeError(ErrorCode::kTemporarilyUnavailable, "revocation store unavailable, retry later",
                   std::move(debug));
}

}  // namespace

Expected<std::unique_ptr<IntrospectionService>> IntrospectionService::Create(
    const config::Config& config, IntrospectionServiceDeps deps) {
  if (deps.authenticator == nullptr || deps.store == nullptr || !deps.clock) {
    return MakeError(ErrorCode::kServerError, "", "IntrospectionServiceDeps has a null dependency");
  }
  auto verifier =
      AccessTokenVerifier::Create(config, std::move(deps.verification_keys), deps.clock);
  if (!verifier) return verifier.error();
  return std::unique_ptr<IntrospectionService>(new IntrospectionService(
      *deps.authenticator, std::move(*verifier), *deps.store, std::move(deps.clock),
      deps.refresh_tokens));
}

boost::asio::awaitable<IntrospectionOutcome> IntrospectionService::HandleForm(
    std::string_view body, std::string authorization, std::string client_ip) const {
  IntrospectionOutcome outcome{std::string(kInactiveJson), {}, false};
  auto reading = internal::ReadTokenOperation(authenticator_, body, std::move(authorization),
                                              std::move(client_ip));
  internal::TokenOperationOutcome read = co_await std::move(reading);
  outcome.client_id = std::move(read.client_id);
  if (!read.request) {
    outcome.response = std::move(read.request.error());
    co_return outcome;
  }
  if (read.request->client.method == config::TokenEndpointAuthMethod::kNone) {
    Error error = MakeError(ErrorCode::kInvalidClient, "client authentication failed",
                            "public clients may not introspect");
    error.client_used_basic_auth = true;
    outcome.response = std::move(error);
    co_return outcome;
  }

  if (refresh_tokens_ != nullptr && HasRefreshTokenShape(read.request->token)) {
    co_return co_await IntrospectRefreshToken(std::move(outcome), read.request->token,
                                              *read.request->client.client);
  }
  auto jwt = verifier_.Verify(read.request->token);
  if (!jwt) co_return outcome;
  const auto jti = jwt->jwt_id();
  const auto iat = WholeSeconds(jwt->claims(), "iat");
  if (!jti || jti->empty() || !iat) co_return outcome;

  // RFC 7662 §2.2 "active": revoked tokens are not. The subject is empty when absent (the
  // store then checks the jti only).
  auto checking =
      store_.IsRevoked(*jti, jwt->subject().value_or(""), store::FromUnixSeconds(*iat), clock_());
  auto revoked = co_await std::move(checking);
  if (!revoked) {
    outcome.response = StoreUnavailable("IsRevoked: " + revoked.error().message());
    co_return outcome;
  }
  if (*revoked) co_return outcome;
  outcome.response = ActiveJson(jwt->claims());
  outcome.active = true;
  co_return outcome;
}

boost::asio::awaitable<IntrospectionOutcome> IntrospectionService::IntrospectRefreshToken(
    IntrospectionOutcome outcome, std::string_view token, const config::Client& client) const {
  const auto now = clock_();
  auto found = co_await refresh_tokens_->Find(HashOpaqueSecret(token), now);
  if (!found) {
    outcome.response = StoreUnavailable("refresh token Find: " + found.error().message());
    co_return outcome;
  }
  if (!found->has_value() || (*found)->client_id != client.client_id) co_return outcome;
  const store::RefreshGrant& grant = **found;
  auto revoked = co_await store_.IsRevoked("", grant.subject, grant.auth_time, now);
  if (!revoked) {
    outcome.response = StoreUnavailable("IsRevoked: " + revoked.error().message());
    co_return outcome;
  }
  if (*revoked) co_return outcome;
  outcome.response = ActiveRefreshJson(grant);
  outcome.active = true;
  co_return outcome;
}

}  // namespace signet::oauth

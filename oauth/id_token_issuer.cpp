#include "oauth/id_token_issuer.hpp"

#include <optional>
#include <utility>

#include "oauth/internal/json_text.hpp"
#include "oauth/token_hash.hpp"
#include "token/jwt.hpp"

namespace signet::oauth {
namespace {

void AppendStringMember(std::string& out, std::string_view key, std::string_view value) {
  out.push_back(',');
  internal::AppendJsonKey(out, key);
  internal::AppendJsonString(out, value);
}

void AppendIntMember(std::string& out, std::string_view key, std::int64_t value) {
  out.push_back(',');
  internal::AppendJsonKey(out, key);
  internal::AppendJsonInt(out, value);
}

std::int64_t Seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

}  // namespace

std::string IdTokenPayloadPrefix(std::string_view issuer, const IdTokenClaims& claims,
                                 std::int64_t iat, std::int64_t exp, std::string_view at_hash) {
  std::string out;
  out.reserve(384);
  out.push_back('{');
  internal::AppendJsonKey(out, "iss");
  internal::AppendJsonString(out, issuer);
  AppendStringMember(out, "sub", claims.subject);
  // OIDC Core §2: aud may be a single string when there is one audience, the client_id.
  AppendStringMember(out, "aud", claims.client->client_id);
  AppendIntMember(out, "exp", exp);
  AppendIntMember(out, "iat", iat);
  AppendIntMember(out, "auth_time", Seconds(claims.auth_time));
  // §3.1.2.1 / §3.1.3.7 step 11: the nonce is passed through unmodified.
  if (!claims.nonce.empty()) AppendStringMember(out, "nonce", claims.nonce);
  if (!at_hash.empty()) AppendStringMember(out, "at_hash", at_hash);
  if (!claims.sid.empty()) AppendStringMember(out, "sid", claims.sid);
  return out;
}

IdTokenIssuer::IdTokenIssuer(const config::Config& config, ActiveSignerFn active_signer,
                             const UserClaimsRegistry& users, Clock clock)
    : issuer_(config.issuer),
      ttl_(config.tokens.id_token_ttl),
      default_alg_(config.tokens.signing_alg),
      active_signer_(std::move(active_signer)),
      users_(&users),
      clock_(std::move(clock)),
      jws_signers_(std::make_unique<internal::JwsSignerCache>(token::kTypJwt)) {}

keys::Algorithm IdTokenIssuer::AlgorithmFor(const config::Client& client) const noexcept {
  return client.id_token_signed_response_alg.value_or(default_alg_);
}

Expected<IssuedIdToken> IdTokenIssuer::Issue(const IdTokenClaims& claims) const {
  if (claims.client == nullptr || claims.subject.empty()) {
    return MakeError(ErrorCode::kServerError, "", "ID token without client or subject");
  }
  const keys::Algorithm alg = AlgorithmFor(*claims.client);
  const std::shared_ptr<const keys::Signer> signer = active_signer_(alg);
  if (!signer) {
    return MakeError(ErrorCode::kServerError, "",
                     "no active signing key for " + std::string(keys::JwaName(alg)));
  }
  std::optional<std::string> at_hash;
  if (!claims.access_token.empty()) {
    // §3.1.3.6: hashed with the hash of the alg in THIS token's header.
    at_hash = TokenHash(claims.access_token, alg);
    if (!at_hash) return MakeError(ErrorCode::kServerError, "", "hashing at_hash failed");
  }

  const std::int64_t iat = Seconds(clock_());
  const std::int64_t exp = iat + ttl_.count();
  std::string payload =
      IdTokenPayloadPrefix(issuer_, claims, iat, exp, at_hash ? *at_hash : std::string_view());
  if (!users_->AppendReleased(payload, claims.subject, claims.scope)) {
    return MakeError(ErrorCode::kServerError, "", "ID token for a subject that is not a user");
  }
  payload.push_back('}');

  auto jws = jws_signers_->For(signer);
  if (!jws) {
    return MakeError(ErrorCode::kServerError, "",
                     "encoding the ID token header failed: " + jws.error().message());
  }
  auto compact = (*jws)->Sign(std::string_view(payload));
  if (!compact) {
    return MakeError(ErrorCode::kServerError, "",
                     "signing the ID token failed: " + compact.error().message());
  }
  return IssuedIdToken{std::move(*compact), signer->kid(), alg};
}

}  // namespace signet::oauth

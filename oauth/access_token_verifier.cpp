#include "oauth/access_token_verifier.hpp"

#include <utility>

#include "oauth/internal/peek_kid.hpp"
#include "token/jwt.hpp"

namespace signet::oauth {
VerificationKeysFn KeyRingSnapshots(const keys::KeyRing& ring) {
  return [&ring] { return ring.Snapshot(); };
}

Expected<AccessTokenVerifier> AccessTokenVerifier::Create(const config::Config& config,
                                                          VerificationKeysFn keys, Clock clock) {
  if (!keys) return MakeError(ErrorCode::kServerError, "", "AccessTokenVerifier without keys");
  token::ValidatorOptions options;
  options.issuer = config.issuer;
  options.leeway = config.tokens.leeway;
  options.typ = std::string(token::kTypAccessToken);
  auto validator = token::Validator::Create(std::move(options), std::move(clock));
  if (!validator) {
    return MakeError(ErrorCode::kServerError, "", "validator: " + validator.error().message());
  }
  return AccessTokenVerifier(std::move(keys), std::move(*validator));
}

token::Result<token::VerifiedJwt> AccessTokenVerifier::Verify(std::string_view compact) const {
  auto kid = internal::PeekKid(compact);
  if (!kid) return kid.error();
  // The snapshot lives until the end of this call, so a concurrent rotation cannot free the
  // verifier in use.
  const std::shared_ptr<const keys::KeySetSnapshot> snapshot = keys_();
  const keys::Verifier* verifier = snapshot ? snapshot->FindVerifier(*kid) : nullptr;
  if (verifier == nullptr) return token::Errc::kUnknownKid;
  auto jws = token::VerifyCompact(compact, *verifier);
  if (!jws) return jws.error();
  return validator_.Validate(std::move(*jws));
}

}  // namespace signet::oauth

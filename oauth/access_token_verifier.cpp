#include "oauth/access_token_verifier.hpp"

#include <utility>

#include <nlohmann/json.hpp>

#include "keys/base64url.hpp"
#include "token/jwt.hpp"

namespace signet::oauth {
namespace {

// The header's kid, read before any key is chosen. Only a lookup key: VerifyCompact then
// checks the whole header again (alg, crit, kid equal to the key's) and the signature.
token::Result<std::string> PeekKid(std::string_view compact) {
  const auto dot = compact.find('.');
  if (dot == std::string_view::npos) return token::Errc::kMalformed;
  auto header_bytes = keys::Base64UrlDecode(compact.substr(0, dot));
  if (!header_bytes) return token::Errc::kBadBase64url;
  const auto header = nlohmann::json::parse(*header_bytes, nullptr, /*allow_exceptions=*/false);
  if (!header.is_object()) return token::Errc::kHeaderNotJson;
  const auto kid = header.find("kid");
  if (kid == header.end()) return token::Errc::kKidMissing;
  if (!kid->is_string()) return token::Errc::kHeaderInvalid;
  return kid->get<std::string>();
}

}  // namespace

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
  auto kid = PeekKid(compact);
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

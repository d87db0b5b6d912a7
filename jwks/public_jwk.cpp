#include "jwks/public_jwk.hpp"

#include <nlohmann/json.hpp>

#include "keys/algorithm.hpp"
#include "keys/jwk_thumbprint.hpp"

namespace signet::jwks {
namespace {

keys::JwkPublicMembers Members(const PublicJwk& jwk) {
  keys::JwkPublicMembers m;
  m.kty = jwk.kty;
  m.crv = jwk.crv;
  m.n = jwk.n;
  m.e = jwk.e;
  m.x = jwk.x;
  m.y = jwk.y;
  return m;
}

}  // namespace

Result<PublicJwk> PublicJwk::FromPublicKey(const keys::PublicKey& key, std::string kid) {
  auto members = keys::ExportPublicMembers(key);
  if (!members) return Errc::kExportFailed;
  PublicJwk jwk;
  jwk.kid = std::move(kid);
  jwk.alg = std::string(keys::JwaName(key.algorithm()));
  jwk.kty = std::move(members->kty);
  jwk.crv = std::move(members->crv);
  jwk.n = std::move(members->n);
  jwk.e = std::move(members->e);
  jwk.x = std::move(members->x);
  jwk.y = std::move(members->y);
  return jwk;
}

Result<PublicJwk> PublicJwk::FromVerifier(const keys::Verifier& verifier) {
  return FromPublicKey(verifier.key(), verifier.kid());
}

nlohmann::json PublicJwk::ToJson() const {
  nlohmann::json out = nlohmann::json::object();
  auto put = [&out](const char* name, const std::string& value) {
    if (!value.empty()) out[name] = value;
  };
  put("kty", kty);
  put("use", use);
  put("alg", alg);
  put("kid", kid);
  put("crv", crv);
  put("n", n);
  put("e", e);
  put("x", x);
  put("y", y);
  return out;
}

std::string PublicJwk::Thumbprint() const { return keys::Rfc7638Thumbprint(Members(*this)); }

}  // namespace signet::jwks

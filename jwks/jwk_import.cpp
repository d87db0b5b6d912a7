// ImportPublicJwk: JWK JSON -> keys::Verifier. Declared in jwks/public_jwk.hpp, where the
// rules are listed; each check below cites the section it enforces.

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "jwks/internal/key_builder.hpp"
#include "jwks/internal/private_members.hpp"
#include "jwks/public_jwk.hpp"
#include "keys/algorithm.hpp"
#include "keys/base64url.hpp"

namespace signet::jwks {
namespace {

using keys::Algorithm;

struct CurveInfo {
  std::string_view jwk_name;
  const char* openssl_group;
  size_t field_bytes;
  Algorithm alg;
};

// RFC 7518 §6.2.1.1 curve names; §6.2.1.2: coordinates are exactly the field size.
constexpr std::array<CurveInfo, 2> kCurves{{
    {"P-256", "prime256v1", 32, Algorithm::kEs256},
    {"P-384", "secp384r1", 48, Algorithm::kEs384},
}};

constexpr size_t kEd25519KeyBytes = 32;  // RFC 8037 §2, RFC 8032 §5.1.5

// Reads an optional string member: nullopt when absent, kMemberWrongType when not a string.
Result<std::optional<std::string_view>> OptionalString(const nlohmann::json& jwk,
                                                       std::string_view name) {
  const auto it = jwk.find(name);
  if (it == jwk.end()) return std::optional<std::string_view>{};
  if (!it->is_string()) return Errc::kMemberWrongType;
  return std::optional<std::string_view>{it->get_ref<const std::string&>()};
}

// Reads a required base64url member and decodes it (canonical form only).
Result<std::string> RequiredBytes(const nlohmann::json& jwk, std::string_view name) {
  auto text = OptionalString(jwk, name);
  if (!text) return text.error();
  if (!*text) return Errc::kMissingMember;
  auto bytes = keys::Base64UrlDecode(**text);
  if (!bytes) return Errc::kBadBase64url;
  return std::move(*bytes);
}

// RFC 7517 §4.2 ("use") and §4.3 ("key_ops"): the key must be allowed to verify signatures.
Result<void> CheckIntendedUse(const nlohmann::json& jwk) {
  auto use = OptionalString(jwk, "use");
  if (!use) return use.error();
  if (*use && **use != "sig") return Errc::kWrongUse;
  const auto ops = jwk.find("key_ops");
  if (ops == jwk.end()) return {};
  if (!ops->is_array()) return Errc::kMemberWrongType;
  bool verify = false;
  for (const auto& op : *ops) {
    if (!op.is_string()) return Errc::kMemberWrongType;
    if (op.get_ref<const std::string&>() == "verify") verify = true;
  }
  if (!verify) return Errc::kKeyOpsWithoutVerify;
  return {};
}

// The algorithm the key will be pinned to: "alg" when present (it must fit the key),
// otherwise the documented default for the key type and curve.
Result<Algorithm> ChooseAlgorithm(const nlohmann::json& jwk, std::string_view kty,
                                  std::string_view crv) {
  auto alg_name = OptionalString(jwk, "alg");
  if (!alg_name) return alg_name.error();
  std::optional<Algorithm> curve_alg;
  if (kty == "EC") {
    for (const auto& c : kCurves) {
      if (c.jwk_name == crv) curve_alg = c.alg;
    }
  } else if (kty == "OKP" && crv == "Ed25519") {
    curve_alg = Algorithm::kEdDsa;
  }
  if (!*alg_name) {
    if (kty == "RSA") return Algorithm::kRs256;
    if (curve_alg) return *curve_alg;
    return Errc::kUnsupportedCurve;
  }
  const std::optional<Algorithm> alg = keys::ParseAlgorithm(**alg_name);
  if (!alg) return Errc::kUnsupportedAlgorithm;
  if (keys::JwkKeyType(*alg) != kty) return Errc::kAlgKeyMismatch;
  if (kty == "RSA") return *alg;
  if (!curve_alg) return Errc::kUnsupportedCurve;
  if (*curve_alg != *alg) return Errc::kAlgKeyMismatch;
  return *alg;
}

Result<internal::EvpPkeyPtr> BuildRsa(const nlohmann::json& jwk) {
  auto n = RequiredBytes(jwk, "n");
  if (!n) return n.error();
  auto e = RequiredBytes(jwk, "e");
  if (!e) return e.error();
  return internal::BuildRsaPublicKey(*n, *e);
}

Result<internal::EvpPkeyPtr> BuildEc(const nlohmann::json& jwk, std::string_view crv) {
  const CurveInfo* curve = nullptr;
  for (const auto& c : kCurves) {
    if (c.jwk_name == crv) curve = &c;
  }
  if (curve == nullptr) return Errc::kUnsupportedCurve;
  auto x = RequiredBytes(jwk, "x");
  if (!x) return x.error();
  auto y = RequiredBytes(jwk, "y");
  if (!y) return y.error();
  if (x->size() != curve->field_bytes || y->size() != curve->field_bytes) {
    return Errc::kWrongCoordinateLength;
  }
  return internal::BuildEcPublicKey(curve->openssl_group, *x, *y);
}

Result<internal::EvpPkeyPtr> BuildOkp(const nlohmann::json& jwk, std::string_view crv) {
  if (crv != "Ed25519") return Errc::kUnsupportedCurve;
  auto x = RequiredBytes(jwk, "x");
  if (!x) return x.error();
  if (x->size() != kEd25519KeyBytes) return Errc::kWrongCoordinateLength;
  return internal::BuildEd25519PublicKey(*x);
}

// keys::PublicKey::FromNative re-checks type, size and (EC) the point; map its reasons.
Errc FromKeysError(const boost::system::error_code& ec, std::string_view kty) {
  if (ec == keys::Errc::kWeakKey) return Errc::kWeakKey;
  if (ec == keys::Errc::kKeyTypeMismatch) return Errc::kAlgKeyMismatch;
  if (kty == "EC") return Errc::kPointNotOnCurve;
  return Errc::kKeyRejected;
}

}  // namespace

Result<keys::Verifier> ImportPublicJwk(const nlohmann::json& jwk) {
  if (!jwk.is_object()) return Errc::kNotAnObject;
  // A private member means the publisher leaked a secret: refuse the key outright.
  if (internal::HasPrivateMember(jwk)) return Errc::kPrivateMemberPresent;
  auto kty = OptionalString(jwk, "kty");  // RFC 7517 §4.1: required, case-sensitive
  if (!kty) return kty.error();
  if (!*kty) return Errc::kMissingMember;
  if (**kty != "RSA" && **kty != "EC" && **kty != "OKP") return Errc::kUnsupportedKeyType;
  auto kid = OptionalString(jwk, "kid");
  if (!kid) return kid.error();
  if (auto use = CheckIntendedUse(jwk); !use) return use.error();

  std::string_view crv;
  if (**kty != "RSA") {
    auto crv_member = OptionalString(jwk, "crv");
    if (!crv_member) return crv_member.error();
    if (!*crv_member) return Errc::kMissingMember;
    crv = **crv_member;
  }
  auto alg = ChooseAlgorithm(jwk, **kty, crv);
  if (!alg) return alg.error();

  Result<internal::EvpPkeyPtr> native = **kty == "RSA"  ? BuildRsa(jwk)
                                        : **kty == "EC" ? BuildEc(jwk, crv)
                                                        : BuildOkp(jwk, crv);
  if (!native) return native.error();

  auto key = keys::PublicKey::FromNative(*alg, native->release());
  if (!key) return FromKeysError(key.error(), **kty);
  auto verifier = keys::Verifier::Create(std::move(*key), std::string(kid->value_or("")));
  if (!verifier) return FromKeysError(verifier.error(), **kty);
  return std::move(*verifier);
}

}  // namespace signet::jwks

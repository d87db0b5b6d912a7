#include "jwks/jwk_set.hpp"

#include <set>

#include <nlohmann/json.hpp>

#include "jwks/internal/private_members.hpp"
#include "jwks/public_jwk.hpp"

namespace signet::jwks {
namespace {

bool HasDuplicateKid(std::span<const keys::Verifier> verifiers) {
  std::set<std::string_view> seen;
  for (const auto& v : verifiers) {
    if (!seen.insert(v.kid()).second) return true;
  }
  return false;
}

// The kid a JWK declares; "" when absent or not a string (ImportPublicJwk rejects the latter).
std::string KidOf(const nlohmann::json& jwk) {
  const auto it = jwk.find("kid");
  if (it == jwk.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

}  // namespace

Result<JwkSet> JwkSet::FromVerifiers(std::vector<keys::Verifier> verifiers) {
  if (HasDuplicateKid(verifiers)) return Errc::kDuplicateKid;
  return JwkSet(std::move(verifiers), {});
}

Result<JwkSet> JwkSet::Parse(std::string_view json_text) {
  const nlohmann::json document = nlohmann::json::parse(json_text, nullptr, false);
  if (document.is_discarded()) return Errc::kInvalidJson;
  return FromJson(document);
}

Result<JwkSet> JwkSet::FromJson(const nlohmann::json& document) {
  if (!document.is_object()) return Errc::kNotAJwkSet;
  const auto keys_it = document.find("keys");
  if (keys_it == document.end() || !keys_it->is_array()) return Errc::kNotAJwkSet;

  // Set-wide checks first: they reject the whole set whatever the individual keys are.
  std::set<std::string> kids;
  for (const auto& jwk : *keys_it) {
    if (!jwk.is_object()) return Errc::kNotAnObject;
    if (internal::HasPrivateMember(jwk)) return Errc::kPrivateMemberPresent;
    if (!kids.insert(KidOf(jwk)).second) return Errc::kDuplicateKid;
  }

  std::vector<keys::Verifier> verifiers;
  std::vector<SkippedKey> skipped;
  for (const auto& jwk : *keys_it) {
    auto verifier = ImportPublicJwk(jwk);
    if (verifier) {
      verifiers.push_back(std::move(*verifier));
    } else {
      skipped.push_back(SkippedKey{KidOf(jwk), verifier.error()});
    }
  }
  return JwkSet(std::move(verifiers), std::move(skipped));
}

const keys::Verifier* JwkSet::Find(std::string_view kid) const noexcept {
  for (const auto& v : verifiers_) {
    if (v.kid() == kid) return &v;
  }
  return nullptr;
}

const SkippedKey* JwkSet::FindSkipped(std::string_view kid) const noexcept {
  for (const auto& s : skipped_) {
    if (s.kid == kid) return &s;
  }
  return nullptr;
}

Result<std::string> BuildJwksDocument(std::span<const keys::Verifier> verifiers) {
  if (HasDuplicateKid(verifiers)) return Errc::kDuplicateKid;
  nlohmann::json keys_array = nlohmann::json::array();
  for (const auto& v : verifiers) {
    auto jwk = PublicJwk::FromVerifier(v);
    if (!jwk) return jwk.error();
    keys_array.push_back(jwk->ToJson());
  }
  nlohmann::json document = nlohmann::json::object();
  document["keys"] = std::move(keys_array);
  return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace signet::jwks

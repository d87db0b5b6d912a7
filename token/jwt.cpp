#include "token/jwt.hpp"

namespace signet::token {

Result<std::string> MintJwt(const JwsSigner& signer, const nlohmann::json& claims) {
  if (!claims.is_object()) return Errc::kPayloadNotJson;
  return signer.Sign(claims);
}

Result<std::string> MintJwt(const keys::Signer& signer, std::string_view typ,
                            const nlohmann::json& claims) {
  if (!claims.is_object()) return Errc::kPayloadNotJson;
  return SignCompact(signer, typ, claims);
}

Result<nlohmann::json> ParseClaims(std::string_view payload) {
  nlohmann::json claims = nlohmann::json::parse(payload, nullptr, false);
  if (claims.is_discarded() || !claims.is_object()) {
    return make_error_code(Errc::kPayloadNotJson);  // json itself converts from an enum
  }
  return claims;
}

std::int64_t ToNumericDate(std::chrono::system_clock::time_point t) noexcept {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

Result<std::optional<double>> ReadNumericDate(const nlohmann::json& claims, std::string_view name) {
  const auto it = claims.find(name);
  if (it == claims.end()) return std::optional<double>{};
  if (!it->is_number()) return Errc::kClaimWrongType;
  return std::optional<double>{it->get<double>()};
}

Result<std::optional<std::string>> ReadStringClaim(const nlohmann::json& claims,
                                                   std::string_view name) {
  const auto it = claims.find(name);
  if (it == claims.end()) return std::optional<std::string>{};
  if (!it->is_string()) return Errc::kClaimWrongType;
  return std::optional<std::string>{it->get<std::string>()};
}

Result<std::vector<std::string>> ReadAudiences(const nlohmann::json& claims) {
  std::vector<std::string> audiences;
  const auto it = claims.find("aud");
  if (it == claims.end()) return audiences;
  if (it->is_string()) {
    audiences.push_back(it->get<std::string>());
    return audiences;
  }
  if (!it->is_array()) return Errc::kClaimWrongType;
  for (const auto& aud : *it) {
    if (!aud.is_string()) return Errc::kClaimWrongType;
    audiences.push_back(aud.get<std::string>());
  }
  return audiences;
}

}  // namespace signet::token

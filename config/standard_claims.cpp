#include "config/standard_claims.hpp"

#include <array>

#include <nlohmann/json.hpp>

namespace signet::config {
namespace {

// OIDC Core §5.4 (the scope that releases the claim) and §5.1 (its type).
constexpr std::array<StandardClaim, 19> kStandardClaims{{
    {"name", "profile", ClaimType::kString},
    {"family_name", "profile", ClaimType::kString},
    {"given_name", "profile", ClaimType::kString},
    {"middle_name", "profile", ClaimType::kString},
    {"nickname", "profile", ClaimType::kString},
    {"preferred_username", "profile", ClaimType::kString},
    {"profile", "profile", ClaimType::kString},
    {"picture", "profile", ClaimType::kString},
    {"website", "profile", ClaimType::kString},
    {"gender", "profile", ClaimType::kString},
    {"birthdate", "profile", ClaimType::kString},
    {"zoneinfo", "profile", ClaimType::kString},
    {"locale", "profile", ClaimType::kString},
    {"updated_at", "profile", ClaimType::kNumber},  // §5.1: seconds since the epoch
    {"email", "email", ClaimType::kString},
    {"email_verified", "email", ClaimType::kBoolean},
    {"address", "address", ClaimType::kObject},  // §5.1.1: a JSON object
    {"phone_number", "phone", ClaimType::kString},
    {"phone_number_verified", "phone", ClaimType::kBoolean},
}};

bool HasType(const nlohmann::json& value, ClaimType type) noexcept {
  switch (type) {
    case ClaimType::kString: return value.is_string();
    case ClaimType::kBoolean: return value.is_boolean();
    case ClaimType::kObject: return value.is_object();
    case ClaimType::kNumber: return value.is_number();
  }
  return false;
}

std::string_view TypeName(ClaimType type) noexcept {
  switch (type) {
    case ClaimType::kString: return "a string (quote it in YAML)";
    case ClaimType::kBoolean: return "a boolean (true or false, unquoted)";
    case ClaimType::kObject: return "an object";
    case ClaimType::kNumber: return "a number";
  }
  return "?";
}

}  // namespace

const StandardClaim* FindStandardClaim(std::string_view name) noexcept {
  for (const StandardClaim& claim : kStandardClaims) {
    if (claim.name == name) return &claim;
  }
  return nullptr;
}

std::optional<std::string> CheckStandardClaimValue(const StandardClaim& claim,
                                                   const nlohmann::json& value) {
  if (value.is_null() || HasType(value, claim.type)) return std::nullopt;
  return "OIDC Core 5.1 wants " + std::string(TypeName(claim.type));
}

}  // namespace signet::config

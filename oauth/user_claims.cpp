#include "oauth/user_claims.hpp"

#include <array>
#include <utility>

#include <nlohmann/json.hpp>

namespace signet::oauth {
namespace {

// The JSON type OIDC Core §5.1 gives each standard claim.
enum class ClaimType { kString, kBoolean, kObject, kNumber };

struct StandardClaim {
  std::string_view name;
  ClaimScope scope;
  ClaimType type;
};

// OIDC Core §5.4 (which scope releases the claim) and §5.1 (its type).
constexpr std::array<StandardClaim, 19> kStandardClaims{{
    {"name", kClaimScopeProfile, ClaimType::kString},
    {"family_name", kClaimScopeProfile, ClaimType::kString},
    {"given_name", kClaimScopeProfile, ClaimType::kString},
    {"middle_name", kClaimScopeProfile, ClaimType::kString},
    {"nickname", kClaimScopeProfile, ClaimType::kString},
    {"preferred_username", kClaimScopeProfile, ClaimType::kString},
    {"profile", kClaimScopeProfile, ClaimType::kString},
    {"picture", kClaimScopeProfile, ClaimType::kString},
    {"website", kClaimScopeProfile, ClaimType::kString},
    {"gender", kClaimScopeProfile, ClaimType::kString},
    {"birthdate", kClaimScopeProfile, ClaimType::kString},
    {"zoneinfo", kClaimScopeProfile, ClaimType::kString},
    {"locale", kClaimScopeProfile, ClaimType::kString},
    {"updated_at", kClaimScopeProfile, ClaimType::kNumber},  // §5.1: seconds since the epoch
    {"email", kClaimScopeEmail, ClaimType::kString},
    {"email_verified", kClaimScopeEmail, ClaimType::kBoolean},
    {"address", kClaimScopeAddress, ClaimType::kObject},  // §5.1.1: a JSON object
    {"phone_number", kClaimScopePhone, ClaimType::kString},
    {"phone_number_verified", kClaimScopePhone, ClaimType::kBoolean},
}};

const StandardClaim* FindStandardClaim(std::string_view name) noexcept {
  for (const StandardClaim& claim : kStandardClaims) {
    if (claim.name == name) return &claim;
  }
  return nullptr;
}

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
    case ClaimType::kBoolean: return "a boolean";
    case ClaimType::kObject: return "an object";
    case ClaimType::kNumber: return "a number";
  }
  return "?";
}

Error InvalidClaims(std::string detail) {
  // Startup only: the text names a user and a claim, never a value.
  return MakeError(ErrorCode::kServerError, detail, detail);
}

}  // namespace

ClaimScope ScopeReleasing(std::string_view claim) noexcept {
  const StandardClaim* standard = FindStandardClaim(claim);
  return standard != nullptr ? standard->scope : kClaimScopeNone;
}

std::uint8_t ClaimScopesOf(std::span<const std::string> scope) noexcept {
  unsigned bits = kClaimScopeNone;
  for (const std::string& value : scope) {
    if (value == "profile") bits |= kClaimScopeProfile;
    if (value == "email") bits |= kClaimScopeEmail;
    if (value == "address") bits |= kClaimScopeAddress;
    if (value == "phone") bits |= kClaimScopePhone;
  }
  return static_cast<std::uint8_t>(bits);
}

Expected<UserClaimsRegistry> UserClaimsRegistry::Create(std::span<const config::User> users) {
  std::map<std::string, Claims, std::less<>> parsed;
  for (const config::User& user : users) {
    const std::string where = "users[" + user.username + "].claims";
    const nlohmann::json claims = nlohmann::json::parse(user.claims_json, nullptr, false);
    if (!claims.is_object()) return InvalidClaims(where + ": not a JSON object");
    Claims released;
    for (const auto& [name, value] : claims.items()) {
      const StandardClaim* standard = FindStandardClaim(name);
      // Not released by any scope (§5.4): dropped here so no request can ever see it.
      if (standard == nullptr || value.is_null()) continue;
      if (!HasType(value, standard->type)) {
        return InvalidClaims(where + "." + name + ": OIDC Core 5.1 wants " +
                             std::string(TypeName(standard->type)));
      }
      std::string member = nlohmann::json(name).dump();
      member += ':';
      member += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      released.push_back(Claim{std::move(member), standard->scope});
    }
    if (!parsed.emplace(user.username, std::move(released)).second) {
      return InvalidClaims(where + ": duplicate username");
    }
  }
  return UserClaimsRegistry(std::move(parsed));
}

bool UserClaimsRegistry::Contains(std::string_view username) const {
  return users_.find(username) != users_.end();
}

bool UserClaimsRegistry::AppendReleased(std::string& json, std::string_view username,
                                        std::span<const std::string> scope) const {
  const auto user = users_.find(username);
  if (user == users_.end()) return false;
  const std::uint8_t granted = ClaimScopesOf(scope);
  if (granted == kClaimScopeNone) return true;
  for (const Claim& claim : user->second) {
    if ((granted & claim.scope) == 0) continue;
    json.push_back(',');
    json.append(claim.member);
  }
  return true;
}

}  // namespace signet::oauth

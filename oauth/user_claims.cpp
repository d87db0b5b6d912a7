#include "oauth/user_claims.hpp"

#include <utility>

#include <nlohmann/json.hpp>

#include "config/standard_claims.hpp"

namespace signet::oauth {
namespace {

// The bit of a §5.4 scope value (config::StandardClaim::scope), kClaimScopeNone for others.
ClaimScope ScopeBit(std::string_view scope) noexcept {
  if (scope == "profile") return kClaimScopeProfile;
  if (scope == "email") return kClaimScopeEmail;
  if (scope == "address") return kClaimScopeAddress;
  if (scope == "phone") return kClaimScopePhone;
  return kClaimScopeNone;
}

Error InvalidClaims(std::string detail) {
  // Startup only: the text names a user and a claim, never a value.
  return MakeError(ErrorCode::kServerError, detail, detail);
}

}  // namespace

ClaimScope ScopeReleasing(std::string_view claim) noexcept {
  const config::StandardClaim* standard = config::FindStandardClaim(claim);
  return standard != nullptr ? ScopeBit(standard->scope) : kClaimScopeNone;
}

std::uint8_t ClaimScopesOf(std::span<const std::string> scope) noexcept {
  unsigned bits = kClaimScopeNone;
  for (const std::string& value : scope) bits |= ScopeBit(value);
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
      const config::StandardClaim* standard = config::FindStandardClaim(name);
      // Not released by any scope (§5.4): dropped here so no request can ever see it.
      if (standard == nullptr || value.is_null()) continue;
      // The loader refuses these already (one check, config/standard_claims.hpp); a Config
      // built in code has not been through it.
      if (auto why = config::CheckStandardClaimValue(*standard, value)) {
        return InvalidClaims(where + "." + name + ": " + *why);
      }
      std::string member = nlohmann::json(name).dump();
      member += ':';
      member += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      released.push_back(Claim{std::move(member), ScopeBit(standard->scope)});
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

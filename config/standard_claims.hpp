#pragma once
// The standard claims of OIDC Core §5.1 that a scope releases (§5.4), with the JSON type each
// must have. One table for both users of it: the loader refuses a configured user claim of
// the wrong type (users[0].claims.email_verified: "yes"), so `signet config check` and start-up
// report it alike, and oauth::UserClaimsRegistry releases claims by scope from it.
//
// Usage:
//   if (const config::StandardClaim* claim = config::FindStandardClaim(name)) {
//     if (auto why = config::CheckStandardClaimValue(*claim, value)) ... refuse: *why
//   }

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace signet::config {

enum class ClaimType { kString, kBoolean, kObject, kNumber };

struct StandardClaim {
  std::string_view name;
  std::string_view scope;  // the §5.4 scope value that releases it: profile, email, address, phone
  ClaimType type;          // §5.1
};

// nullptr when `name` is not a standard claim released by a scope (`sub` is signet's own).
const StandardClaim* FindStandardClaim(std::string_view name) noexcept;

// Why `value` cannot be `claim` ("OIDC Core 5.1 wants a boolean"), never repeating the value;
// nullopt when it can. null always can: §5.3.2 treats it as absent.
std::optional<std::string> CheckStandardClaimValue(const StandardClaim& claim,
                                                   const nlohmann::json& value);

}  // namespace signet::config

#pragma once
// The users' standard claims (OIDC Core §5.1) and which of them a grant releases (§5.4).
//
// OIDC Core §5.4 maps scope values to claims:
//   profile -> name, family_name, given_name, middle_name, nickname, preferred_username,
//              profile, picture, website, gender, birthdate, zoneinfo, locale, updated_at
//   email   -> email, email_verified
//   address -> address
//   phone   -> phone_number, phone_number_verified
// A claim in no granted scope's list is never released; a configured claim that is in no
// list at all (e.g. "groups") is dropped at startup, so it can never leak into a token.
//
// Each user's claims_json is parsed once, when the registry is created (at startup), into
// pre-serialised `"name":value` members, so an ID token or a userinfo answer appends text
// instead of building and dumping a JSON tree per request.
//
// Usage:
//   auto users = oauth::UserClaimsRegistry::Create(config.users);   // at startup
//   std::string json = R"({"sub":"alice")";
//   if (!users->AppendReleased(json, "alice", granted_scope)) ... unknown user
//   json += '}';

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "oauth/error.hpp"

namespace signet::oauth {

// The scope values of OIDC Core §5.4 as bits, so a grant's scope is matched once per request.
enum ClaimScope : std::uint8_t {
  kClaimScopeNone = 0,
  kClaimScopeProfile = 1U << 0U,
  kClaimScopeEmail = 1U << 1U,
  kClaimScopeAddress = 1U << 2U,
  kClaimScopePhone = 1U << 3U,
};

// The §5.4 scope that releases `claim`, or kClaimScopeNone when no scope does.
ClaimScope ScopeReleasing(std::string_view claim) noexcept;

// The union of the §5.4 scopes among `scope` (other values, such as openid, add nothing).
std::uint8_t ClaimScopesOf(std::span<const std::string> scope) noexcept;

class UserClaimsRegistry {
 public:
  // Parses every user's claims_json. server_error (the user and claim in Error::debug) when
  // one is not a JSON object or a standard claim has the wrong JSON type for OIDC Core §5.1
  // (strings, except email_verified and phone_number_verified: booleans, address: an object,
  // updated_at: a number). A null claim is treated as absent (§5.3.2).
  [[nodiscard]] static Expected<UserClaimsRegistry> Create(std::span<const config::User> users);

  bool Contains(std::string_view username) const;

  // Appends `,"name":value` for each of the user's claims released by `scope` (OIDC Core
  // §5.4). false (and nothing appended) when the user is not configured. Thread-safe.
  bool AppendReleased(std::string& json, std::string_view username,
                      std::span<const std::string> scope) const;

 private:
  struct Claim {
    std::string member;  // `"name":value`, ready to append
    ClaimScope scope;
  };
  using Claims = std::vector<Claim>;

  explicit UserClaimsRegistry(std::map<std::string, Claims, std::less<>> users)
      : users_(std::move(users)) {}

  std::map<std::string, Claims, std::less<>> users_;
};

}  // namespace signet::oauth

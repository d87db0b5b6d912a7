// users: [...] — the accounts of the login form and the password grant.

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "config/internal/sections.hpp"
#include "config/internal/validators.hpp"
#include "config/key_names.hpp"
#include "config/standard_claims.hpp"

namespace signet::config::internal {
namespace {

// Claims signet sets itself; a configured value would silently override or conflict with
// them (RFC 7519 §4.1 registered claims, OIDC Core §2 ID token claims).
constexpr std::array<std::string_view, 13> kReservedClaims{
    "iss",       "sub",   "aud", "exp",   "nbf",       "iat", "jti",
    "auth_time", "nonce", "azp", "scope", "client_id", "acr"};

// Limits that keep a hostile document (deep nesting, alias "billion laughs") cheap.
constexpr int kMaxClaimDepth = 16;
constexpr std::size_t kMaxClaimNodes = 10'000;

struct ClaimBudget {
  std::size_t nodes = 0;
  bool exceeded = false;
};

// A plain YAML scalar becomes the JSON value YAML 1.2's core schema gives it; a quoted one
// (tag "!") stays a string.
nlohmann::json ScalarToJson(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return nullptr;
  }
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  std::int64_t integer = 0;
  const char* end = text.data() + text.size();
  if (auto [ptr, ec] = std::from_chars(text.data(), end, integer);
      ec == std::errc{} && ptr == end) {
    return integer;
  }
  double real = 0;
  if (auto [ptr, ec] = std::from_chars(text.data(), end, real);
      ec == std::errc{} && ptr == end && std::isfinite(real)) {
    return real;
  }
  return text;
}

nlohmann::json NodeToJson(const YAML::Node& node, int depth, ClaimBudget& budget) {
  if (++budget.nodes > kMaxClaimNodes || depth > kMaxClaimDepth) {
    budget.exceeded = true;
    return nullptr;
  }
  switch (node.Type()) {
    case YAML::NodeType::Scalar: return ScalarToJson(node);
    case YAML::NodeType::Sequence: {
      nlohmann::json array = nlohmann::json::array();
      for (const YAML::Node& element : node) {
        array.push_back(NodeToJson(element, depth + 1, budget));
        if (budget.exceeded) break;
      }
      return array;
    }
    case YAML::NodeType::Map: {
      nlohmann::json object = nlohmann::json::object();
      for (auto it = node.begin(); it != node.end() && !budget.exceeded; ++it) {
        const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string();
        object[key] = NodeToJson(it->second, depth + 1, budget);
      }
      return object;
    }
    default: return nullptr;
  }
}

void ParseClaims(const YAML::Node& node, const std::string& path, User& user,
                 ProblemList& problems) {
  if (!node.IsMap()) {
    return problems.Add(path, Errc::kWrongType,
                        "expected a mapping of claims, got " + std::string(DescribeNode(node)));
  }
  bool ok = true;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar() || it->first.Scalar().empty()) {
      problems.Add(path, Errc::kWrongType, "claim names must be non-empty strings");
      ok = false;
      continue;
    }
    const std::string& name = it->first.Scalar();
    if (std::find(kReservedClaims.begin(), kReservedClaims.end(), name) != kReservedClaims.end()) {
      problems.Add(JoinPath(path, name), Errc::kReservedClaim,
                   "'" + name + "' is set by signet and cannot be configured");
      ok = false;
    }
  }
  ClaimBudget budget;
  nlohmann::json claims = NodeToJson(node, 0, budget);
  if (budget.exceeded) {
    problems.Add(path, Errc::kTooComplex, "claims are nested too deeply or are too large");
    return;
  }
  // The standard claims have fixed JSON types (OIDC Core §5.1); a relying party reading
  // email_verified: "yes" as true would trust an address nobody verified.
  for (const auto& [name, value] : claims.items()) {
    const StandardClaim* standard = FindStandardClaim(name);
    if (standard == nullptr) continue;
    if (auto why = CheckStandardClaimValue(*standard, value)) {
      problems.Add(JoinPath(path, name), Errc::kWrongType, std::move(*why));
      ok = false;
    }
  }
  if (ok) user.claims_json = claims.dump();
}

void ParseUser(const YAML::Node& node, const std::string& path, User& user, ProblemList& problems) {
  auto map = MapReader::Open(node, path, key::kUserKeys, problems);
  if (!map) return;
  auto string_field = [&](std::string_view name, std::string& out) {
    WithKey(*map, name, [&](const YAML::Node& n, const std::string& p) {
      if (auto v = ReadString(n, p, problems)) out = *v;
    });
  };
  string_field(key::kUsername, user.username);
  string_field(key::kPassword, user.password);
  string_field(key::kPasswordHash, user.password_hash);
  if (user.username.empty()) {
    problems.Add(map->PathOf(key::kUsername), Errc::kMissingValue, "username is required");
  }
  if (user.password.empty() && user.password_hash.empty()) {
    problems.Add(map->PathOf(key::kPasswordHash), Errc::kMissingValue,
                 "a user needs password_hash (from `signet hash-secret`) or, for development, "
                 "password");
  } else if (!user.password.empty() && !user.password_hash.empty()) {
    problems.Add(map->PathOf(key::kPassword), Errc::kConflictingSettings,
                 "set only one of password and password_hash");
  }
  if (!user.password_hash.empty()) {
    if (auto invalid = CheckArgon2idEncoding(user.password_hash)) {
      problems.Add(map->PathOf(key::kPasswordHash), invalid->code, invalid->detail);
    }
  }
  WithKey(*map, key::kClaims,
          [&](const YAML::Node& n, const std::string& p) { ParseClaims(n, p, user, problems); });
}

}  // namespace

void ParseUsers(const YAML::Node& node, const std::string& path, std::vector<User>& users,
                ProblemList& problems) {
  ReadUniqueList(
      node, path, "users", key::kUsername,
      [](const User& user) -> const std::string& { return user.username; },
      [&](const YAML::Node& element, const std::string& element_path, User& user) {
        ParseUser(element, element_path, user, problems);
      },
      users, problems);
}

}  // namespace signet::config::internal

// clients: [...] — RFC 7591 §2 client metadata, checked so that every client the server
// loads can actually authenticate and use the grants it lists.

#include <algorithm>
#include <array>
#include <string>

#include "config/internal/sections.hpp"
#include "config/internal/validators.hpp"
#include "config/key_names.hpp"

namespace signet::config::internal {
namespace {

struct NamedGrant {
  std::string_view name;
  GrantType grant;
};
constexpr std::array<NamedGrant, 4> kGrantNames{{
    {"client_credentials", GrantType::kClientCredentials},
    {"authorization_code", GrantType::kAuthorizationCode},
    {"refresh_token", GrantType::kRefreshToken},
    {"password", GrantType::kPassword},
}};

struct NamedMethod {
  std::string_view name;
  TokenEndpointAuthMethod method;
};
constexpr std::array<NamedMethod, 4> kMethodNames{{
    {"client_secret_basic", TokenEndpointAuthMethod::kClientSecretBasic},
    {"client_secret_post", TokenEndpointAuthMethod::kClientSecretPost},
    {"private_key_jwt", TokenEndpointAuthMethod::kPrivateKeyJwt},
    {"none", TokenEndpointAuthMethod::kNone},
}};

bool Has(const std::vector<GrantType>& grants, GrantType grant) {
  return std::find(grants.begin(), grants.end(), grant) != grants.end();
}

// RFC 6749 Appendix A.1: client-id = *VSCHAR (%x20-7E).
bool IsValidClientId(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) <= 0x7E;
  });
}

void ParseGrantTypes(const YAML::Node& node, const std::string& path, Client& client,
                     ProblemList& problems) {
  auto names = ReadStringList(node, path, problems);
  if (!names) return;
  if (!node.IsSequence() || node.size() == 0) {
    return problems.Add(path, Errc::kMissingValue, "at least one grant type is needed");
  }
  std::vector<GrantType> grants;
  std::size_t index = 0;
  for (const YAML::Node& element : node) {
    const std::string element_path = IndexPath(path, index++);
    if (!element.IsScalar()) continue;  // reported by ReadStringList
    const std::string& name = element.Scalar();
    const auto* found = std::find_if(kGrantNames.begin(), kGrantNames.end(),
                                     [&](const NamedGrant& g) { return g.name == name; });
    if (found == kGrantNames.end()) {
      std::string detail = "unknown grant type";
      if (name == "implicit") detail = "the implicit grant is not supported (RFC 9700 §2.1.2)";
      detail += "; use client_credentials, authorization_code, refresh_token or password";
      problems.Add(element_path, Errc::kBadEnumValue, std::move(detail));
      continue;
    }
    if (Has(grants, found->grant)) {
      problems.Add(element_path, Errc::kDuplicateValue, "grant type listed twice");
      continue;
    }
    grants.push_back(found->grant);
  }
  client.grant_types = std::move(grants);
}

void ParseUriList(const YAML::Node& node, const std::string& path, std::vector<std::string>& out,
                  ProblemList& problems) {
  auto uris = ReadStringList(node, path, problems);
  if (!uris || !node.IsSequence()) return;
  std::size_t index = 0;
  for (const YAML::Node& element : node) {
    const std::string element_path = IndexPath(path, index++);
    if (!element.IsScalar()) continue;
    if (auto invalid = CheckRedirectUri(element.Scalar())) {
      problems.Add(element_path, invalid->code, invalid->detail);
      continue;
    }
    out.push_back(element.Scalar());
  }
}

void ParseScope(const YAML::Node& node, const std::string& path, Client& client,
                ProblemList& problems) {
  auto text = ReadString(node, path, problems);
  if (!text) return;
  // RFC 6749 §3.3: space-delimited, case-sensitive scope tokens.
  std::size_t start = 0;
  while (start <= text->size()) {
    std::size_t end = text->find(' ', start);
    if (end == std::string::npos) end = text->size();
    const std::string token = text->substr(start, end - start);
    if (!token.empty()) {
      if (!IsValidScopeToken(token)) {
        problems.Add(path, Errc::kBadScope,
                     "scope tokens may only contain printable ASCII except '\"' and '\\' "
                     "(RFC 6749 §3.3), separated by single spaces");
        return;
      }
      if (std::find(client.scope.begin(), client.scope.end(), token) == client.scope.end()) {
        client.scope.push_back(token);
      }
    }
    start = end + 1;
  }
}

// Which method the client authenticates with, and whether that can ever work.
void CheckAuthMethod(const std::optional<TokenEndpointAuthMethod>& declared,
                     const std::string& path, Client& client, ProblemList& problems) {
  const bool has_secret = !client.client_secret.empty();
  const bool has_hash = !client.client_secret_hash.empty();
  const std::string method_path = JoinPath(path, key::kTokenEndpointAuthMethod);
  if (has_secret && has_hash) {
    problems.Add(JoinPath(path, key::kClientSecret), Errc::kConflictingSettings,
                 "set only one of client_secret and client_secret_hash");
  }
  const TokenEndpointAuthMethod method =
      declared.value_or(has_secret || has_hash ? TokenEndpointAuthMethod::kClientSecretBasic
                                               : TokenEndpointAuthMethod::kNone);
  client.token_endpoint_auth_method = method;
  switch (method) {
    case TokenEndpointAuthMethod::kClientSecretBasic:
    case TokenEndpointAuthMethod::kClientSecretPost:
      if (!has_secret && !has_hash) {
        problems.Add(path, Errc::kNoUsableAuthMethod,
                     "client has no usable authentication method: set client_secret_hash "
                     "(from `signet hash-secret`), or token_endpoint_auth_method: none for a "
                     "public client");
      }
      return;
    case TokenEndpointAuthMethod::kPrivateKeyJwt:
      problems.Add(method_path, Errc::kNotSupportedYet,
                   "private_key_jwt is not supported yet (it needs client jwks/jwks_uri); use "
                   "client_secret_basic or client_secret_post");
      return;
    case TokenEndpointAuthMethod::kNone:
      if (!declared) {
        problems.Add(path, Errc::kNoUsableAuthMethod,
                     "client has no usable authentication method: set client_secret_hash "
                     "(from `signet hash-secret`), or token_endpoint_auth_method: none for a "
                     "public client");
        return;
      }
      if (has_secret || has_hash) {
        problems.Add(method_path, Errc::kConflictingSettings,
                     "a public client (none) must not have a client_secret or "
                     "client_secret_hash");
      }
      // RFC 6749 §4.4: "The client credentials grant type MUST only be used by
      // confidential clients."
      if (Has(client.grant_types, GrantType::kClientCredentials)) {
        problems.Add(JoinPath(path, key::kGrantTypes), Errc::kConflictingSettings,
                     "client_credentials needs a confidential client (RFC 6749 §4.4)");
      }
      return;
  }
}

void ParseClient(const YAML::Node& node, const std::string& path, Client& client,
                 ProblemList& problems) {
  auto map = MapReader::Open(node, path, key::kClientKeys, problems);
  if (!map) return;
  auto string_field = [&](std::string_view name, std::string& out) {
    WithKey(*map, name, [&](const YAML::Node& n, const std::string& p) {
      if (auto v = ReadString(n, p, problems)) out = *v;
    });
  };
  string_field(key::kClientId, client.client_id);
  string_field(key::kClientSecret, client.client_secret);
  string_field(key::kClientSecretHash, client.client_secret_hash);
  if (client.client_id.empty()) {
    problems.Add(map->PathOf(key::kClientId), Errc::kMissingValue, "client_id is required");
  } else if (!IsValidClientId(client.client_id)) {
    problems.Add(map->PathOf(key::kClientId), Errc::kBadEnumValue,
                 "client_id may only contain printable ASCII (RFC 6749 Appendix A.1)");
  }
  if (!client.client_secret_hash.empty()) {
    if (auto invalid = CheckArgon2idEncoding(client.client_secret_hash)) {
      problems.Add(map->PathOf(key::kClientSecretHash), invalid->code, invalid->detail);
    }
  }

  std::optional<TokenEndpointAuthMethod> declared;
  bool method_valid = true;
  WithKey(*map, key::kTokenEndpointAuthMethod, [&](const YAML::Node& n, const std::string& p) {
    auto v = ReadString(n, p, problems);
    const auto* found = std::find_if(kMethodNames.begin(), kMethodNames.end(),
                                     [&](const NamedMethod& m) { return v && m.name == *v; });
    if (v && found == kMethodNames.end()) {
      problems.Add(p, Errc::kBadEnumValue,
                   "must be client_secret_basic, client_secret_post, private_key_jwt or none");
    }
    method_valid = v && found != kMethodNames.end();
    if (method_valid) declared = found->method;
  });
  WithKey(*map, key::kGrantTypes, [&](const YAML::Node& n, const std::string& p) {
    ParseGrantTypes(n, p, client, problems);
  });
  WithKey(*map, key::kRedirectUris, [&](const YAML::Node& n, const std::string& p) {
    ParseUriList(n, p, client.redirect_uris, problems);
  });
  WithKey(*map, key::kPostLogoutRedirectUris, [&](const YAML::Node& n, const std::string& p) {
    ParseUriList(n, p, client.post_logout_redirect_uris, problems);
  });
  WithKey(*map, key::kScope,
          [&](const YAML::Node& n, const std::string& p) { ParseScope(n, p, client, problems); });
  WithKey(*map, key::kAudience, [&](const YAML::Node& n, const std::string& p) {
    if (auto v = ReadStringList(n, p, problems, /*allow_scalar=*/true)) client.audience = *v;
  });
  WithKey(*map, key::kAccessTokenSignedResponseAlg, [&](const YAML::Node& n, const std::string& p) {
    client.access_token_signed_response_alg = ReadAlgorithm(n, p, problems);
  });
  WithKey(*map, key::kIdTokenSignedResponseAlg, [&](const YAML::Node& n, const std::string& p) {
    client.id_token_signed_response_alg = ReadAlgorithm(n, p, problems);
  });

  if (method_valid) CheckAuthMethod(declared, path, client, problems);
  // RFC 6749 §3.1.2.2: the server requires registered redirect URIs for code flows.
  const YAML::Node* uris = map->Find(key::kRedirectUris);
  const bool uris_missing = uris == nullptr || (uris->IsSequence() && uris->size() == 0);
  if (Has(client.grant_types, GrantType::kAuthorizationCode) && uris_missing) {
    problems.Add(map->PathOf(key::kRedirectUris), Errc::kMissingValue,
                 "authorization_code needs at least one redirect URI (RFC 6749 §3.1.2.2)");
  }
}

}  // namespace

void ParseClients(const YAML::Node& node, const std::string& path, std::vector<Client>& clients,
                  ProblemList& problems) {
  // RFC 7591 §3.2.1: client_id is unique at the server.
  ReadUniqueList(
      node, path, "clients", key::kClientId,
      [](const Client& client) -> const std::string& { return client.client_id; },
      [&](const YAML::Node& element, const std::string& element_path, Client& client) {
        ParseClient(element, element_path, client, problems);
      },
      clients, problems);
}

}  // namespace signet::config::internal

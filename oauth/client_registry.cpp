#include "oauth/client_registry.hpp"

#include <algorithm>

namespace signet::oauth {

ClientRegistry::ClientRegistry(std::span<const config::Client> clients) : clients_(clients) {
  for (const config::Client& client : clients) {
    by_id_.emplace(client.client_id, &client);
    if (any_hashed_ == nullptr && !client.client_secret_hash.empty()) any_hashed_ = &client;
  }
}

const config::Client* ClientRegistry::Find(std::string_view client_id) const {
  const auto it = by_id_.find(client_id);
  return it == by_id_.end() ? nullptr : it->second;
}

std::string_view AuthMethodName(config::TokenEndpointAuthMethod method) noexcept {
  using M = config::TokenEndpointAuthMethod;
  switch (method) {
    case M::kClientSecretBasic: return "client_secret_basic";
    case M::kClientSecretPost: return "client_secret_post";
    case M::kPrivateKeyJwt: return "private_key_jwt";
    case M::kNone: return "none";
  }
  return "none";
}

std::string_view GrantTypeName(config::GrantType grant) noexcept {
  using G = config::GrantType;
  switch (grant) {
    case G::kClientCredentials: return "client_credentials";
    case G::kAuthorizationCode: return "authorization_code";
    case G::kRefreshToken: return "refresh_token";
    case G::kPassword: return "password";
  }
  return "";
}

bool HasGrantType(const config::Client& client, config::GrantType type) noexcept {
  return std::find(client.grant_types.begin(), client.grant_types.end(), type) !=
         client.grant_types.end();
}

const config::User* FindUser(const config::Config& config, std::string_view username) noexcept {
  for (const config::User& user : config.users) {
    if (user.username == username) return &user;
  }
  return nullptr;
}

}  // namespace signet::oauth

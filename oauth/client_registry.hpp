#pragma once
// The registered clients, looked up by client_id (RFC 6749 §2.2). Built once from the
// immutable configuration; lookups are lock-free and safe from every thread.
//
// Usage:
//   oauth::ClientRegistry registry(config.clients);   // config must outlive registry
//   if (const config::Client* client = registry.Find("orders-service")) ...

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace signet::oauth {

class ClientRegistry {
 public:
  // Keeps pointers into `clients`, which must outlive the registry. A duplicate client_id
  // keeps the first entry (the config loader rejects duplicates).
  explicit ClientRegistry(std::span<const config::Client> clients);

  // nullptr for an unknown client_id.
  const config::Client* Find(std::string_view client_id) const;

  // Some client whose secret is stored as an argon2 hash, or nullptr: the authenticator
  // verifies against it for unknown clients so that they cost as much as a wrong secret.
  const config::Client* AnyHashedClient() const noexcept { return any_hashed_; }

  std::size_t size() const noexcept { return by_id_.size(); }
  std::span<const config::Client> clients() const noexcept { return clients_; }

 private:
  std::span<const config::Client> clients_;
  std::map<std::string, const config::Client*, std::less<>> by_id_;
  const config::Client* any_hashed_ = nullptr;
};

// Wire names (RFC 7591 §2) for logs and error details.
std::string_view AuthMethodName(config::TokenEndpointAuthMethod method) noexcept;
std::string_view GrantTypeName(config::GrantType grant) noexcept;

// Whether `client` lists `type` in its grant_types (what each grant checks first).
bool HasGrantType(const config::Client& client, config::GrantType type) noexcept;

// The configured user named `username`, or nullptr.
const config::User* FindUser(const config::Config& config, std::string_view username) noexcept;

}  // namespace signet::oauth

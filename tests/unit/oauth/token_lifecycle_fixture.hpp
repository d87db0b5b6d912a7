#pragma once
// Shared set-up for the revocation and introspection tests (oauth and server): a config with
// three clients, a key ring with one ES256 key, an access-token issuer on the same ring, a
// settable clock, an in-memory revocation store, and a store that is always unavailable.
//
// Usage:
//   class MyTest : public signet::testing::TokenLifecycleFixture {};
//   std::string token = IssueFor("svc");
//   Advance(std::chrono::seconds(60));

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "keys/base64url.hpp"
#include "keys/key_ring.hpp"
#include "keys/private_key.hpp"
#include "oauth/access_token_issuer.hpp"
#include "oauth/client_authenticator.hpp"
#include "oauth/client_registry.hpp"
#include "oauth/internal/basic_credentials.hpp"
#include "store/memory_revocation_store.hpp"

namespace signet::testing {

inline constexpr std::int64_t kLifecycleStart = 1'700'000'000;
inline constexpr std::string_view kLifecycleIssuer = "https://id.example.com";
inline constexpr std::string_view kLifecycleAudience = "https://api.example.com";

// Every operation fails as an unreachable Redis does.
class UnavailableRevocationStore final : public store::RevocationStore {
 public:
  boost::asio::awaitable<store::Result<void>> RevokeJti(std::string, store::WallTime) override {
    co_return store::Errc::kUnavailable;
  }
  boost::asio::awaitable<store::Result<void>> RevokeSubject(std::string, store::WallTime,
                                                            store::WallTime) override {
    co_return store::Errc::kUnavailable;
  }
  boost::asio::awaitable<store::Result<bool>> IsRevoked(std::string, std::string, store::WallTime,
                                                        store::WallTime) override {
    co_return store::Errc::kTimeout;
  }
  boost::asio::awaitable<store::Result<std::uint64_t>> Revision() override {
    co_return store::Errc::kUnavailable;
  }
  boost::asio::awaitable<store::Result<store::RevocationSnapshot>> Snapshot(
      store::WallTime) override {
    co_return store::Errc::kUnavailable;
  }
  boost::asio::awaitable<store::Result<std::size_t>> Prune(store::WallTime) override {
    co_return store::Errc::kUnavailable;
  }
};

inline config::Client LifecycleClient(
    std::string id, std::string secret,
    config::TokenEndpointAuthMethod method = config::TokenEndpointAuthMethod::kClientSecretBasic) {
  config::Client client;
  client.client_id = std::move(id);
  client.client_secret = std::move(secret);
  client.token_endpoint_auth_method = method;
  client.scope = {"orders.read", "orders.write"};
  client.audience = {std::string(kLifecycleAudience)};
  return client;
}

inline config::Config LifecycleConfig() {
  config::Config config;
  config.issuer = std::string(kLifecycleIssuer);
  config.tokens.access_token_ttl = std::chrono::seconds(900);
  config.tokens.leeway = std::chrono::seconds(30);
  config.tokens.signing_alg = keys::Algorithm::kEs256;
  config.keys.algorithms = {keys::Algorithm::kEs256};
  config.clients.push_back(LifecycleClient("svc", "svc-secret"));
  config.clients.push_back(LifecycleClient("poster", "poster-secret",
                                           config::TokenEndpointAuthMethod::kClientSecretPost));
  auto pub = LifecycleClient("public", "", config::TokenEndpointAuthMethod::kNone);
  pub.grant_types = {config::GrantType::kAuthorizationCode};
  config.clients.push_back(pub);
  return config;
}

class TokenLifecycleFixture : public ::testing::Test {
 protected:
  TokenLifecycleFixture()
      : config_(LifecycleConfig()),
        registry_(config_.clients),
        issuer_(config_, oauth::KeyRingSigners(ring_), Clock()) {
    const auto start = Now();
    auto key = keys::PrivateKey::Generate(keys::Algorithm::kEs256);
    EXPECT_TRUE(key);
    auto entry = keys::MakeKeyEntry(std::move(*key), keys::KeyState::kActive, start, start,
                                    start + std::chrono::hours(48));
    EXPECT_TRUE(entry);
    std::vector<keys::KeyEntry> entries;
    entries.push_back(std::move(*entry));
    EXPECT_TRUE(ring_.Replace(std::move(entries)));
    auto authenticator = oauth::ClientAuthenticator::Create(
        registry_, oauth::InlineVerifier([](std::string_view, std::string_view) { return false; }));
    EXPECT_TRUE(authenticator);
    authenticator_ = std::move(*authenticator);
  }

  oauth::Clock Clock() {
    return [this] { return Now(); };
  }
  std::chrono::system_clock::time_point Now() const {
    return std::chrono::system_clock::time_point(std::chrono::seconds(now_.load()));
  }
  void Advance(std::chrono::seconds by) { now_ += by.count(); }

  // An access token for a registered client (sub = client_id, as client_credentials issues).
  std::string IssueFor(std::string_view client_id) {
    const config::Client* client = registry_.Find(client_id);
    EXPECT_NE(client, nullptr);
    const std::vector<std::string> scope{"orders.read"};
    auto issued = issuer_.Issue(
        {.subject = client_id, .client = client, .audience = client->audience, .scope = scope});
    EXPECT_TRUE(issued);
    return issued ? issued->token : std::string();
  }

  // The payload of a compact JWT as JSON, unverified (tests of what was minted).
  static nlohmann::json ClaimsOf(const std::string& jwt) {
    const auto first = jwt.find('.');
    const auto second = jwt.find('.', first + 1);
    auto payload = keys::Base64UrlDecode(jwt.substr(first + 1, second - first - 1));
    EXPECT_TRUE(payload);
    return payload ? nlohmann::json::parse(*payload) : nlohmann::json();
  }

  static std::string Basic(std::string_view id, std::string_view secret) {
    return oauth::internal::MakeBasicAuthorization(id, secret);
  }

  config::Config config_;
  std::atomic<std::int64_t> now_{kLifecycleStart};
  keys::KeyRing ring_;
  oauth::ClientRegistry registry_;
  oauth::AccessTokenIssuer issuer_;
  std::unique_ptr<oauth::ClientAuthenticator> authenticator_;
  store::MemoryRevocationStore store_;
  UnavailableRevocationStore unavailable_store_;
};

}  // namespace signet::testing

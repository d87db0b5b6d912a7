#pragma once
// Shared set-up of the password and refresh token grant tests (password_refresh_test.cpp,
// refresh_id_token_test.cpp): TokenService on the in-memory stores with a settable clock and
// a counting fake of the argon2 verifier. Clients "app" and "app2" may use password +
// refresh_token, "svc" password only, "cc" client_credentials only; users alice (hashed
// password "wonderland") and bob (clear "builder").
//
// Usage:
//   class MyTest : public signet::oauth::PasswordRefreshFixture {};
//   std::string token = Login("alice", "wonderland").response->refresh_token;
//   TokenOutcome refreshed = Refresh(token);

#include <atomic>
#include <cctype>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "oauth/token_service.hpp"
#include "store/memory_failure_rate_limiter.hpp"
#include "store/memory_refresh_token_store.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"
#include "tests/unit/oauth/token_lifecycle_fixture.hpp"

namespace signet::oauth {

// "hash" of a password in these tests: the verifier accepts encoded == "test$" + password.
inline constexpr std::string_view kFakeHashPrefix = "test$";

class PasswordRefreshFixture : public testing::TokenLifecycleFixture {
 protected:
  PasswordRefreshFixture() {
    // "app" and "app2" may use password + refresh_token; "svc" password only; "cc"
    // client_credentials only. (The fixture's own registry_ is not used here: it points
    // into the clients before these additions.)
    config_.clients[0].grant_types = {config::GrantType::kClientCredentials,
                                      config::GrantType::kPassword};
    config::Client app = testing::LifecycleClient("app", "app-secret");
    app.grant_types = {config::GrantType::kPassword, config::GrantType::kRefreshToken};
    config_.clients.push_back(app);
    config_.clients.push_back(testing::LifecycleClient("cc", "cc-secret"));
    app.client_id = "app2";
    app.client_secret = "app2-secret";
    config_.clients.push_back(app);
    config::User alice;
    alice.username = "alice";
    alice.password_hash = std::string(kFakeHashPrefix) + "wonderland";
    config_.users.push_back(alice);
    config::User bob;  // a development user with a clear-text password
    bob.username = "bob";
    bob.password = "builder";
    config_.users.push_back(bob);
    config_.login.max_failures_per_username = 3;
    config_.login.max_failures_per_ip = 5;
    config_.login.failure_window = std::chrono::seconds(60);
    config_.tokens.refresh_token_ttl = std::chrono::seconds(3600);
  }

  std::unique_ptr<TokenService> MakeService(store::FailureRateLimiter* limiter = nullptr) {
    auto service = TokenService::Create(
        config_,
        {.active_signer = KeyRingSigners(ring_),
         .verify_hash = InlineVerifier([this](std::string_view encoded, std::string_view secret) {
           ++verifications_;
           return encoded.starts_with(kFakeHashPrefix) &&
                  encoded.substr(kFakeHashPrefix.size()) == secret;
         }),
         .clock = Clock(),
         .revocations = &store_,
         .refresh_tokens = &refresh_tokens_,
         .login_failures = limiter != nullptr ? limiter : &failures_});
    EXPECT_TRUE(service) << (service ? "" : service.error().debug);
    return service ? std::move(*service) : nullptr;
  }

  TokenService& Service() {
    if (!service_) service_ = MakeService();
    return *service_;
  }

  TokenOutcome Post(std::string body, std::string_view client = "app",
                    std::string ip = "198.51.100.7") {
    return testing::RunAwaitable(
        Service().HandleForm(body, Basic(client, std::string(client) + "-secret"), std::move(ip)));
  }

  TokenOutcome Login(std::string_view user, std::string_view password,
                     std::string_view client = "app", std::string ip = "198.51.100.7") {
    return Post(
        "grant_type=password&username=" + FormEncode(user) + "&password=" + FormEncode(password),
        client, std::move(ip));
  }

  TokenOutcome Refresh(std::string_view refresh_token, std::string_view client = "app",
                       std::string extra = {}) {
    return Post("grant_type=refresh_token&refresh_token=" + std::string(refresh_token) + extra,
                client);
  }

  static std::string FormEncode(std::string_view text) {
    std::string out;
    for (char c : text) {
      if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
        out.push_back(c);
      } else {
        char hex[4];
        std::snprintf(hex, sizeof hex, "%%%02X", static_cast<unsigned char>(c));
        out += hex;
      }
    }
    return out;
  }

  static ErrorCode CodeOf(const TokenOutcome& outcome) {
    EXPECT_FALSE(outcome.response);
    return outcome.response ? ErrorCode::kServerError : outcome.response.error().code;
  }

  std::atomic<int> verifications_{0};
  store::MemoryRefreshTokenStore refresh_tokens_;
  store::MemoryFailureRateLimiter failures_;
  std::unique_ptr<TokenService> service_;
};

}  // namespace signet::oauth

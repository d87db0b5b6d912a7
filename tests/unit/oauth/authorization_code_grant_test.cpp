// The authorization code grant at the token endpoint (oauth/grant_authorization_code.hpp):
// codes planted in the in-memory code store as /oauth2/authorize would, exchanged through
// TokenService with a settable clock.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keys/base64url.hpp"
#include "oauth/opaque_secret.hpp"
#include "oauth/pkce.hpp"
#include "oauth/token_service.hpp"
#include "store/memory_authorization_code_store.hpp"
#include "store/memory_failure_rate_limiter.hpp"
#include "store/memory_refresh_token_store.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"
#include "tests/unit/oauth/token_lifecycle_fixture.hpp"

namespace signet::oauth {
namespace {

using config::GrantType;
using std::chrono::seconds;

constexpr std::string_view kRedirect = "https://app.example.com/callback";
constexpr std::string_view kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";  // RFC 7636 B

class AuthorizationCodeGrantTest : public testing::TokenLifecycleFixture {
 protected:
  AuthorizationCodeGrantTest() {
    config::Client web = testing::LifecycleClient("web", "web-secret");
    web.grant_types = {GrantType::kAuthorizationCode, GrantType::kRefreshToken};
    web.redirect_uris = {std::string(kRedirect)};
    web.scope = {"openid", "profile", "email", "orders.read"};
    config_.clients.push_back(web);
    web.client_id = "other";
    web.client_secret = "other-secret";
    config_.clients.push_back(web);
    config::User alice;
    alice.username = "alice";
    alice.password = "unused";
    alice.claims_json = R"({"name":"Alice","email":"alice@example.com","email_verified":true})";
    config_.users.push_back(alice);
  }

  TokenService& Service() {
    if (!service_) {
      auto service = TokenService::Create(
          config_, {.active_signer = KeyRingSigners(ring_),
                    .verify_hash = InlineVerifier([](std::string_view, std::string_view) {
                      return false;
                    }),
                    .clock = Clock(),
                    .revocations = &store_,
                    .refresh_tokens = &refresh_tokens_,
                    .login_failures = &failures_,
                    .authorization_codes = &codes_});
      EXPECT_TRUE(service) << (service ? "" : service.error().debug);
      service_ = std::move(*service);
    }
    return *service_;
  }

  // A code as /oauth2/authorize issues it after alice logged in (auth_time = now - 5 s).
  std::string PlantCode(std::string scope = "openid profile orders.read",
                        bool with_pkce = true) {
    const std::string code = "code-" + std::to_string(++codes_planted_);
    store::AuthorizationGrant grant{
        .client_id = "web",
        .redirect_uri = std::string(kRedirect),
        .code_challenge = with_pkce ? *S256Challenge(kVerifier) : std::string(),
        .scope = std::move(scope),
        .nonce = "n-0S6_WzA2Mj",
        .subject = "alice",
        .auth_time = Now() - seconds(5),
        .sid = "sid-1",
        .expires = Now() + seconds(60)};
    EXPECT_TRUE(testing::RunAwaitable(codes_.Issue(HashOpaqueSecret(code), grant)));
    return code;
  }

  TokenOutcome Exchange(const std::string& code, std::string_view client = "web",
                        std::string extra = "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback"
                                            "&code_verifier=" + std::string(kVerifier)) {
    return testing::RunAwaitable(Service().HandleForm(
        "grant_type=authorization_code&code=" + code + extra,
        Basic(client, std::string(client) + "-secret"), "198.51.100.7"));
  }

  static ErrorCode CodeOf(const TokenOutcome& outcome) {
    EXPECT_FALSE(outcome.response);
    return outcome.response ? ErrorCode::kServerError : outcome.response.error().code;
  }


  bool Revoked(const std::string& access_token) {
    const nlohmann::json claims = ClaimsOf(access_token);
    auto revoked = testing::RunAwaitable(
        store_.IsRevoked(claims["jti"], "", store::FromUnixSeconds(claims["iat"]), Now()));
    EXPECT_TRUE(revoked);
    return revoked && *revoked;
  }

  int codes_planted_ = 0;
  store::MemoryAuthorizationCodeStore codes_;
  store::MemoryRefreshTokenStore refresh_tokens_;
  store::MemoryFailureRateLimiter failures_;
  std::unique_ptr<TokenService> service_;
};

TEST_F(AuthorizationCodeGrantTest, Exchange_IssuesAccessIdAndRefreshTokens) {
  const TokenOutcome outcome = Exchange(PlantCode());
  ASSERT_TRUE(outcome.response) << outcome.response.error().debug;
  EXPECT_EQ(ClaimsOf(outcome.response->access_token)["sub"], "alice");
  EXPECT_EQ(outcome.response->scope, "openid profile orders.read");
  EXPECT_EQ(outcome.response->refresh_token.size(), 43u);
  const nlohmann::json id = ClaimsOf(outcome.response->id_token);
  EXPECT_EQ(id["sub"], "alice");
  EXPECT_EQ(id["aud"], "web");
  EXPECT_EQ(id["nonce"], "n-0S6_WzA2Mj");
  EXPECT_EQ(id["sid"], "sid-1");
  EXPECT_EQ(id["auth_time"], testing::kLifecycleStart - 5);
  EXPECT_TRUE(id.contains("at_hash"));
  EXPECT_EQ(id["name"], "Alice");       // profile
  EXPECT_FALSE(id.contains("email"));   // email scope not granted
}

TEST_F(AuthorizationCodeGrantTest, Exchange_WithoutOpenidScopeHasNoIdToken) {
  const TokenOutcome outcome = Exchange(PlantCode("orders.read"));
  ASSERT_TRUE(outcome.response);
  EXPECT_TRUE(outcome.response->id_token.empty());
}

TEST_F(AuthorizationCodeGrantTest, Reuse_IsRefusedAndRevokesWhatTheFirstExchangeIssued) {
  const std::string code = PlantCode();
  const TokenOutcome first = Exchange(code);
  ASSERT_TRUE(first.response);
  EXPECT_FALSE(Revoked(first.response->access_token));
  EXPECT_EQ(CodeOf(Exchange(code)), ErrorCode::kInvalidGrant);
  EXPECT_TRUE(Revoked(first.response->access_token));
  const TokenOutcome refreshed = testing::RunAwaitable(Service().HandleForm(
      "grant_type=refresh_token&refresh_token=" + first.response->refresh_token,
      Basic("web", "web-secret"), "198.51.100.7"));
  EXPECT_EQ(CodeOf(refreshed), ErrorCode::kInvalidGrant);
}

TEST_F(AuthorizationCodeGrantTest, Pkce_WrongOrMissingVerifierFailsAndBurnsTheCode) {
  const std::string code = PlantCode();
  EXPECT_EQ(CodeOf(Exchange(code, "web",
                            "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback"
                            "&code_verifier=" + std::string(43, 'a'))),
            ErrorCode::kInvalidGrant);
  EXPECT_EQ(CodeOf(Exchange(code)), ErrorCode::kInvalidGrant);  // one guess only
  EXPECT_EQ(CodeOf(Exchange(PlantCode(), "web",
                            "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback")),
            ErrorCode::kInvalidGrant);
}

TEST_F(AuthorizationCodeGrantTest, RedirectUri_MustMatchAndIsRequiredWithoutPkce) {
  EXPECT_EQ(CodeOf(Exchange(PlantCode(), "web",
                            "&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&code_verifier=" +
                                std::string(kVerifier))),
            ErrorCode::kInvalidGrant);
  EXPECT_TRUE(Exchange(PlantCode(), "web", "&code_verifier=" + std::string(kVerifier)).response);
  EXPECT_EQ(CodeOf(Exchange(PlantCode("openid", false), "web", "")), ErrorCode::kInvalidGrant);
  EXPECT_TRUE(Exchange(PlantCode("openid", false), "web",
                       "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback")
                  .response);
}

TEST_F(AuthorizationCodeGrantTest, AnotherClientOrAnExpiredCodeIsInvalidGrant) {
  EXPECT_EQ(CodeOf(Exchange(PlantCode(), "other")), ErrorCode::kInvalidGrant);
  const std::string code = PlantCode();
  Advance(seconds(61));
  EXPECT_EQ(CodeOf(Exchange(code)), ErrorCode::kInvalidGrant);
  EXPECT_EQ(CodeOf(Exchange("never-issued")), ErrorCode::kInvalidGrant);
  EXPECT_EQ(CodeOf(Exchange(PlantCode(), "svc")), ErrorCode::kUnauthorizedClient);
}

TEST_F(AuthorizationCodeGrantTest, SubjectCutOffAfterTheLoginRefusesTheCode) {
  const std::string code = PlantCode();
  ASSERT_TRUE(testing::RunAwaitable(store_.RevokeSubject("alice", Now(), Now() + seconds(3600))));
  EXPECT_EQ(CodeOf(Exchange(code)), ErrorCode::kInvalidGrant);
}

}  // namespace
}  // namespace signet::oauth

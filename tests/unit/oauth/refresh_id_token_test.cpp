// A new ID token on the refresh token grant (OIDC Core §12.1-12.2): present iff the
// (possibly narrowed) scope contains openid; the family's original auth_time; no nonce; an
// at_hash of the new access token; claims by scope; signed by the key ring's key.
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keys/base64url.hpp"
#include "keys/key_ring.hpp"
#include "oauth/refresh_token_minter.hpp"
#include "oauth/token_hash.hpp"
#include "tests/unit/oauth/password_refresh_fixture.hpp"
#include "token/jws.hpp"

namespace signet::oauth {
namespace {

using std::chrono::seconds;

class RefreshIdTokenTest : public PasswordRefreshFixture {
 protected:
  RefreshIdTokenTest() {
    for (config::Client& client : config_.clients) {
      client.scope = {"openid", "email", "orders.read", "orders.write"};
    }
    config::Client oidc = config_.clients[3];  // "app", without an API audience
    oidc.client_id = "oidc";
    oidc.client_secret = "oidc-secret";
    oidc.audience.clear();
    config_.clients.push_back(oidc);
    config_.tokens.id_token_ttl = seconds(600);
    config_.users[0].claims_json = R"({"email":"alice@example.com","name":"Alice"})";
  }

  // A password login of alice with `scope`; the refresh token it returns.
  std::string LoginWithScope(std::string_view scope) {
    const TokenOutcome outcome =
        Post("grant_type=password&username=alice&password=wonderland&scope=" + FormEncode(scope));
    EXPECT_TRUE(outcome.response) << outcome.response.error().debug;
    return outcome.response ? outcome.response->refresh_token : std::string();
  }

  TokenResponse RefreshOk(std::string_view refresh_token, std::string extra = {}) {
    const TokenOutcome outcome = Refresh(refresh_token, "app", std::move(extra));
    EXPECT_TRUE(outcome.response) << outcome.response.error().debug;
    return outcome.response ? *outcome.response : TokenResponse{};
  }

  // The claims of an ID token after verifying its signature with the ring's key for its kid.
  nlohmann::json VerifiedClaims(const std::string& id_token) const {
    const auto dot = id_token.find('.');
    auto header_text = keys::Base64UrlDecode(id_token.substr(0, dot));
    EXPECT_TRUE(header_text);
    if (!header_text) return {};
    const nlohmann::json header = nlohmann::json::parse(*header_text);
    EXPECT_EQ(header["typ"], "JWT");
    EXPECT_EQ(header["alg"], "ES256");
    const auto snapshot = ring_.Snapshot();
    const keys::Verifier* verifier = snapshot->FindVerifier(header["kid"].get<std::string>());
    EXPECT_NE(verifier, nullptr);
    if (verifier == nullptr) return {};
    auto verified = token::VerifyCompact(id_token, *verifier);
    EXPECT_TRUE(verified) << (verified ? "" : verified.error().message());
    return verified ? nlohmann::json::parse(verified->payload) : nlohmann::json();
  }
};

TEST_F(RefreshIdTokenTest, Refresh_WithOpenidReturnsAnIdTokenThatVerifiesWithTheKey) {
  const std::int64_t login_time = testing::kLifecycleStart;
  const std::string token = LoginWithScope("openid orders.read");
  Advance(seconds(100));
  const TokenResponse refreshed = RefreshOk(token);
  ASSERT_FALSE(refreshed.id_token.empty());
  const nlohmann::json claims = VerifiedClaims(refreshed.id_token);
  EXPECT_EQ(claims["iss"], testing::kLifecycleIssuer);
  EXPECT_EQ(claims["sub"], "alice");
  EXPECT_EQ(claims["aud"], "app");
  EXPECT_EQ(claims["iat"], login_time + 100);
  EXPECT_EQ(claims["exp"], login_time + 100 + 600);
  EXPECT_EQ(claims["auth_time"], login_time);
}

TEST_F(RefreshIdTokenTest, Refresh_WithoutOpenidInTheGrantHasNoIdToken) {
  const std::string token = LoginWithScope("orders.read");
  EXPECT_TRUE(RefreshOk(token).id_token.empty());
}

TEST_F(RefreshIdTokenTest, Refresh_NarrowedToWithoutOpenidHasNoIdTokenButTheFamilyKeepsIt) {
  const std::string token = LoginWithScope("openid orders.read");
  const TokenResponse narrowed = RefreshOk(token, "&scope=orders.read");
  EXPECT_EQ(narrowed.scope, "orders.read");
  EXPECT_TRUE(narrowed.id_token.empty());
  // RFC 6749 §6: the new refresh token keeps the family's full scope, openid included.
  const TokenResponse full = RefreshOk(narrowed.refresh_token);
  EXPECT_FALSE(full.id_token.empty());
}

TEST_F(RefreshIdTokenTest, Refresh_AuthTimeStaysTheOriginalLoginAcrossRotations) {
  const std::int64_t login_time = testing::kLifecycleStart;
  std::string token = LoginWithScope("openid");
  for (int i = 1; i <= 3; ++i) {
    Advance(seconds(1000));
    const TokenResponse refreshed = RefreshOk(token);
    const nlohmann::json claims = VerifiedClaims(refreshed.id_token);
    EXPECT_EQ(claims["auth_time"], login_time) << "refresh " << i;
    EXPECT_EQ(claims["iat"], login_time + 1000 * i) << "refresh " << i;
    token = refreshed.refresh_token;
  }
}

TEST_F(RefreshIdTokenTest, Refresh_IdTokenHasNoNonceAndNoSidWithoutASession) {
  const TokenResponse refreshed = RefreshOk(LoginWithScope("openid"));
  const nlohmann::json claims = VerifiedClaims(refreshed.id_token);
  ASSERT_TRUE(claims.is_object());
  EXPECT_FALSE(claims.contains("nonce"));  // OIDC Core §12.2: SHOULD NOT
  EXPECT_FALSE(claims.contains("sid"));    // a password grant's family has no session
}

TEST_F(RefreshIdTokenTest, Refresh_IdTokenKeepsTheSidOfTheSessionTheFamilyBeganIn) {
  // As grant_authorization_code starts a family: with the login session's sid.
  RefreshTokenMinter minter(refresh_tokens_, seconds(3600), Clock());
  const std::vector<std::string> scope{"openid"};
  auto started = testing::RunAwaitable(minter.StartFamily({.client = &config_.clients[3],
                                                           .subject = "alice",
                                                           .scope = scope,
                                                           .audience = config_.clients[3].audience,
                                                           .auth_time = Now(),
                                                           .sid = "session-public-id"}));
  ASSERT_TRUE(started) << started.error().debug;
  const TokenResponse first = RefreshOk(started->token);
  EXPECT_EQ(VerifiedClaims(first.id_token)["sid"], "session-public-id");
  const TokenResponse second = RefreshOk(first.refresh_token);
  EXPECT_EQ(VerifiedClaims(second.id_token)["sid"], "session-public-id");
  EXPECT_FALSE(VerifiedClaims(second.id_token).contains("nonce"));
}

TEST_F(RefreshIdTokenTest, Refresh_AtHashIsTheHashOfTheNewAccessToken) {
  const std::string token = LoginWithScope("openid orders.read");
  const TokenResponse first = RefreshOk(token);
  const TokenResponse second = RefreshOk(first.refresh_token);
  const auto expected = TokenHash(second.access_token, keys::Algorithm::kEs256);
  ASSERT_TRUE(expected);
  EXPECT_EQ(VerifiedClaims(second.id_token)["at_hash"], *expected);
  EXPECT_NE(VerifiedClaims(first.id_token)["at_hash"], *expected);
}

TEST_F(RefreshIdTokenTest, Refresh_ReleasesUserClaimsByTheNarrowedScope) {
  const std::string token = LoginWithScope("openid email");
  const TokenResponse with_email = RefreshOk(token);
  EXPECT_EQ(VerifiedClaims(with_email.id_token)["email"], "alice@example.com");
  const TokenResponse without = RefreshOk(with_email.refresh_token, "&scope=openid");
  const nlohmann::json claims = VerifiedClaims(without.id_token);
  EXPECT_EQ(claims["sub"], "alice");
  EXPECT_FALSE(claims.contains("email"));
  EXPECT_FALSE(claims.contains("name"));  // profile was never granted
}

TEST_F(RefreshIdTokenTest, Refresh_OidcClientWithoutAudienceRefreshesWhileOpenidIsGranted) {
  const TokenOutcome login = Post(
      "grant_type=password&username=alice&password=wonderland&scope=openid%20orders.read", "oidc");
  ASSERT_TRUE(login.response) << login.response.error().debug;
  const TokenOutcome refreshed = Refresh(login.response->refresh_token, "oidc");
  ASSERT_TRUE(refreshed.response) << refreshed.response.error().debug;
  EXPECT_EQ(VerifiedClaims(refreshed.response->id_token)["aud"], "oidc");
  // Narrowed to no openid, the access token would have no audience at all (RFC 9068 §2.2).
  const TokenOutcome narrowed =
      Refresh(refreshed.response->refresh_token, "oidc", "&scope=orders.read");
  EXPECT_EQ(CodeOf(narrowed), ErrorCode::kInvalidTarget);
}

}  // namespace
}  // namespace signet::oauth

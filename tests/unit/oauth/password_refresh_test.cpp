// The password grant (oauth/grant_password.hpp, oauth/password_login.hpp) and the refresh
// token grant with rotation (oauth/grant_refresh_token.hpp), plus revocation and
// introspection of refresh tokens, through TokenService on the in-memory stores with a
// settable clock and a counting fake of the argon2 verifier.
#include <atomic>
#include <cctype>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keys/base64url.hpp"
#include "keys/password_hash.hpp"
#include "oauth/password_login.hpp"
#include "oauth/introspection_service.hpp"
#include "oauth/revocation_service.hpp"
#include "oauth/token_service.hpp"
#include "store/memory_failure_rate_limiter.hpp"
#include "store/memory_refresh_token_store.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"
#include "tests/unit/oauth/token_lifecycle_fixture.hpp"

namespace signet::oauth {
namespace {

using config::GrantType;
using std::chrono::seconds;

// "hash" of a password in this test: the verifier accepts encoded == "test$" + password.
constexpr std::string_view kFakeHashPrefix = "test$";

// Every operation fails as an unreachable Redis does.
class UnavailableFailureLimiter final : public store::FailureRateLimiter {
 public:
  boost::asio::awaitable<store::Result<store::FailureCheck>> Check(std::string, store::FailureLimit,
                                                                  store::WallTime) override {
    co_return store::Errc::kUnavailable;
  }
  boost::asio::awaitable<store::Result<store::FailureCheck>> RecordFailure(
      std::string, store::FailureLimit, store::WallTime) override {
    co_return store::Errc::kUnavailable;
  }
};

class PasswordRefreshTest : public testing::TokenLifecycleFixture {
 protected:
  PasswordRefreshTest() {
    // "app" and "app2" may use password + refresh_token; "svc" password only; "cc"
    // client_credentials only. (The fixture's own registry_ is not used here: it points
    // into the clients before these additions.)
    config_.clients[0].grant_types = {GrantType::kClientCredentials, GrantType::kPassword};
    config::Client app = testing::LifecycleClient("app", "app-secret");
    app.grant_types = {GrantType::kPassword, GrantType::kRefreshToken};
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
    config_.login.failure_window = seconds(60);
    config_.tokens.refresh_token_ttl = seconds(3600);
  }

  std::unique_ptr<TokenService> MakeService(store::FailureRateLimiter* limiter = nullptr) {
    auto service = TokenService::Create(
        config_, {.active_signer = KeyRingSigners(ring_),
                  .verify_hash = InlineVerifier([this](std::string_view encoded,
                                                       std::string_view secret) {
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
    return Post("grant_type=password&username=" + FormEncode(user) +
                    "&password=" + FormEncode(password),
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

TEST(DummyPasswordEncodingTest, IsAWellFormedArgon2idEncodingThatMatchesNothing) {
  // Malformed, it would be rejected without hashing: an unknown user would answer faster.
  const auto dummy = DummyPasswordEncoding();
  ASSERT_TRUE(dummy);
  EXPECT_TRUE(keys::IsArgon2idEncoding(*dummy)) << *dummy;
  auto verified = keys::VerifyPassword(*dummy, "any password");
  ASSERT_TRUE(verified) << verified.error().message();
  EXPECT_FALSE(*verified);
  EXPECT_NE(*DummyPasswordEncoding(), *dummy);  // fresh salt each time
}

TEST_F(PasswordRefreshTest, Password_RightPasswordIssuesAccessAndRefreshToken) {
  const TokenOutcome outcome = Login("alice", "wonderland");
  ASSERT_TRUE(outcome.response) << outcome.response.error().debug;
  const nlohmann::json claims = ClaimsOf(outcome.response->access_token);
  EXPECT_EQ(claims["sub"], "alice");
  EXPECT_EQ(claims["client_id"], "app");
  EXPECT_EQ(outcome.response->scope, "orders.read orders.write");
  EXPECT_EQ(outcome.response->refresh_token.size(), 43u);
  EXPECT_EQ(outcome.response->refresh_token.find('.'), std::string::npos);
  EXPECT_EQ(verifications_, 1);
}

TEST_F(PasswordRefreshTest, Password_NoRefreshTokenWithoutTheRefreshGrant) {
  const TokenOutcome outcome = Login("alice", "wonderland", "svc");
  ASSERT_TRUE(outcome.response);
  EXPECT_TRUE(outcome.response->refresh_token.empty());
}

TEST_F(PasswordRefreshTest, Password_ClearTextDevelopmentPasswordWorksAndCostsOneVerification) {
  EXPECT_TRUE(Login("bob", "builder").response);
  EXPECT_EQ(verifications_, 1);
  EXPECT_EQ(CodeOf(Login("bob", "builders")), ErrorCode::kInvalidGrant);
  EXPECT_EQ(verifications_, 2);
}

TEST_F(PasswordRefreshTest, Password_UnknownUserAndWrongPasswordLookTheSameAndCostTheSame) {
  const TokenOutcome wrong = Login("alice", "guess");
  const TokenOutcome unknown = Login("mallory", "guess");
  ASSERT_FALSE(wrong.response);
  ASSERT_FALSE(unknown.response);
  EXPECT_EQ(wrong.response.error().code, ErrorCode::kInvalidGrant);
  EXPECT_EQ(unknown.response.error().code, ErrorCode::kInvalidGrant);
  EXPECT_EQ(wrong.response.error().description, unknown.response.error().description);
  EXPECT_EQ(verifications_, 2);  // one argon2id run each
}

TEST_F(PasswordRefreshTest, Password_ClientNotRegisteredIsUnauthorizedAndHashesNothing) {
  EXPECT_EQ(CodeOf(Login("alice", "wonderland", "cc")), ErrorCode::kUnauthorizedClient);
  EXPECT_EQ(verifications_, 0);
}

TEST_F(PasswordRefreshTest, Password_MissingParametersAreInvalidRequest) {
  EXPECT_EQ(CodeOf(Post("grant_type=password&password=x")), ErrorCode::kInvalidRequest);
  EXPECT_EQ(CodeOf(Post("grant_type=password&username=alice")), ErrorCode::kInvalidRequest);
  EXPECT_EQ(verifications_, 0);
}

TEST_F(PasswordRefreshTest, Password_PastTheUsernameLimitIs429WithoutHashing) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(CodeOf(Login("alice", "guess-" + std::to_string(i))), ErrorCode::kInvalidGrant);
  }
  const int before = verifications_;
  const TokenOutcome blocked = Login("alice", "wonderland");  // even the right password
  ASSERT_FALSE(blocked.response);
  EXPECT_EQ(blocked.response.error().code, ErrorCode::kTemporarilyUnavailable);
  EXPECT_TRUE(blocked.response.error().too_many_attempts);
  EXPECT_EQ(HttpStatus(blocked.response.error()), 429);
  EXPECT_GE(blocked.response.error().retry_after, seconds(1));
  EXPECT_LE(blocked.response.error().retry_after, seconds(60));
  EXPECT_EQ(verifications_, before);
  // Another user from another address is not affected; after the window alice may try again.
  EXPECT_TRUE(Login("bob", "builder", "app", "203.0.113.9").response);
  Advance(seconds(61));
  EXPECT_TRUE(Login("alice", "wonderland").response);
}

TEST_F(PasswordRefreshTest, Password_PastTheAddressLimitIs429ForEveryUsername) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(CodeOf(Login("user" + std::to_string(i), "guess")), ErrorCode::kInvalidGrant);
  }
  const TokenOutcome blocked = Login("alice", "wonderland");
  ASSERT_FALSE(blocked.response);
  EXPECT_TRUE(blocked.response.error().too_many_attempts);
  EXPECT_TRUE(Login("alice", "wonderland", "app", "203.0.113.9").response);
}

TEST_F(PasswordRefreshTest, Password_LimiterUnreachableIs503NotALogin) {
  UnavailableFailureLimiter unavailable;
  service_ = MakeService(&unavailable);
  const TokenOutcome outcome = Login("alice", "wonderland");
  ASSERT_FALSE(outcome.response);
  EXPECT_EQ(outcome.response.error().code, ErrorCode::kTemporarilyUnavailable);
  EXPECT_EQ(HttpStatus(outcome.response.error()), 503);
}

TEST_F(PasswordRefreshTest, Refresh_RotatesAndTheOldTokenNoLongerWorks) {
  const std::string first = Login("alice", "wonderland").response->refresh_token;
  Advance(seconds(10));
  const TokenOutcome refreshed = Refresh(first);
  ASSERT_TRUE(refreshed.response) << refreshed.response.error().debug;
  const std::string second = refreshed.response->refresh_token;
  EXPECT_EQ(second.size(), 43u);
  EXPECT_NE(second, first);
  EXPECT_EQ(ClaimsOf(refreshed.response->access_token)["sub"], "alice");
  const TokenOutcome third = Refresh(second);
  ASSERT_TRUE(third.response);
  EXPECT_NE(third.response->refresh_token, second);
}

TEST_F(PasswordRefreshTest, Refresh_ReuseRevokesTheWholeFamily) {
  const std::string first = Login("alice", "wonderland").response->refresh_token;
  const std::string second = Refresh(first).response->refresh_token;
  // The stolen first token comes back: refused, and the legitimate second one dies with it.
  EXPECT_EQ(CodeOf(Refresh(first)), ErrorCode::kInvalidGrant);
  EXPECT_EQ(CodeOf(Refresh(second)), ErrorCode::kInvalidGrant);
  // Another login is another family and works.
  EXPECT_TRUE(Refresh(Login("alice", "wonderland").response->refresh_token).response);
}

TEST_F(PasswordRefreshTest, Refresh_AnotherClientsTokenIsRefusedAndRevoked) {
  const std::string token = Login("alice", "wonderland").response->refresh_token;
  EXPECT_EQ(CodeOf(Refresh(token, "app2")), ErrorCode::kInvalidGrant);
  EXPECT_EQ(CodeOf(Refresh(token, "app")), ErrorCode::kInvalidGrant);
}

TEST_F(PasswordRefreshTest, Refresh_ClientWithoutTheGrantIsUnauthorized) {
  const std::string token = Login("alice", "wonderland").response->refresh_token;
  EXPECT_EQ(CodeOf(Refresh(token, "svc")), ErrorCode::kUnauthorizedClient);
  EXPECT_TRUE(Refresh(token).response);  // untouched
}

TEST_F(PasswordRefreshTest, Refresh_MayNarrowScopeButNotWidenAndAFailureKeepsTheToken) {
  config_.clients[3].scope.push_back("admin");  // "app"
  const std::string token =
      Post("grant_type=password&username=alice&password=wonderland&scope=orders.read")
          .response->refresh_token;
  EXPECT_EQ(CodeOf(Refresh(token, "app", "&scope=orders.read%20admin")), ErrorCode::kInvalidScope);
  const TokenOutcome narrowed = Refresh(token, "app", "&scope=orders.read");
  ASSERT_TRUE(narrowed.response) << narrowed.response.error().debug;
  EXPECT_EQ(narrowed.response->scope, "orders.read");
}

TEST_F(PasswordRefreshTest, Refresh_ExpiredUnknownAndMalformedAreInvalidGrant) {
  const std::string token = Login("alice", "wonderland").response->refresh_token;
  EXPECT_EQ(CodeOf(Refresh("not-a-refresh-token")), ErrorCode::kInvalidGrant);
  EXPECT_EQ(CodeOf(Refresh(std::string(43, 'A'))), ErrorCode::kInvalidGrant);
  EXPECT_EQ(CodeOf(Post("grant_type=refresh_token")), ErrorCode::kInvalidRequest);
  Advance(seconds(3601));
  EXPECT_EQ(CodeOf(Refresh(token)), ErrorCode::kInvalidGrant);
}

TEST_F(PasswordRefreshTest, Refresh_SubjectCutOffAfterLoginEndsTheFamily) {
  const std::string token = Login("alice", "wonderland").response->refresh_token;
  Advance(seconds(5));
  ASSERT_TRUE(testing::RunAwaitable(store_.RevokeSubject("alice", Now(), Now() + seconds(7200))));
  EXPECT_EQ(CodeOf(Refresh(token)), ErrorCode::kInvalidGrant);
  Advance(seconds(1));
  EXPECT_TRUE(Refresh(Login("alice", "wonderland").response->refresh_token).response);
}

TEST_F(PasswordRefreshTest, RevokeAndIntrospect_RefreshTokenFamily) {
  const std::string token = Login("alice", "wonderland").response->refresh_token;
  auto introspection = IntrospectionService::Create(
      config_, {.authenticator = &Service().authenticator(),
                .verification_keys = KeyRingSnapshots(ring_),
                .store = &store_,
                .clock = Clock(),
                .refresh_tokens = &refresh_tokens_});
  auto revocation = RevocationService::Create(
      config_, {.authenticator = &Service().authenticator(),
                .verification_keys = KeyRingSnapshots(ring_),
                .store = &store_,
                .clock = Clock(),
                .refresh_tokens = &refresh_tokens_});
  ASSERT_TRUE(introspection && revocation);
  const auto introspect = [&](std::string_view client) {
    auto outcome = testing::RunAwaitable((*introspection)->HandleForm(
        "token=" + token, Basic(client, std::string(client) + "-secret"), "127.0.0.1"));
    EXPECT_TRUE(outcome.response);
    return nlohmann::json::parse(outcome.response ? *outcome.response : "{}");
  };
  const nlohmann::json active = introspect("app");
  EXPECT_EQ(active["active"], true);
  EXPECT_EQ(active["token_type"], "refresh_token");
  EXPECT_EQ(active["sub"], "alice");
  EXPECT_EQ(active["client_id"], "app");
  EXPECT_EQ(introspect("svc"), nlohmann::json::parse(kInactiveJson));  // not svc's business

  // Another client cannot revoke it; its own client can, and then it is dead everywhere.
  auto foreign = testing::RunAwaitable(
      (*revocation)->HandleForm("token=" + token, Basic("svc", "svc-secret"), "127.0.0.1"));
  EXPECT_TRUE(foreign.response);
  EXPECT_EQ(introspect("app")["active"], true);
  auto own = testing::RunAwaitable((*revocation)->HandleForm(
      "token=" + token + "&token_type_hint=access_token", Basic("app", "app-secret"), "127.0.0.1"));
  EXPECT_TRUE(own.response);
  EXPECT_FALSE(own.refresh_family.empty());
  EXPECT_EQ(introspect("app"), nlohmann::json::parse(kInactiveJson));
  EXPECT_EQ(CodeOf(Refresh(token)), ErrorCode::kInvalidGrant);
}

}  // namespace
}  // namespace signet::oauth

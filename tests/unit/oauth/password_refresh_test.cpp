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
#include "oauth/introspection_service.hpp"
#include "oauth/password_login.hpp"
#include "oauth/revocation_service.hpp"
#include "oauth/token_service.hpp"
#include "store/memory_failure_rate_limiter.hpp"
#include "store/memory_refresh_token_store.hpp"
#include "tests/unit/oauth/password_refresh_fixture.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"

namespace signet::oauth {
namespace {

using config::GrantType;
using std::chrono::seconds;

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

class PasswordRefreshTest : public PasswordRefreshFixture {};

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
  auto introspection =
      IntrospectionService::Create(config_, {.authenticator = &Service().authenticator(),
                                             .verification_keys = KeyRingSnapshots(ring_),
                                             .store = &store_,
                                             .clock = Clock(),
                                             .refresh_tokens = &refresh_tokens_});
  auto revocation =
      RevocationService::Create(config_, {.authenticator = &Service().authenticator(),
                                          .verification_keys = KeyRingSnapshots(ring_),
                                          .store = &store_,
                                          .clock = Clock(),
                                          .refresh_tokens = &refresh_tokens_});
  ASSERT_TRUE(introspection && revocation);
  const auto introspect = [&](std::string_view client) {
    auto outcome = testing::RunAwaitable(
        (*introspection)
            ->HandleForm("token=" + token, Basic(client, std::string(client) + "-secret"),
                         "127.0.0.1"));
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
  auto own =
      testing::RunAwaitable((*revocation)
                                ->HandleForm("token=" + token + "&token_type_hint=access_token",
                                             Basic("app", "app-secret"), "127.0.0.1"));
  EXPECT_TRUE(own.response);
  EXPECT_FALSE(own.refresh_family.empty());
  EXPECT_EQ(introspect("app"), nlohmann::json::parse(kInactiveJson));
  EXPECT_EQ(CodeOf(Refresh(token)), ErrorCode::kInvalidGrant);
}

}  // namespace
}  // namespace signet::oauth

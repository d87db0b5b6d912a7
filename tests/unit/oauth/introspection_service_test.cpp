// oauth::IntrospectionService (RFC 7662) on the in-memory store with a settable clock.
#include "oauth/introspection_service.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keys/base64url.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"
#include "tests/unit/oauth/token_lifecycle_fixture.hpp"

namespace signet::oauth {
namespace {

using std::chrono::seconds;

class IntrospectionServiceTest : public testing::TokenLifecycleFixture {
 protected:
  IntrospectionOutcome Introspect(const std::string& token, std::string authorization,
                                  store::RevocationStore* store = nullptr) {
    auto service =
        IntrospectionService::Create(config_, {.authenticator = authenticator_.get(),
                                               .verification_keys = KeyRingSnapshots(ring_),
                                               .store = store != nullptr ? store : &store_,
                                               .clock = Clock()});
    EXPECT_TRUE(service);
    return signet::testing::RunAwaitable(
        (*service)->HandleForm("token=" + token, std::move(authorization), "198.51.100.7"));
  }

  IntrospectionOutcome IntrospectAsSvc(const std::string& token) {
    return Introspect(token, Basic("svc", "svc-secret"));
  }

  static nlohmann::json JsonOf(const IntrospectionOutcome& outcome) {
    EXPECT_TRUE(outcome.response);
    return outcome.response ? nlohmann::json::parse(*outcome.response) : nlohmann::json();
  }

  static std::string ClaimOf(const std::string& token, const char* name) {
    const auto first = token.find('.');
    const auto second = token.find('.', first + 1);
    auto payload = keys::Base64UrlDecode(token.substr(first + 1, second - first - 1));
    return nlohmann::json::parse(*payload).at(name).get<std::string>();
  }

  void RevokeJti(const std::string& jti) {
    EXPECT_TRUE(
        signet::testing::RunAwaitable(store_.RevokeJti(jti, Now() + std::chrono::hours(1))));
  }
  void RevokeSubject(const std::string& sub) {
    EXPECT_TRUE(signet::testing::RunAwaitable(
        store_.RevokeSubject(sub, Now(), Now() + std::chrono::hours(1))));
  }
};

const nlohmann::json kInactive = {{"active", false}};

TEST_F(IntrospectionServiceTest, Introspect_ValidToken_IsActiveWithRfc7662Members) {
  const std::string token = IssueFor("poster");
  const auto outcome = IntrospectAsSvc(token);
  EXPECT_TRUE(outcome.active);
  EXPECT_EQ(outcome.client_id, "svc");
  const nlohmann::json expected = {{"active", true},
                                   {"scope", "orders.read"},
                                   {"client_id", "poster"},
                                   {"sub", "poster"},
                                   {"aud", testing::kLifecycleAudience},
                                   {"iss", testing::kLifecycleIssuer},
                                   {"exp", testing::kLifecycleStart + 900},
                                   {"iat", testing::kLifecycleStart},
                                   {"jti", ClaimOf(token, "jti")},
                                   {"token_type", "Bearer"}};
  EXPECT_EQ(JsonOf(outcome), expected);
}

TEST_F(IntrospectionServiceTest, Introspect_RevokedJti_IsInactiveOnly) {
  const std::string token = IssueFor("svc");
  RevokeJti(ClaimOf(token, "jti"));
  const auto outcome = IntrospectAsSvc(token);
  EXPECT_FALSE(outcome.active);
  EXPECT_EQ(JsonOf(outcome), kInactive);
  // Another token of the same client is untouched.
  EXPECT_TRUE(IntrospectAsSvc(IssueFor("svc")).active);
}

TEST_F(IntrospectionServiceTest, Introspect_SubjectCutoff_RevokesOlderTokensOnly) {
  const std::string older = IssueFor("svc");
  const std::string other_subject = IssueFor("poster");
  Advance(seconds(5));
  RevokeSubject("svc");
  Advance(seconds(1));
  const std::string newer = IssueFor("svc");
  EXPECT_EQ(JsonOf(IntrospectAsSvc(older)), kInactive);
  EXPECT_TRUE(IntrospectAsSvc(newer).active);
  EXPECT_TRUE(IntrospectAsSvc(other_subject).active);
}

TEST_F(IntrospectionServiceTest, Introspect_TokenIssuedInTheCutoffSecond_IsRevoked) {
  RevokeSubject("svc");
  EXPECT_EQ(JsonOf(IntrospectAsSvc(IssueFor("svc"))), kInactive);
}

TEST_F(IntrospectionServiceTest, Introspect_ExpiredToken_IsInactiveAfterTheLeeway) {
  const std::string token = IssueFor("svc");
  Advance(seconds(900 + 29));
  EXPECT_TRUE(IntrospectAsSvc(token).active);
  Advance(seconds(1));
  EXPECT_EQ(JsonOf(IntrospectAsSvc(token)), kInactive);
}

TEST_F(IntrospectionServiceTest, Introspect_GarbageOrForeignToken_IsInactive) {
  for (const char* token : {"opaque", "a.b.c", "eyJhbGciOiJub25lIn0.e30."}) {
    EXPECT_EQ(JsonOf(IntrospectAsSvc(token)), kInactive) << token;
  }
}

TEST_F(IntrospectionServiceTest, Introspect_StoreUnavailable_Is503NeverActive) {
  const auto outcome = Introspect(IssueFor("svc"), Basic("svc", "svc-secret"), &unavailable_store_);
  ASSERT_FALSE(outcome.response);
  EXPECT_EQ(outcome.response.error().code, ErrorCode::kTemporarilyUnavailable);
  EXPECT_EQ(HttpStatus(outcome.response.error()), 503);
  EXPECT_FALSE(outcome.active);
}

TEST_F(IntrospectionServiceTest, Introspect_InvalidTokenWithStoreUnavailable_IsStillInactive) {
  // Nothing to ask the store about: the answer does not depend on it.
  const auto outcome = Introspect("opaque", Basic("svc", "svc-secret"), &unavailable_store_);
  EXPECT_EQ(JsonOf(outcome), kInactive);
}

TEST_F(IntrospectionServiceTest, Introspect_PublicClient_IsInvalidClient) {
  const auto outcome = Introspect(IssueFor("svc") + "&client_id=public", std::string());
  ASSERT_FALSE(outcome.response);
  EXPECT_EQ(outcome.response.error().code, ErrorCode::kInvalidClient);
  EXPECT_EQ(HttpStatus(outcome.response.error()), 401);
}

TEST_F(IntrospectionServiceTest, Introspect_WithoutClientAuthentication_IsInvalidClient401) {
  const auto outcome = Introspect(IssueFor("svc"), std::string());
  ASSERT_FALSE(outcome.response);
  EXPECT_EQ(outcome.response.error().code, ErrorCode::kInvalidClient);
  EXPECT_EQ(HttpStatus(outcome.response.error()), 401);
  EXPECT_TRUE(WwwAuthenticate(outcome.response.error()));
}

TEST_F(IntrospectionServiceTest, Introspect_MissingToken_IsInvalidRequest) {
  auto service =
      IntrospectionService::Create(config_, {.authenticator = authenticator_.get(),
                                             .verification_keys = KeyRingSnapshots(ring_),
                                             .store = &store_,
                                             .clock = Clock()});
  ASSERT_TRUE(service);
  const auto outcome = signet::testing::RunAwaitable(
      (*service)->HandleForm("token_type_hint=access_token", Basic("svc", "svc-secret"), ""));
  ASSERT_FALSE(outcome.response);
  EXPECT_EQ(outcome.response.error().code, ErrorCode::kInvalidRequest);
}

}  // namespace
}  // namespace signet::oauth

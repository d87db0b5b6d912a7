// oauth::UserinfoService (OIDC Core §5.3) on the in-memory revocation store with a settable
// clock.
#include "oauth/userinfo_service.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keys/base64url.hpp"
#include "oauth/id_token_issuer.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"
#include "tests/unit/oauth/token_lifecycle_fixture.hpp"

namespace signet::oauth {
namespace {

using std::chrono::seconds;

config::User UserWith(std::string name, std::string claims_json) {
  config::User user;
  user.username = std::move(name);
  user.password = "pw";
  user.claims_json = std::move(claims_json);
  return user;
}

class UserinfoServiceTest : public testing::TokenLifecycleFixture {
 protected:
  UserinfoServiceTest()
      : users_(*UserClaimsRegistry::Create(std::vector<config::User>{
            UserWith("alice", R"({"name":"Alice","email":"alice@example.com",)"
                              R"("email_verified":true,"phone_number":"+1 555","groups":["x"]})"),
            // Named like a client that may use client_credentials.
            UserWith("svc", R"({"name":"Service Person"})")})) {}

  UserinfoOutcome Call(std::string_view authorization, std::string_view form_body = "",
                       store::RevocationStore* store = nullptr,
                       std::vector<std::string> audiences = {}) {
    auto service = UserinfoService::Create(config_, {.verification_keys = KeyRingSnapshots(ring_),
                                                     .store = store != nullptr ? store : &store_,
                                                     .users = &users_,
                                                     .clock = Clock(),
                                                     .accepted_audiences = std::move(audiences)});
    EXPECT_TRUE(service);
    return signet::testing::RunAwaitable((*service)->Handle(authorization, form_body));
  }

  UserinfoOutcome CallWith(const std::string& token) { return Call("Bearer " + token); }

  // An access token for a user, through the public (authorization_code) client.
  std::string UserToken(std::string_view subject, std::vector<std::string> scope,
                        std::string_view client_id = "public") {
    const config::Client* client = registry_.Find(client_id);
    EXPECT_NE(client, nullptr);
    auto issued = issuer_.Issue(
        {.subject = subject, .client = client, .audience = client->audience, .scope = scope});
    EXPECT_TRUE(issued);
    return issued ? issued->token : std::string();
  }

  static std::string ClaimOf(const std::string& token, const char* name) {
    const auto first = token.find('.');
    const auto second = token.find('.', first + 1);
    auto payload = keys::Base64UrlDecode(token.substr(first + 1, second - first - 1));
    return nlohmann::json::parse(*payload).at(name).get<std::string>();
  }

  // The response must be the RFC 6750 §3.1 invalid_token: 401 with an error code challenge.
  static void ExpectInvalidToken(const UserinfoOutcome& outcome) {
    ASSERT_FALSE(outcome.response);
    const Error& error = outcome.response.error();
    EXPECT_EQ(error.code, ErrorCode::kInvalidToken);
    EXPECT_FALSE(error.bearer_token_missing);
    EXPECT_EQ(HttpStatus(error), 401);
    const auto challenge = WwwAuthenticate(error);
    ASSERT_TRUE(challenge);
    EXPECT_TRUE(challenge->starts_with(R"(Bearer error="invalid_token")")) << *challenge;
  }

  UserClaimsRegistry users_;
  const std::vector<std::string> openid_profile_email_{"openid", "profile", "email"};
};

TEST_F(UserinfoServiceTest, Userinfo_ValidToken_AnswersSubAndClaimsReleasedByScope) {
  const auto outcome = CallWith(UserToken("alice", openid_profile_email_));
  ASSERT_TRUE(outcome.response) << outcome.response.error().debug;
  const nlohmann::json expected = {{"sub", "alice"},
                                   {"name", "Alice"},
                                   {"email", "alice@example.com"},
                                   {"email_verified", true}};
  EXPECT_EQ(nlohmann::json::parse(*outcome.response), expected);
  EXPECT_EQ(outcome.client_id, "public");
}

TEST_F(UserinfoServiceTest, Userinfo_OpenidOnly_AnswersSubOnly) {
  const auto outcome = CallWith(UserToken("alice", {"openid"}));
  ASSERT_TRUE(outcome.response);
  EXPECT_EQ(*outcome.response, R"({"sub":"alice"})");
}

TEST_F(UserinfoServiceTest, Userinfo_TokenInPostedForm_IsAccepted) {
  const auto outcome = Call("", "access_token=" + UserToken("alice", {"openid", "phone"}));
  ASSERT_TRUE(outcome.response);
  const nlohmann::json expected = {{"sub", "alice"}, {"phone_number", "+1 555"}};
  EXPECT_EQ(nlohmann::json::parse(*outcome.response), expected);
}

TEST_F(UserinfoServiceTest, Userinfo_RevokedJti_IsInvalidToken401) {
  const std::string token = UserToken("alice", openid_profile_email_);
  ASSERT_TRUE(signet::testing::RunAwaitable(
      store_.RevokeJti(ClaimOf(token, "jti"), Now() + std::chrono::hours(1))));
  ExpectInvalidToken(CallWith(token));
}

TEST_F(UserinfoServiceTest, Userinfo_RevokedSubject_IsInvalidToken401) {
  const std::string token = UserToken("alice", openid_profile_email_);
  ASSERT_TRUE(signet::testing::RunAwaitable(
      store_.RevokeSubject("alice", Now(), Now() + std::chrono::hours(1))));
  ExpectInvalidToken(CallWith(token));
}

TEST_F(UserinfoServiceTest, Userinfo_NoOpenidScope_IsInvalidToken401) {
  ExpectInvalidToken(CallWith(UserToken("alice", {"profile", "email"})));
  ExpectInvalidToken(CallWith(UserToken("alice", {})));
}

TEST_F(UserinfoServiceTest, Userinfo_ClientCredentialsToken_IsInvalidToken401) {
  // sub = client_id "poster", which is no user.
  ExpectInvalidToken(CallWith(UserToken("poster", {"openid"}, "poster")));
}

TEST_F(UserinfoServiceTest, Userinfo_ClientCredentialsTokenOfClientNamedLikeUser_IsInvalidToken) {
  // "svc" is both a client allowed client_credentials and a user: its own token is not the
  // user's.
  ExpectInvalidToken(CallWith(UserToken("svc", {"openid", "profile"}, "svc")));
  // The user "svc" signed in through another client is a user.
  EXPECT_TRUE(CallWith(UserToken("svc", {"openid"}, "public")).response);
}

TEST_F(UserinfoServiceTest, Userinfo_UnknownSubject_IsInvalidToken401) {
  ExpectInvalidToken(CallWith(UserToken("mallory", {"openid"})));
}

TEST_F(UserinfoServiceTest, Userinfo_StoreDown_IsTemporarilyUnavailable503) {
  const auto outcome = Call("Bearer " + UserToken("alice", {"openid"}), "", &unavailable_store_);
  ASSERT_FALSE(outcome.response);
  EXPECT_EQ(outcome.response.error().code, ErrorCode::kTemporarilyUnavailable);
  EXPECT_EQ(HttpStatus(outcome.response.error()), 503);
}

TEST_F(UserinfoServiceTest, Userinfo_MissingToken_Is401WithoutErrorCode) {
  const auto outcome = Call("");
  ASSERT_FALSE(outcome.response);
  const Error& error = outcome.response.error();
  EXPECT_EQ(HttpStatus(error), 401);
  EXPECT_EQ(WwwAuthenticate(error), std::optional<std::string>(R"(Bearer realm="signet")"));
  EXPECT_EQ(ToJson(error), "{}");
}

TEST_F(UserinfoServiceTest, Userinfo_BasicCredentials_AreTreatedAsNoToken) {
  const auto outcome = Call(Basic("svc", "svc-secret"));
  ASSERT_FALSE(outcome.response);
  EXPECT_TRUE(outcome.response.error().bearer_token_missing);
}

TEST_F(UserinfoServiceTest, Userinfo_TokenInHeaderAndForm_IsInvalidRequest400) {
  const std::string token = UserToken("alice", {"openid"});
  const auto outcome = Call("Bearer " + token, "access_token=" + token);
  ASSERT_FALSE(outcome.response);
  EXPECT_EQ(outcome.response.error().code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(HttpStatus(outcome.response.error()), 400);
}

TEST_F(UserinfoServiceTest, Userinfo_ExpiredToken_IsInvalidToken401) {
  const std::string token = UserToken("alice", {"openid"});
  Advance(seconds(900 + 30));  // access_token_ttl + leeway
  ExpectInvalidToken(CallWith(token));
}

TEST_F(UserinfoServiceTest, Userinfo_TamperedToken_IsInvalidToken401) {
  std::string token = UserToken("alice", {"openid"});
  token.back() = token.back() == 'A' ? 'B' : 'A';
  ExpectInvalidToken(CallWith(token));
  ExpectInvalidToken(CallWith("not-a-jwt"));
}

TEST_F(UserinfoServiceTest, Userinfo_IdTokenInsteadOfAccessToken_IsInvalidToken401) {
  const IdTokenIssuer ids(config_, KeyRingSigners(ring_), users_, Clock());
  const std::vector<std::string> scope{"openid"};
  auto id_token = ids.Issue(
      {.subject = "alice", .client = registry_.Find("public"), .auth_time = Now(), .scope = scope});
  ASSERT_TRUE(id_token);
  ExpectInvalidToken(CallWith(id_token->token));
}

TEST_F(UserinfoServiceTest, Userinfo_ForeignAudience_IsInvalidTokenWhenAudiencesAreSet) {
  // openid tokens name the userinfo endpoint (AccessTokenIssuer), so the server's setting
  // ({UserinfoAudience(issuer)}) accepts them and a token for someone else's userinfo fails.
  const std::string token = UserToken("alice", {"openid"});
  ExpectInvalidToken(Call("Bearer " + token, "", nullptr, {"https://other.example/userinfo"}));
  EXPECT_TRUE(
      Call("Bearer " + token, "", nullptr, {UserinfoAudience(config_.issuer)}).response);
  EXPECT_TRUE(
      Call("Bearer " + token, "", nullptr, {std::string(testing::kLifecycleAudience)}).response);
}

TEST_F(UserinfoServiceTest, Create_MissingDependency_IsServerError) {
  auto service = UserinfoService::Create(
      config_, {.verification_keys = KeyRingSnapshots(ring_), .store = &store_, .users = nullptr});
  ASSERT_FALSE(service);
  EXPECT_EQ(service.error().code, ErrorCode::kServerError);
}

}  // namespace
}  // namespace signet::oauth

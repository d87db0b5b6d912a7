// oauth::AuthorizeService::HandleRequest (issue 6 points 1-4): the authorization request with
// and without a single-sign-on session, on the real in-memory stores with a settable clock
// (tests/unit/oauth/authorize_fixture.hpp). The login POST: authorize_login_test.cpp.
#include "oauth/authorize_service.hpp"

#include <algorithm>
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "oauth/pending_login.hpp"
#include "oauth/pkce.hpp"
#include "oauth/refresh_token_format.hpp"
#include "tests/unit/oauth/authorize_fixture.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"

namespace signet::oauth {
namespace {

using std::chrono::seconds;
using testing::RunAwaitable;

class AuthorizeServiceTest : public testing::AuthorizeFixture {};

// --- authorization request without a session ------------------------------------------------

TEST_F(AuthorizeServiceTest, Request_WithoutCookies_ShowsLoginFormAndSetsNewBinding) {
  const AuthorizeOutcome outcome = Authorize(AuthQuery());
  ExpectLoginForm(outcome);
  ASSERT_TRUE(outcome.login && outcome.new_binding);
  EXPECT_EQ(outcome.new_binding->size(), 43u);  // 256 random bits, base64url
  EXPECT_EQ(outcome.login->client_id, "web");
  EXPECT_EQ(outcome.login->redirect_uri, testing::kWebRedirect);
  EXPECT_EQ(outcome.login->failure, LoginFailure::kNone);
  EXPECT_EQ(outcome.login->username, "");
  EXPECT_FALSE(outcome.clear_session);
  EXPECT_EQ(outcome.client_id, "web");
  EXPECT_EQ(outcome.event, "login page");
  EXPECT_EQ(sessions_.session_count(), 0u);
  EXPECT_EQ(codes_.code_count(), 0u);
}

TEST_F(AuthorizeServiceTest, Request_LoginFormCarriesTheRequestAndAVerifyingCsrfToken) {
  const AuthorizeOutcome outcome = Authorize(AuthQuery());
  ASSERT_TRUE(outcome.login && outcome.new_binding);
  EXPECT_EQ(DecodePendingLogin(outcome.login->request_id, Now()), AuthQuery());
  EXPECT_TRUE(NewCsrf()->Verify(outcome.login->request_id, *outcome.new_binding,
                                outcome.login->csrf_token));
  EXPECT_FALSE(
      NewCsrf()->Verify(outcome.login->request_id, "another-browser", outcome.login->csrf_token));
}

TEST_F(AuthorizeServiceTest, Request_TwoBrowsersGetDifferentBindings) {
  const AuthorizeOutcome first = Authorize(AuthQuery());
  const AuthorizeOutcome second = Authorize(AuthQuery());
  ASSERT_TRUE(first.new_binding && second.new_binding);
  EXPECT_NE(*first.new_binding, *second.new_binding);
}

TEST_F(AuthorizeServiceTest, Request_ExistingBindingCookieIsKept) {
  const std::string binding = "existing-binding-value_0123456789";
  const AuthorizeOutcome outcome = Authorize(AuthQuery(), WithBinding(binding));
  ExpectLoginForm(outcome);
  ASSERT_TRUE(outcome.login);
  EXPECT_EQ(outcome.new_binding, binding);  // set again: its lifetime restarts with the form
  EXPECT_TRUE(NewCsrf()->Verify(outcome.login->request_id, binding, outcome.login->csrf_token));
}

TEST_F(AuthorizeServiceTest,
       Request_PromptNoneWithoutSession_RedirectsLoginRequiredWithStateAndIss) {
  const AuthorizeOutcome outcome = Authorize(AuthQuery("&prompt=none"));
  ASSERT_TRUE(outcome.location);
  EXPECT_FALSE(outcome.login);
  EXPECT_FALSE(outcome.error);
  EXPECT_FALSE(outcome.new_binding);
  EXPECT_EQ(WithoutQuery(*outcome.location), testing::kWebRedirect);
  const FormParams query = QueryOf(*outcome.location);
  EXPECT_EQ(Param(query, "error"), "login_required");
  EXPECT_EQ(Param(query, "state"), "st-1");
  EXPECT_EQ(Param(query, "iss"), testing::kSsoIssuer);
  EXPECT_EQ(Param(query, "code"), "<absent>");
  EXPECT_EQ(outcome.client_id, "web");
}

TEST_F(AuthorizeServiceTest, Request_UnknownSessionCookie_ShowsLoginFormAndClearsTheCookie) {
  const AuthorizeOutcome outcome = Authorize(AuthQuery(), WithSession("no-such-session"));
  ExpectLoginForm(outcome);
  EXPECT_TRUE(outcome.clear_session);
}

TEST_F(AuthorizeServiceTest, Request_PromptNoneWithUnknownSessionCookie_LoginRequiredAndClears) {
  const AuthorizeOutcome outcome =
      Authorize(AuthQuery("&prompt=none"), WithSession("no-such-session"));
  ASSERT_TRUE(outcome.location);
  EXPECT_EQ(Param(QueryOf(*outcome.location), "error"), "login_required");
  EXPECT_TRUE(outcome.clear_session);
}

// --- page errors and redirected errors ------------------------------------------------------

TEST_F(AuthorizeServiceTest, Request_UnknownClient_IsAPageErrorWithoutLocation) {
  const AuthorizeOutcome outcome =
      Authorize("response_type=code&client_id=nobody&redirect_uri=" +
                std::string(testing::kWebRedirectEncoded) + "&state=st-1");
  EXPECT_EQ(PageErrorOf(outcome).code, AuthorizeErrorCode::kInvalidClient);
  EXPECT_FALSE(outcome.new_binding);
}

TEST_F(AuthorizeServiceTest, Request_UnregisteredRedirectUri_IsAPageError) {
  const AuthorizeOutcome outcome =
      Authorize("response_type=code&client_id=web&redirect_uri=https%3A%2F%2Fevil.example%2Fcb");
  EXPECT_EQ(PageErrorOf(outcome).code, AuthorizeErrorCode::kInvalidRedirectUri);
}

TEST_F(AuthorizeServiceTest, Request_PageErrorEvenWithAValidSession) {
  const std::string session = SignIn();
  const AuthorizeOutcome outcome =
      Authorize("response_type=code&client_id=nobody", WithSession(session));
  EXPECT_EQ(PageErrorOf(outcome).code, AuthorizeErrorCode::kInvalidClient);
}

TEST_F(AuthorizeServiceTest, Request_ErrorAfterTheClientIsKnown_GoesBackToTheClient) {
  const AuthorizeOutcome outcome =
      Authorize("response_type=token&client_id=web&redirect_uri=" +
                std::string(testing::kWebRedirectEncoded) + "&state=st-1");
  ASSERT_TRUE(outcome.location);
  EXPECT_FALSE(outcome.error);
  const FormParams query = QueryOf(*outcome.location);
  EXPECT_EQ(Param(query, "error"), "unsupported_response_type");
  EXPECT_EQ(Param(query, "state"), "st-1");
  EXPECT_EQ(Param(query, "iss"), testing::kSsoIssuer);
}

// --- single sign-on -------------------------------------------------------------------------

TEST_F(AuthorizeServiceTest, Request_ValidSession_RedirectsWithAnExchangeableCode) {
  const std::string session = SignIn();
  const auto login_time = Now();
  const std::string sid = FindSession(session)->sid;
  Advance(seconds(30));
  const AuthorizeOutcome outcome = Authorize(AuthQuery(), WithSession(session));
  const std::string code = CodeOf(outcome);
  EXPECT_EQ(Param(QueryOf(*outcome.location), "state"), "st-1");
  EXPECT_EQ(code.size(), 43u);
  EXPECT_FALSE(outcome.new_binding);
  EXPECT_FALSE(outcome.new_session);
  EXPECT_FALSE(outcome.clear_session);
  EXPECT_EQ(outcome.event, "single sign-on");
  EXPECT_EQ(outcome.subject, "alice");

  const store::ConsumeResult consumed = ConsumeCode(code);
  ASSERT_EQ(consumed.status, store::ConsumeStatus::kConsumed);
  const store::AuthorizationGrant& grant = consumed.grant;
  EXPECT_EQ(grant.client_id, "web");
  EXPECT_EQ(grant.redirect_uri, testing::kWebRedirect);
  EXPECT_EQ(grant.code_challenge, *S256Challenge(testing::kPkceVerifier));
  EXPECT_EQ(grant.scope, "openid profile");
  EXPECT_EQ(grant.nonce, "n-1");
  EXPECT_EQ(grant.subject, "alice");
  EXPECT_EQ(grant.sid, sid);
  EXPECT_FALSE(grant.sid.empty());
  EXPECT_EQ(grant.auth_time, login_time);  // the login's time, not this request's
  EXPECT_GT(grant.expires, Now());
  EXPECT_LE(grant.expires, Now() + seconds(60));
}

TEST_F(AuthorizeServiceTest, Request_CodeIsSingleUse) {
  const std::string session = SignIn();
  const std::string code = CodeOf(Authorize(AuthQuery(), WithSession(session)));
  EXPECT_EQ(ConsumeCode(code).status, store::ConsumeStatus::kConsumed);
  EXPECT_EQ(ConsumeCode(code).status, store::ConsumeStatus::kReused);
}

TEST_F(AuthorizeServiceTest, Request_CodeExpiresWithinSixtySeconds) {
  const std::string session = SignIn();
  const std::string code = CodeOf(Authorize(AuthQuery(), WithSession(session)));
  Advance(seconds(61));
  EXPECT_EQ(ConsumeCode(code).status, store::ConsumeStatus::kUnknown);
}

TEST_F(AuthorizeServiceTest, Request_EveryRequestGetsAFreshCode) {
  const std::string session = SignIn();
  const std::string first = CodeOf(Authorize(AuthQuery(), WithSession(session)));
  const std::string second = CodeOf(Authorize(AuthQuery(), WithSession(session)));
  EXPECT_NE(first, second);
}

TEST_F(AuthorizeServiceTest, Request_SessionGainsTheClient) {
  const std::string session = SignIn();
  ASSERT_EQ(FindSession(session)->client_ids, std::vector<std::string>{"web"});
  const std::string spa_query =
      "response_type=code&client_id=spa&code_challenge=" + *S256Challenge(testing::kPkceVerifier) +
      "&code_challenge_method=S256";
  const std::string code =
      CodeOf(Authorize(spa_query, WithSession(session)), testing::kSpaRedirect);
  EXPECT_EQ(FindSession(session)->client_ids, (std::vector<std::string>{"spa", "web"}));
  const store::ConsumeResult consumed = ConsumeCode(code);
  EXPECT_EQ(consumed.grant.client_id, "spa");
  EXPECT_EQ(consumed.grant.redirect_uri, testing::kSpaRedirect);
  EXPECT_EQ(consumed.grant.nonce, "");
}

TEST_F(AuthorizeServiceTest, Request_PromptNoneWithValidSession_IssuesACode) {
  const std::string session = SignIn();
  const std::string code = CodeOf(Authorize(AuthQuery("&prompt=none"), WithSession(session)));
  EXPECT_EQ(ConsumeCode(code).status, store::ConsumeStatus::kConsumed);
}

TEST_F(AuthorizeServiceTest, Request_PromptLogin_ShowsLoginFormDespiteSession) {
  const std::string session = SignIn();
  const AuthorizeOutcome outcome = Authorize(AuthQuery("&prompt=login"), WithSession(session));
  ExpectLoginForm(outcome);
  EXPECT_FALSE(outcome.clear_session);  // the session itself is fine
  EXPECT_TRUE(FindSession(session));
}

TEST_F(AuthorizeServiceTest, Request_PromptConsent_ShowsLoginFormDespiteSession) {
  const std::string session = SignIn();
  ExpectLoginForm(Authorize(AuthQuery("&prompt=consent"), WithSession(session)));
}

TEST_F(AuthorizeServiceTest, Request_MaxAgeZero_ShowsLoginFormDespiteSession) {
  const std::string session = SignIn();
  ExpectLoginForm(Authorize(AuthQuery("&max_age=0"), WithSession(session)));
}

TEST_F(AuthorizeServiceTest, Request_PromptNoneWithMaxAgeZero_LoginRequired) {
  const std::string session = SignIn();
  const AuthorizeOutcome outcome =
      Authorize(AuthQuery("&prompt=none&max_age=0"), WithSession(session));
  ASSERT_TRUE(outcome.location);
  EXPECT_EQ(Param(QueryOf(*outcome.location), "error"), "login_required");
  EXPECT_FALSE(outcome.clear_session);
}

TEST_F(AuthorizeServiceTest, Request_MaxAgeExceeded_ShowsLoginForm) {
  const std::string session = SignIn();
  Advance(seconds(61));
  ExpectLoginForm(Authorize(AuthQuery("&max_age=60"), WithSession(session)));
}

TEST_F(AuthorizeServiceTest, Request_LoginExactlyMaxAgeOld_StillSingleSignOn) {
  const std::string session = SignIn();
  Advance(seconds(60));
  CodeOf(Authorize(AuthQuery("&max_age=60"), WithSession(session)));
}

TEST_F(AuthorizeServiceTest, Request_ExpiredSession_ShowsLoginFormAndClearsTheCookie) {
  const std::string session = SignIn();
  Advance(config_.login.session_ttl);
  const AuthorizeOutcome outcome = Authorize(AuthQuery(), WithSession(session));
  ExpectLoginForm(outcome);
  EXPECT_TRUE(outcome.clear_session);
}

TEST_F(AuthorizeServiceTest, Request_SessionOfARemovedUser_ShowsLoginForm) {
  const std::string session = SignIn();
  std::erase_if(config_.users, [](const config::User& user) { return user.username == "alice"; });
  const AuthorizeOutcome outcome = Authorize(AuthQuery(), WithSession(session));
  ExpectLoginForm(outcome);
  EXPECT_EQ(codes_.code_count(), 1u);  // only the login's own code
}

TEST_F(AuthorizeServiceTest, Request_SessionCutOffBySubjectRevocation_ShowsLoginForm) {
  const std::string session = SignIn();
  Advance(seconds(10));
  ASSERT_TRUE(
      RunAwaitable(revocations_.RevokeSubject("alice", Now(), Now() + std::chrono::hours(24))));
  ExpectLoginForm(Authorize(AuthQuery(), WithSession(session)));
  const AuthorizeOutcome none = Authorize(AuthQuery("&prompt=none"), WithSession(session));
  ASSERT_TRUE(none.location);
  EXPECT_EQ(Param(QueryOf(*none.location), "error"), "login_required");
}

TEST_F(AuthorizeServiceTest, Request_LoginAfterASubjectRevocation_IsSingleSignOnAgain) {
  ASSERT_TRUE(
      RunAwaitable(revocations_.RevokeSubject("alice", Now(), Now() + std::chrono::hours(24))));
  Advance(seconds(1));
  const std::string session = SignIn();
  CodeOf(Authorize(AuthQuery(), WithSession(session)));
}

TEST_F(AuthorizeServiceTest, Request_RevocationOfAnotherSubject_DoesNotTouchTheSession) {
  const std::string session = SignIn();
  ASSERT_TRUE(
      RunAwaitable(revocations_.RevokeSubject("bob", Now(), Now() + std::chrono::hours(24))));
  CodeOf(Authorize(AuthQuery(), WithSession(session)));
}

TEST_F(AuthorizeServiceTest, Request_SessionStoreDown_TemporarilyUnavailableToTheClient) {
  testing::UnavailableSessionStore down;
  auto service = AuthorizeService::Create(config_, {.registry = &registry_,
                                                    .password_login = password_login_.get(),
                                                    .csrf = NewCsrf(),
                                                    .codes = &codes_,
                                                    .sessions = &down,
                                                    .revocations = &revocations_,
                                                    .clock = Clock()});
  ASSERT_TRUE(service);
  const AuthorizeOutcome outcome =
      RunAwaitable((*service)->HandleRequest(AuthQuery(), WithSession("some-session")));
  ASSERT_TRUE(outcome.location);
  EXPECT_FALSE(outcome.clear_session);  // never "no session": that would log the user out
  const FormParams query = QueryOf(*outcome.location);
  EXPECT_EQ(Param(query, "error"), "temporarily_unavailable");
  EXPECT_EQ(Param(query, "state"), "st-1");
}

TEST_F(AuthorizeServiceTest, Create_RefusesAMissingDependency) {
  auto service = AuthorizeService::Create(config_, {.registry = &registry_,
                                                    .password_login = password_login_.get(),
                                                    .csrf = NewCsrf(),
                                                    .codes = &codes_,
                                                    .sessions = &sessions_,
                                                    .revocations = nullptr,
                                                    .clock = Clock()});
  ASSERT_FALSE(service);
  EXPECT_EQ(service.error().code, ErrorCode::kServerError);
}

}  // namespace
}  // namespace signet::oauth

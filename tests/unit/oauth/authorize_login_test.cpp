// oauth::AuthorizeService::HandleLogin (issue 6 point 2-4): the login form's POST, its CSRF
// binding and lifetime, the password check and its guessing limit, and the session it creates,
// on the in-memory stores with a settable clock (tests/unit/oauth/authorize_fixture.hpp).
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "oauth/authorize_service.hpp"
#include "oauth/pending_login.hpp"
#include "tests/unit/oauth/authorize_fixture.hpp"

namespace signet::oauth {
namespace {

using std::chrono::seconds;

class AuthorizeLoginTest : public testing::AuthorizeFixture {};

// --- the login POST -------------------------------------------------------------------------

TEST_F(AuthorizeLoginTest, Login_RightPassword_CreatesASessionAndRedirectsWithACode) {
  const auto [form, binding] = OpenForm();
  const AuthorizeOutcome outcome =
      PostLogin(LoginForm(form, "alice", "wonderland"), WithBinding(binding));
  const std::string code = CodeOf(outcome);
  EXPECT_EQ(Param(QueryOf(*outcome.location), "state"), "st-1");
  ASSERT_TRUE(outcome.new_session);
  EXPECT_EQ(outcome.new_session->size(), 43u);
  EXPECT_EQ(outcome.session_max_age, config_.login.session_ttl);
  EXPECT_EQ(outcome.subject, "alice");
  EXPECT_EQ(outcome.event, "login");
  EXPECT_FALSE(outcome.clear_session);

  const std::optional<store::LoginSession> session = FindSession(*outcome.new_session);
  ASSERT_TRUE(session);
  EXPECT_EQ(session->subject, "alice");
  EXPECT_EQ(session->auth_time, Now());
  EXPECT_EQ(session->expires, Now() + config_.login.session_ttl);
  EXPECT_EQ(session->client_ids, std::vector<std::string>{"web"});
  EXPECT_FALSE(session->sid.empty());

  const store::ConsumeResult consumed = ConsumeCode(code);
  ASSERT_EQ(consumed.status, store::ConsumeStatus::kConsumed);
  EXPECT_EQ(consumed.grant.subject, "alice");
  EXPECT_EQ(consumed.grant.sid, session->sid);
  EXPECT_EQ(consumed.grant.auth_time, Now());
  EXPECT_EQ(consumed.grant.nonce, "n-1");
  EXPECT_EQ(consumed.grant.client_id, "web");
  EXPECT_LE(consumed.grant.expires, Now() + seconds(60));
}

TEST_F(AuthorizeLoginTest, Login_DevelopmentUserWithClearPassword_LogsIn) {
  const AuthorizeOutcome outcome = SignInOutcome("bob", "builder", AuthQuery());
  CodeOf(outcome);
  ASSERT_TRUE(outcome.new_session);
  EXPECT_EQ(FindSession(*outcome.new_session)->subject, "bob");
}

TEST_F(AuthorizeLoginTest, Login_TwoLoginsGetDifferentSessionsAndSids) {
  const std::string first = SignIn();
  const std::string second = SignIn();
  EXPECT_NE(first, second);
  EXPECT_NE(FindSession(first)->sid, FindSession(second)->sid);
}

TEST_F(AuthorizeLoginTest, Login_EndsTheBrowsersOldSession) {
  const std::string old_session = SignIn("bob", "builder");
  const AuthorizeOutcome outcome = SignInOutcome("alice", "wonderland", AuthQuery(), old_session);
  ASSERT_TRUE(outcome.new_session);
  EXPECT_NE(*outcome.new_session, old_session);
  EXPECT_FALSE(FindSession(old_session));
  EXPECT_EQ(FindSession(*outcome.new_session)->subject, "alice");
  EXPECT_EQ(sessions_.session_count(), 1u);
}

TEST_F(AuthorizeLoginTest, Login_PlantedSessionCookieIsNeverPromoted) {
  const std::string planted = "attacker-chosen-session-id_0123456789abcde";
  const AuthorizeOutcome outcome = SignInOutcome("alice", "wonderland", AuthQuery(), planted);
  ASSERT_TRUE(outcome.new_session);
  EXPECT_NE(*outcome.new_session, planted);
  EXPECT_FALSE(FindSession(planted));
}

TEST_F(AuthorizeLoginTest, Login_WithPromptLoginInTheRequest_IssuesTheCode) {
  const AuthorizeOutcome outcome =
      SignInOutcome("alice", "wonderland", AuthQuery("&prompt=login&max_age=0"));
  const std::string code = CodeOf(outcome);
  EXPECT_EQ(ConsumeCode(code).status, store::ConsumeStatus::kConsumed);
}

TEST_F(AuthorizeLoginTest, Login_WrongPassword_ShowsFormAgainWithUsername) {
  const AuthorizeOutcome outcome = WrongPassword();
  ExpectLoginForm(outcome);
  ASSERT_TRUE(outcome.login);
  EXPECT_EQ(outcome.login->failure, LoginFailure::kWrongCredentials);
  EXPECT_EQ(outcome.login->username, "alice");
  EXPECT_EQ(outcome.login->client_id, "web");
  EXPECT_EQ(outcome.event, "login failed");
  EXPECT_EQ(sessions_.session_count(), 0u);
  EXPECT_EQ(codes_.code_count(), 0u);
}

TEST_F(AuthorizeLoginTest, Login_WrongPassword_NewFormStillWorks) {
  const auto [form, binding] = OpenForm();
  const AuthorizeOutcome failed =
      PostLogin(LoginForm(form, "alice", "guess"), WithBinding(binding));
  ASSERT_TRUE(failed.login);
  ASSERT_TRUE(failed.new_binding);
  EXPECT_EQ(*failed.new_binding, binding);
  const AuthorizeOutcome retried =
      PostLogin(LoginForm(*failed.login, "alice", "wonderland"), WithBinding(binding));
  CodeOf(retried);
  EXPECT_TRUE(retried.new_session);
}

TEST_F(AuthorizeLoginTest, Login_UnknownUser_SameFailureAsWrongPassword) {
  const AuthorizeOutcome outcome = WrongPassword("mallory");
  ASSERT_TRUE(outcome.login);
  EXPECT_EQ(outcome.login->failure, LoginFailure::kWrongCredentials);
  EXPECT_EQ(outcome.login->username, "mallory");
}

TEST_F(AuthorizeLoginTest, Login_EleventhFailure_TooManyAttemptsWithRetryAfter) {
  ASSERT_EQ(config_.login.max_failures_per_username, 10u);
  for (int attempt = 1; attempt <= 10; ++attempt) {
    const AuthorizeOutcome outcome = WrongPassword();
    ASSERT_TRUE(outcome.login) << attempt;
    ASSERT_EQ(outcome.login->failure, LoginFailure::kWrongCredentials) << attempt;
  }
  // Blocked even with the right password: the limit is checked before the password.
  const auto [form, binding] = OpenForm();
  const AuthorizeOutcome outcome =
      PostLogin(LoginForm(form, "alice", "wonderland"), WithBinding(binding));
  ExpectLoginForm(outcome);
  ASSERT_TRUE(outcome.login);
  EXPECT_EQ(outcome.login->failure, LoginFailure::kTooManyAttempts);
  EXPECT_EQ(outcome.login->username, "alice");
  EXPECT_GT(outcome.login->retry_after, seconds(0));
  EXPECT_LE(outcome.login->retry_after, config_.login.failure_window);
  EXPECT_EQ(sessions_.session_count(), 0u);
}

TEST_F(AuthorizeLoginTest, Login_TooManyAttemptsForOneUser_OtherUserStillLogsIn) {
  for (int attempt = 1; attempt <= 10; ++attempt) WrongPassword();
  CodeOf(SignInOutcome("bob", "builder", AuthQuery()));
}

TEST_F(AuthorizeLoginTest, Login_MissingPassword_MissingFieldsWithUsername) {
  const auto [form, binding] = OpenForm();
  const FormParams fields = {
      {"request_id", form.request_id}, {"csrf_token", form.csrf_token}, {"username", "alice"}};
  const AuthorizeOutcome outcome = PostLogin(fields, WithBinding(binding));
  ExpectLoginForm(outcome);
  ASSERT_TRUE(outcome.login);
  EXPECT_EQ(outcome.login->failure, LoginFailure::kMissingFields);
  EXPECT_EQ(outcome.login->username, "alice");
  EXPECT_EQ(outcome.event, "login incomplete");
}

TEST_F(AuthorizeLoginTest, Login_EmptyUsername_MissingFields) {
  const auto [form, binding] = OpenForm();
  const AuthorizeOutcome outcome =
      PostLogin(LoginForm(form, "", "wonderland"), WithBinding(binding));
  ASSERT_TRUE(outcome.login);
  EXPECT_EQ(outcome.login->failure, LoginFailure::kMissingFields);
  EXPECT_EQ(outcome.login->username, "");
}

TEST_F(AuthorizeLoginTest, Login_RepeatedPassword_MissingFields) {
  const auto [form, binding] = OpenForm();
  FormParams fields = LoginForm(form, "alice", "wonderland");
  fields.emplace_back("password", "wonderland");
  const AuthorizeOutcome outcome = PostLogin(fields, WithBinding(binding));
  ASSERT_TRUE(outcome.login);
  EXPECT_EQ(outcome.login->failure, LoginFailure::kMissingFields);
}

TEST_F(AuthorizeLoginTest, Login_MissingFieldsDoNotCountAsFailures) {
  const auto [form, binding] = OpenForm();
  for (int attempt = 0; attempt < 12; ++attempt) {
    (void)PostLogin(LoginForm(form, "alice", ""), WithBinding(binding));
  }
  CodeOf(PostLogin(LoginForm(form, "alice", "wonderland"), WithBinding(binding)));
}

TEST_F(AuthorizeLoginTest, Login_MissingCsrfToken_IsAnErrorPage) {
  const auto [form, binding] = OpenForm();
  const FormParams fields = {
      {"request_id", form.request_id}, {"username", "alice"}, {"password", "wonderland"}};
  const AuthorizeOutcome outcome = PostLogin(fields, WithBinding(binding));
  EXPECT_EQ(PageErrorOf(outcome).code, AuthorizeErrorCode::kInvalidRequest);
  EXPECT_EQ(sessions_.session_count(), 0u);
}

TEST_F(AuthorizeLoginTest, Login_MissingRequestId_IsAnErrorPage) {
  const auto [form, binding] = OpenForm();
  const FormParams fields = {
      {"csrf_token", form.csrf_token}, {"username", "alice"}, {"password", "wonderland"}};
  EXPECT_EQ(PageErrorOf(PostLogin(fields, WithBinding(binding))).code,
            AuthorizeErrorCode::kInvalidRequest);
}

TEST_F(AuthorizeLoginTest, Login_RepeatedCsrfToken_IsAnErrorPage) {
  const auto [form, binding] = OpenForm();
  FormParams fields = LoginForm(form, "alice", "wonderland");
  fields.emplace_back("csrf_token", form.csrf_token);
  EXPECT_EQ(PageErrorOf(PostLogin(fields, WithBinding(binding))).code,
            AuthorizeErrorCode::kInvalidRequest);
}

TEST_F(AuthorizeLoginTest, Login_WithoutBindingCookie_IsAnErrorPage) {
  const auto [form, binding] = OpenForm();
  const AuthorizeOutcome outcome = PostLogin(LoginForm(form, "alice", "wonderland"), {});
  EXPECT_EQ(PageErrorOf(outcome).code, AuthorizeErrorCode::kInvalidRequest);
  EXPECT_EQ(sessions_.session_count(), 0u);
}

TEST_F(AuthorizeLoginTest, Login_WrongBindingCookie_IsAnErrorPage) {
  // Login CSRF: the attacker's own form posted from the victim's browser.
  const auto [attacker_form, attacker_binding] = OpenForm();
  const auto [victim_form, victim_binding] = OpenForm();
  const AuthorizeOutcome outcome =
      PostLogin(LoginForm(attacker_form, "alice", "wonderland"), WithBinding(victim_binding));
  EXPECT_EQ(PageErrorOf(outcome).code, AuthorizeErrorCode::kInvalidRequest);
  EXPECT_EQ(sessions_.session_count(), 0u);
}

TEST_F(AuthorizeLoginTest, Login_TamperedRequestId_IsAnErrorPage) {
  const auto [form, binding] = OpenForm();
  LoginFormState tampered = form;
  // Same time, another request (the client's redirect changed to the attacker's choice).
  const std::string issued = form.request_id.substr(0, form.request_id.find('.'));
  tampered.request_id = EncodePendingLogin(AuthQuery("&prompt=none"), Now());
  ASSERT_EQ(tampered.request_id.substr(0, issued.size()), issued);
  const AuthorizeOutcome outcome =
      PostLogin(LoginForm(tampered, "alice", "wonderland"), WithBinding(binding));
  EXPECT_EQ(PageErrorOf(outcome).code, AuthorizeErrorCode::kInvalidRequest);
}

TEST_F(AuthorizeLoginTest, Login_TamperedCsrfToken_IsAnErrorPage) {
  const auto [form, binding] = OpenForm();
  LoginFormState tampered = form;
  tampered.csrf_token[0] = tampered.csrf_token[0] == 'A' ? 'B' : 'A';
  EXPECT_EQ(
      PageErrorOf(PostLogin(LoginForm(tampered, "alice", "wonderland"), WithBinding(binding))).code,
      AuthorizeErrorCode::kInvalidRequest);
}

TEST_F(AuthorizeLoginTest, Login_FormOlderThanThirtyMinutes_IsAnErrorPage) {
  const auto [form, binding] = OpenForm();
  Advance(kLoginFormLifetime + seconds(1));
  const AuthorizeOutcome outcome =
      PostLogin(LoginForm(form, "alice", "wonderland"), WithBinding(binding));
  EXPECT_EQ(PageErrorOf(outcome).code, AuthorizeErrorCode::kInvalidRequest);
  EXPECT_EQ(sessions_.session_count(), 0u);
}

TEST_F(AuthorizeLoginTest, Login_FormTwentyNineMinutesOld_StillAccepted) {
  const auto [form, binding] = OpenForm();
  Advance(std::chrono::minutes(29));
  CodeOf(PostLogin(LoginForm(form, "alice", "wonderland"), WithBinding(binding)));
}

TEST_F(AuthorizeLoginTest, Login_ForgedIdWithAValidTokenButUndecodableRequest_IsAnErrorPage) {
  // Even a request_id the CSRF key signed must still decode (defence in depth).
  const std::string binding = "binding-value";
  const std::string request_id = std::to_string(Now().time_since_epoch() / seconds(1)) + ".@@";
  const FormParams fields = {{"request_id", request_id},
                             {"csrf_token", *NewCsrf()->Issue(request_id, binding)},
                             {"username", "alice"},
                             {"password", "wonderland"}};
  EXPECT_EQ(PageErrorOf(PostLogin(fields, WithBinding(binding))).code,
            AuthorizeErrorCode::kInvalidRequest);
}

TEST_F(AuthorizeLoginTest, Login_RequestInvalidOnThePost_IsValidatedAgain) {
  // A form signed for a request whose client is unknown (e.g. removed since): the request is
  // parsed again on the POST, so it is a page error, and no session is made.
  const std::string binding = "binding-value";
  const std::string request_id =
      EncodePendingLogin("response_type=code&client_id=nobody&redirect_uri=" +
                             std::string(testing::kWebRedirectEncoded),
                         Now());
  const FormParams fields = {{"request_id", request_id},
                             {"csrf_token", *NewCsrf()->Issue(request_id, binding)},
                             {"username", "alice"},
                             {"password", "wonderland"}};
  EXPECT_EQ(PageErrorOf(PostLogin(fields, WithBinding(binding))).code,
            AuthorizeErrorCode::kInvalidClient);
  EXPECT_EQ(sessions_.session_count(), 0u);
}

TEST_F(AuthorizeLoginTest, IsLoginForm_TrueWithTheFormsHiddenFields) {
  EXPECT_TRUE(AuthorizeService::IsLoginForm({{"csrf_token", "x"}}));
  EXPECT_TRUE(AuthorizeService::IsLoginForm({{"request_id", "x"}, {"username", "alice"}}));
  EXPECT_FALSE(AuthorizeService::IsLoginForm(
      {{"response_type", "code"}, {"client_id", "web"}, {"username", "alice"}}));
  EXPECT_FALSE(AuthorizeService::IsLoginForm({}));
}

}  // namespace
}  // namespace signet::oauth

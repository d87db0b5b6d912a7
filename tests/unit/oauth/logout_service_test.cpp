// oauth::LogoutService (issue 6 point 6, OIDC RP-Initiated Logout 1.0): ending the session
// with a verified id_token_hint, the confirmation form and its CSRF token, the answers
// without a session, and the revocation of the session's refresh token families, on the
// in-memory stores (tests/unit/oauth/sso_fixture.hpp) with ID tokens signed by the fixture's
// key ring.
#include "oauth/logout_service.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "oauth/opaque_secret.hpp"
#include "store/refresh_token_store.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"
#include "tests/unit/oauth/sso_fixture.hpp"

namespace signet::oauth {
namespace {

using testing::RunAwaitable;

// The memory store with a count of the operations that write (Create, AddClient, End,
// EndAllForSubject) and of every call.
class CountingSessionStore final : public store::SessionStore {
 public:
  explicit CountingSessionStore(store::SessionStore& inner) : inner_(inner) {}

  boost::asio::awaitable<store::Result<void>> Create(std::string hash,
                                                     store::LoginSession session) override {
    ++writes;
    ++calls;
    co_return co_await inner_.Create(std::move(hash), std::move(session));
  }
  boost::asio::awaitable<store::Result<std::optional<store::LoginSession>>> Find(
      std::string hash, store::WallTime now) override {
    ++calls;
    co_return co_await inner_.Find(std::move(hash), now);
  }
  boost::asio::awaitable<store::Result<bool>> AddClient(std::string hash, std::string client_id,
                                                        store::WallTime now) override {
    ++writes;
    ++calls;
    co_return co_await inner_.AddClient(std::move(hash), std::move(client_id), now);
  }
  boost::asio::awaitable<store::Result<std::optional<store::LoginSession>>> End(
      std::string hash) override {
    ++writes;
    ++calls;
    co_return co_await inner_.End(std::move(hash));
  }
  boost::asio::awaitable<store::Result<std::size_t>> EndAllForSubject(
      std::string subject) override {
    ++writes;
    ++calls;
    co_return co_await inner_.EndAllForSubject(std::move(subject));
  }

  int writes = 0;
  int calls = 0;

 private:
  store::SessionStore& inner_;
};

// Find works, End fails as an unreachable Redis does.
class FailingEndSessionStore final : public store::SessionStore {
 public:
  explicit FailingEndSessionStore(store::SessionStore& inner) : inner_(inner) {}
  boost::asio::awaitable<store::Result<void>> Create(std::string, store::LoginSession) override {
    co_return store::Errc::kUnavailable;
  }
  boost::asio::awaitable<store::Result<std::optional<store::LoginSession>>> Find(
      std::string hash, store::WallTime now) override {
    co_return co_await inner_.Find(std::move(hash), now);
  }
  boost::asio::awaitable<store::Result<bool>> AddClient(std::string, std::string,
                                                        store::WallTime) override {
    co_return store::Errc::kUnavailable;
  }
  boost::asio::awaitable<store::Result<std::optional<store::LoginSession>>> End(
      std::string) override {
    co_return store::Errc::kUnavailable;
  }
  boost::asio::awaitable<store::Result<std::size_t>> EndAllForSubject(std::string) override {
    co_return store::Errc::kUnavailable;
  }

 private:
  store::SessionStore& inner_;
};

// Every operation fails as an unreachable Redis does.
class UnavailableRefreshTokenStore final : public store::RefreshTokenStore {
 public:
  boost::asio::awaitable<store::Result<void>> Issue(std::string, store::RefreshGrant) override {
    co_return store::Errc::kUnavailable;
  }
  boost::asio::awaitable<store::Result<store::RotateResult>> Rotate(std::string, std::string,
                                                                    store::WallTime,
                                                                    store::WallTime) override {
    co_return store::Errc::kUnavailable;
  }
  boost::asio::awaitable<store::Result<std::optional<store::RefreshGrant>>> Find(
      std::string, store::WallTime) override {
    co_return store::Errc::kUnavailable;
  }
  boost::asio::awaitable<store::Result<void>> RevokeFamily(std::string) override {
    co_return store::Errc::kUnavailable;
  }
  boost::asio::awaitable<store::Result<std::size_t>> RevokeSession(std::string,
                                                                   store::WallTime) override {
    ++revoke_session_calls;
    co_return store::Errc::kUnavailable;
  }

  int revoke_session_calls = 0;
};

class LogoutServiceTest : public testing::SsoFixture {
 protected:
  LogoutOutcome Logout(FormParams params, std::string session_cookie) {
    return RunAwaitable(logout_->Handle(std::move(params), std::move(session_cookie)));
  }
  LogoutOutcome Confirm(FormParams form, std::string session_cookie) {
    return RunAwaitable(logout_->HandleConfirmation(std::move(form), std::move(session_cookie)));
  }

  // The confirmation form's fields as the page posts them (empty ones left out, as the page
  // does).
  static FormParams ConfirmationForm(const LogoutConfirmation& confirm) {
    FormParams form = {{"csrf_token", confirm.csrf_token}};
    if (!confirm.client_id.empty()) form.emplace_back("client_id", confirm.client_id);
    if (!confirm.post_logout_redirect_uri.empty()) {
      form.emplace_back("post_logout_redirect_uri", confirm.post_logout_redirect_uri);
    }
    if (!confirm.state.empty()) form.emplace_back("state", confirm.state);
    return form;
  }

  // A service on other stores (same registry, keys, CSRF key and clock).
  std::unique_ptr<LogoutService> ServiceOn(store::SessionStore& sessions) {
    return ServiceOn(sessions, refresh_tokens_);
  }
  std::unique_ptr<LogoutService> ServiceOn(store::SessionStore& sessions,
                                           store::RefreshTokenStore& refresh_tokens) {
    auto service = LogoutService::Create(config_, {.registry = &registry_,
                                                   .keys = KeyRingSnapshots(ring_),
                                                   .csrf = csrf_.get(),
                                                   .sessions = &sessions,
                                                   .refresh_tokens = &refresh_tokens,
                                                   .clock = Clock()});
    EXPECT_TRUE(service);
    return service ? std::move(*service) : nullptr;
  }

  static FormParams ClientRedirect(std::string state = "s-1") {
    return {{"client_id", "web"},
            {"post_logout_redirect_uri", std::string(testing::kWebLogoutRedirect)},
            {"state", std::move(state)}};
  }
};

// --- a verified hint ------------------------------------------------------------------------

TEST_F(LogoutServiceTest, Handle_HintOfTheSessionsUser_EndsTheSessionAndRedirectsWithState) {
  const std::string session = SignIn();
  const LogoutOutcome outcome =
      Logout({{"id_token_hint", IdToken("alice")},
              {"post_logout_redirect_uri", std::string(testing::kWebLogoutRedirect)},
              {"state", "s-1"}},
             session);
  ASSERT_TRUE(outcome.location) << outcome.event << ": " << outcome.debug;
  EXPECT_FALSE(outcome.confirm);
  EXPECT_FALSE(outcome.error);
  EXPECT_FALSE(outcome.signed_out);
  EXPECT_FALSE(outcome.unavailable);
  EXPECT_TRUE(outcome.clear_session);
  EXPECT_EQ(WithoutQuery(*outcome.location), testing::kWebLogoutRedirect);
  EXPECT_EQ(Param(QueryOf(*outcome.location), "state"), "s-1");
  EXPECT_FALSE(FindSession(session));
  EXPECT_EQ(outcome.subject, "alice");
  EXPECT_EQ(outcome.client_id, "web");
  EXPECT_EQ(outcome.event, "logout");
}

TEST_F(LogoutServiceTest, Handle_HintWithoutRedirect_EndsTheSessionAndShowsSignedOut) {
  const std::string session = SignIn();
  const LogoutOutcome outcome = Logout({{"id_token_hint", IdToken("alice")}}, session);
  EXPECT_TRUE(outcome.signed_out);
  EXPECT_FALSE(outcome.location);
  EXPECT_FALSE(outcome.confirm);
  EXPECT_TRUE(outcome.clear_session);
  EXPECT_FALSE(FindSession(session));
}

TEST_F(LogoutServiceTest, Handle_ExpiredHintOfTheSessionsUser_StillEndsTheSession) {
  const std::string session = SignIn();
  const std::string hint = IdToken("alice");
  Advance(config_.tokens.id_token_ttl + std::chrono::seconds(3600));
  const LogoutOutcome outcome = Logout({{"id_token_hint", hint}}, session);
  EXPECT_TRUE(outcome.signed_out) << outcome.debug;
  EXPECT_FALSE(FindSession(session));
}

TEST_F(LogoutServiceTest, Handle_HintOfAnotherUser_AsksForConfirmation) {
  const std::string session = SignIn();
  const LogoutOutcome outcome = Logout({{"id_token_hint", IdToken("bob")}}, session);
  ASSERT_TRUE(outcome.confirm);
  EXPECT_FALSE(outcome.location);
  EXPECT_FALSE(outcome.clear_session);
  EXPECT_EQ(outcome.confirm->client_id, "web");  // the hint's client
  EXPECT_TRUE(FindSession(session));
}

TEST_F(LogoutServiceTest, Handle_UnverifiableHint_IsAnErrorAndKeepsTheSession) {
  const std::string session = SignIn();
  std::string hint = IdToken("alice");
  hint.back() = hint.back() == 'A' ? 'B' : 'A';  // breaks the signature
  const LogoutOutcome outcome = Logout({{"id_token_hint", hint}}, session);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->code, LogoutErrorCode::kInvalidIdTokenHint);
  EXPECT_FALSE(outcome.location);
  EXPECT_FALSE(outcome.clear_session);
  EXPECT_TRUE(FindSession(session));
}

// --- confirmation ---------------------------------------------------------------------------

TEST_F(LogoutServiceTest, Handle_NoHintWithSession_AsksForConfirmationWithCsrfToken) {
  const std::string session = SignIn();
  const LogoutOutcome outcome = Logout(ClientRedirect(), session);
  ASSERT_TRUE(outcome.confirm) << outcome.event << ": " << outcome.debug;
  EXPECT_FALSE(outcome.location);
  EXPECT_FALSE(outcome.error);
  EXPECT_FALSE(outcome.signed_out);
  EXPECT_FALSE(outcome.clear_session);
  EXPECT_EQ(outcome.confirm->csrf_token.size(), 43u);
  EXPECT_EQ(outcome.confirm->client_id, "web");
  EXPECT_EQ(outcome.confirm->post_logout_redirect_uri, testing::kWebLogoutRedirect);
  EXPECT_EQ(outcome.confirm->state, "s-1");
  EXPECT_EQ(outcome.subject, "alice");
  EXPECT_EQ(outcome.event, "logout confirmation");
  EXPECT_TRUE(FindSession(session));  // a bare link logs nobody out
}

TEST_F(LogoutServiceTest, Handle_BareRequestWithSession_AsksForConfirmation) {
  const std::string session = SignIn();
  const LogoutOutcome outcome = Logout({}, session);
  ASSERT_TRUE(outcome.confirm);
  EXPECT_EQ(outcome.confirm->client_id, "");
  EXPECT_EQ(outcome.confirm->post_logout_redirect_uri, "");
  EXPECT_EQ(outcome.confirm->state, "");
  EXPECT_TRUE(FindSession(session));
}

TEST_F(LogoutServiceTest, Confirmation_WithTheToken_EndsTheSessionAndRedirects) {
  const std::string session = SignIn();
  const LogoutOutcome asked = Logout(ClientRedirect(), session);
  ASSERT_TRUE(asked.confirm);
  const LogoutOutcome outcome = Confirm(ConfirmationForm(*asked.confirm), session);
  ASSERT_TRUE(outcome.location) << outcome.event << ": " << outcome.debug;
  EXPECT_FALSE(outcome.error);
  EXPECT_TRUE(outcome.clear_session);
  EXPECT_EQ(WithoutQuery(*outcome.location), testing::kWebLogoutRedirect);
  EXPECT_EQ(Param(QueryOf(*outcome.location), "state"), "s-1");
  EXPECT_EQ(outcome.subject, "alice");
  EXPECT_FALSE(FindSession(session));
}

TEST_F(LogoutServiceTest, Confirmation_OfABareRequest_EndsTheSessionAndShowsSignedOut) {
  const std::string session = SignIn();
  const LogoutOutcome asked = Logout({}, session);
  ASSERT_TRUE(asked.confirm);
  const LogoutOutcome outcome = Confirm(ConfirmationForm(*asked.confirm), session);
  EXPECT_TRUE(outcome.signed_out) << outcome.debug;
  EXPECT_TRUE(outcome.clear_session);
  EXPECT_FALSE(FindSession(session));
}

TEST_F(LogoutServiceTest, Confirmation_WithAWrongToken_IsAnErrorAndKeepsTheSession) {
  const std::string session = SignIn();
  const LogoutOutcome asked = Logout(ClientRedirect(), session);
  ASSERT_TRUE(asked.confirm);
  LogoutConfirmation forged = *asked.confirm;
  forged.csrf_token[0] = forged.csrf_token[0] == 'A' ? 'B' : 'A';
  const LogoutOutcome outcome = Confirm(ConfirmationForm(forged), session);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->code, LogoutErrorCode::kInvalidRequest);
  EXPECT_FALSE(outcome.location);
  EXPECT_FALSE(outcome.clear_session);
  EXPECT_TRUE(FindSession(session));
}

TEST_F(LogoutServiceTest, Confirmation_WithoutToken_IsAnError) {
  const std::string session = SignIn();
  FormParams form = ClientRedirect();
  form.emplace_back("csrf_token", "");
  const LogoutOutcome outcome = Confirm(form, session);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->code, LogoutErrorCode::kInvalidRequest);
  EXPECT_TRUE(FindSession(session));
}

TEST_F(LogoutServiceTest, Confirmation_TokenOfAnotherSession_IsAnError) {
  const std::string victim = SignIn();
  const std::string attacker = SignIn("bob", "builder");
  const LogoutOutcome asked = Logout(ClientRedirect(), attacker);
  ASSERT_TRUE(asked.confirm);
  const LogoutOutcome outcome = Confirm(ConfirmationForm(*asked.confirm), victim);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->code, LogoutErrorCode::kInvalidRequest);
  EXPECT_TRUE(FindSession(victim));
}

TEST_F(LogoutServiceTest, Confirmation_WithChangedState_IsAnError) {
  const std::string session = SignIn();
  const LogoutOutcome asked = Logout(ClientRedirect(), session);
  ASSERT_TRUE(asked.confirm);
  LogoutConfirmation changed = *asked.confirm;
  changed.state = "s-2";
  const LogoutOutcome outcome = Confirm(ConfirmationForm(changed), session);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->code, LogoutErrorCode::kInvalidRequest);
  EXPECT_TRUE(FindSession(session));
}

TEST_F(LogoutServiceTest, Confirmation_WithRedirectDropped_IsAnError) {
  const std::string session = SignIn();
  const LogoutOutcome asked = Logout(ClientRedirect(), session);
  ASSERT_TRUE(asked.confirm);
  LogoutConfirmation changed = *asked.confirm;
  changed.post_logout_redirect_uri.clear();
  const LogoutOutcome outcome = Confirm(ConfirmationForm(changed), session);
  ASSERT_TRUE(outcome.error);
  EXPECT_TRUE(FindSession(session));
}

TEST_F(LogoutServiceTest, Confirmation_WithoutSessionCookie_RedirectsWithoutStoreWrite) {
  CountingSessionStore counting(sessions_);
  auto service = ServiceOn(counting);
  FormParams form = ClientRedirect();
  form.emplace_back("csrf_token", "whatever");
  const LogoutOutcome outcome = RunAwaitable(service->HandleConfirmation(form, ""));
  ASSERT_TRUE(outcome.location) << outcome.debug;
  EXPECT_EQ(Param(QueryOf(*outcome.location), "state"), "s-1");
  EXPECT_FALSE(outcome.clear_session);
  EXPECT_EQ(counting.calls, 0);
}

TEST_F(LogoutServiceTest, Confirmation_WithoutSessionCookieButBadRedirect_IsAnError) {
  FormParams form = {{"csrf_token", "whatever"},
                     {"client_id", "web"},
                     {"post_logout_redirect_uri", "https://evil.example/"}};
  const LogoutOutcome outcome = Confirm(form, "");
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->code, LogoutErrorCode::kUnregisteredRedirectUri);
  EXPECT_FALSE(outcome.location);
}

// --- no session -----------------------------------------------------------------------------

TEST_F(LogoutServiceTest, Handle_NoSessionCookie_SignedOutWithoutTouchingTheStore) {
  CountingSessionStore counting(sessions_);
  auto service = ServiceOn(counting);
  const LogoutOutcome outcome = RunAwaitable(service->Handle({}, ""));
  EXPECT_TRUE(outcome.signed_out);
  EXPECT_FALSE(outcome.location);
  EXPECT_FALSE(outcome.confirm);
  EXPECT_FALSE(outcome.clear_session);
  EXPECT_EQ(counting.calls, 0);
}

TEST_F(LogoutServiceTest, Handle_NoSessionCookie_RedirectsWithStateWithoutStoreWrite) {
  CountingSessionStore counting(sessions_);
  auto service = ServiceOn(counting);
  const LogoutOutcome outcome = RunAwaitable(service->Handle(ClientRedirect(), ""));
  ASSERT_TRUE(outcome.location) << outcome.debug;
  EXPECT_EQ(WithoutQuery(*outcome.location), testing::kWebLogoutRedirect);
  EXPECT_EQ(Param(QueryOf(*outcome.location), "state"), "s-1");
  EXPECT_FALSE(outcome.confirm);  // nothing to protect: no session
  EXPECT_EQ(counting.writes, 0);
}

TEST_F(LogoutServiceTest, Handle_UnknownSessionCookie_RedirectsAndClearsTheCookie) {
  const std::string session = SignIn();
  CountingSessionStore counting(sessions_);
  auto service = ServiceOn(counting);
  const LogoutOutcome outcome = RunAwaitable(service->Handle(ClientRedirect(), "no-such-session"));
  ASSERT_TRUE(outcome.location) << outcome.debug;
  EXPECT_FALSE(outcome.confirm);
  EXPECT_TRUE(outcome.clear_session);
  EXPECT_TRUE(FindSession(session));  // another browser's session is untouched
  EXPECT_EQ(sessions_.session_count(), 1u);
}

TEST_F(LogoutServiceTest, Handle_ExpiredSession_SignedOutWithoutConfirmation) {
  const std::string session = SignIn();
  Advance(config_.login.session_ttl + std::chrono::seconds(1));
  const LogoutOutcome outcome = Logout({}, session);
  EXPECT_TRUE(outcome.signed_out);
  EXPECT_FALSE(outcome.confirm);
  EXPECT_TRUE(outcome.clear_session);
}

// --- errors ---------------------------------------------------------------------------------

TEST_F(LogoutServiceTest, Handle_UnregisteredPostLogoutRedirectUri_IsAnErrorPage) {
  const std::string session = SignIn();
  const LogoutOutcome outcome = Logout(
      {{"id_token_hint", IdToken("alice")}, {"post_logout_redirect_uri", "https://evil.example/"}},
      session);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->code, LogoutErrorCode::kUnregisteredRedirectUri);
  EXPECT_FALSE(outcome.location);
  EXPECT_FALSE(outcome.confirm);
  EXPECT_FALSE(outcome.clear_session);
  EXPECT_TRUE(FindSession(session));
  EXPECT_EQ(outcome.event, "logout error");
}

TEST_F(LogoutServiceTest, Handle_RedirectWithoutClient_IsAnErrorPage) {
  const LogoutOutcome outcome =
      Logout({{"post_logout_redirect_uri", std::string(testing::kWebLogoutRedirect)}}, "");
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->code, LogoutErrorCode::kRedirectUriWithoutClient);
  EXPECT_FALSE(outcome.location);
}

TEST_F(LogoutServiceTest, Handle_UnknownClient_IsAnErrorPage) {
  const LogoutOutcome outcome = Logout({{"client_id", "nobody"}}, "");
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->code, LogoutErrorCode::kUnknownClient);
}

TEST_F(LogoutServiceTest, Handle_StoreCannotEndTheSession_Unavailable) {
  const std::string session = SignIn();
  FailingEndSessionStore failing(sessions_);
  auto service = ServiceOn(failing);
  const LogoutOutcome outcome =
      RunAwaitable(service->Handle({{"id_token_hint", IdToken("alice")}}, session));
  EXPECT_TRUE(outcome.unavailable);
  EXPECT_FALSE(outcome.signed_out);  // never pretend the user is signed out
  EXPECT_FALSE(outcome.location);
  EXPECT_FALSE(outcome.clear_session);
  EXPECT_TRUE(FindSession(session));
}

// --- refresh tokens of the session ------------------------------------------------------------

TEST_F(LogoutServiceTest, Handle_EndingTheSession_RevokesItsRefreshFamiliesOnly) {
  const std::string session = SignIn();
  const std::string other_session = SignIn();  // the same user in another browser
  const std::string sid = FindSession(session)->sid;
  const std::string other_sid = FindSession(other_session)->sid;
  ASSERT_NE(sid, other_sid);
  const std::string web = StartRefreshFamily("fam-web", sid);
  const std::string second_client = StartRefreshFamily("fam-second", sid);
  const std::string other = StartRefreshFamily("fam-other", other_sid);
  const std::string password_grant = StartRefreshFamily("fam-password", "");

  const LogoutOutcome outcome = Logout({{"id_token_hint", IdToken("alice")}}, session);
  ASSERT_TRUE(outcome.signed_out) << outcome.event << ": " << outcome.debug;

  EXPECT_FALSE(FindRefresh(web));
  EXPECT_FALSE(FindRefresh(second_client));
  auto rotated = RunAwaitable(refresh_tokens_.Rotate(
      HashOpaqueSecret(web), HashOpaqueSecret("rt-next"), Now() + std::chrono::hours(1), Now()));
  ASSERT_TRUE(rotated);
  EXPECT_EQ(rotated->status, store::RotateStatus::kUnknown);
  ASSERT_TRUE(FindRefresh(other));
  EXPECT_EQ(FindRefresh(other)->sid, other_sid);
  EXPECT_TRUE(FindRefresh(password_grant));
  EXPECT_TRUE(FindSession(other_session));
  EXPECT_EQ(outcome.debug, "revoked 2 refresh token families of the session");
}

TEST_F(LogoutServiceTest, Confirmation_EndingTheSession_RevokesItsRefreshFamilies) {
  const std::string session = SignIn();
  const std::string token = StartRefreshFamily("fam-web", FindSession(session)->sid);
  const LogoutOutcome asked = Logout(ClientRedirect(), session);
  ASSERT_TRUE(asked.confirm);
  EXPECT_TRUE(FindRefresh(token));  // asking is not ending
  const LogoutOutcome outcome = Confirm(ConfirmationForm(*asked.confirm), session);
  ASSERT_TRUE(outcome.location) << outcome.event << ": " << outcome.debug;
  EXPECT_FALSE(FindRefresh(token));
}

TEST_F(LogoutServiceTest, Handle_HintOfAnotherUser_KeepsTheRefreshFamilies) {
  const std::string session = SignIn();
  const std::string token = StartRefreshFamily("fam-web", FindSession(session)->sid);
  const LogoutOutcome outcome = Logout({{"id_token_hint", IdToken("bob")}}, session);
  ASSERT_TRUE(outcome.confirm);
  EXPECT_TRUE(FindRefresh(token));
}

TEST_F(LogoutServiceTest, Handle_SessionAlreadyEnded_RevokesNothing) {
  const std::string session = SignIn();
  const std::string sid = FindSession(session)->sid;
  ASSERT_TRUE(RunAwaitable(sessions_.End(HashOpaqueSecret(session))));  // another tab
  const std::string token = StartRefreshFamily("fam-web", sid);
  UnavailableRefreshTokenStore down;
  auto service = ServiceOn(sessions_, down);
  const LogoutOutcome outcome = RunAwaitable(service->Handle({}, session));
  EXPECT_TRUE(outcome.signed_out) << outcome.debug;
  EXPECT_EQ(down.revoke_session_calls, 0);  // no session returned: no sid to revoke
  EXPECT_TRUE(FindRefresh(token));
}

TEST_F(LogoutServiceTest, Handle_SessionStoreFails_RevokesNothing) {
  const std::string session = SignIn();
  const std::string token = StartRefreshFamily("fam-web", FindSession(session)->sid);
  FailingEndSessionStore failing(sessions_);
  auto service = ServiceOn(failing);
  const LogoutOutcome outcome =
      RunAwaitable(service->Handle({{"id_token_hint", IdToken("alice")}}, session));
  EXPECT_TRUE(outcome.unavailable);
  EXPECT_TRUE(FindRefresh(token));
}

// The session is gone from the store: the user is signed out even if the families could
// not be revoked; the log line says so.
TEST_F(LogoutServiceTest, Handle_RefreshTokenStoreFails_StillSignsOutAndSaysSo) {
  const std::string session = SignIn();
  UnavailableRefreshTokenStore down;
  auto service = ServiceOn(sessions_, down);
  const LogoutOutcome outcome = RunAwaitable(
      service->Handle({{"id_token_hint", IdToken("alice")},
                       {"post_logout_redirect_uri", std::string(testing::kWebLogoutRedirect)}},
                      session));
  ASSERT_TRUE(outcome.location) << outcome.event << ": " << outcome.debug;
  EXPECT_FALSE(outcome.unavailable);
  EXPECT_TRUE(outcome.clear_session);
  EXPECT_FALSE(FindSession(session));
  EXPECT_EQ(down.revoke_session_calls, 1);
  EXPECT_EQ(outcome.event, "logout");
  EXPECT_NE(outcome.debug.find("refresh tokens were not revoked"), std::string::npos)
      << outcome.debug;
}

TEST_F(LogoutServiceTest, IsConfirmation_TrueOnlyWithCsrfToken) {
  EXPECT_TRUE(LogoutService::IsConfirmation({{"csrf_token", ""}}));
  EXPECT_FALSE(LogoutService::IsConfirmation(ClientRedirect()));
  EXPECT_FALSE(LogoutService::IsConfirmation({}));
}

TEST_F(LogoutServiceTest, Create_RefusesAMissingDependency) {
  auto service = LogoutService::Create(config_, {.registry = &registry_,
                                                 .keys = KeyRingSnapshots(ring_),
                                                 .csrf = nullptr,
                                                 .sessions = &sessions_,
                                                 .refresh_tokens = &refresh_tokens_,
                                                 .clock = Clock()});
  ASSERT_FALSE(service);
  EXPECT_EQ(service.error().code, ErrorCode::kServerError);
}

TEST_F(LogoutServiceTest, Create_RefusesAMissingRefreshTokenStore) {
  auto service = LogoutService::Create(config_, {.registry = &registry_,
                                                 .keys = KeyRingSnapshots(ring_),
                                                 .csrf = csrf_.get(),
                                                 .sessions = &sessions_,
                                                 .refresh_tokens = nullptr,
                                                 .clock = Clock()});
  ASSERT_FALSE(service);
  EXPECT_EQ(service.error().code, ErrorCode::kServerError);
}

}  // namespace
}  // namespace signet::oauth

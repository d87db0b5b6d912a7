#pragma once
// Shared set-up of the single-sign-on tests (issue 6; oauth: authorize_service_test.cpp,
// logout_service_test.cpp; server: authorize_endpoint_test.cpp): AuthorizeService and
// LogoutService on the real in-memory stores (codes, sessions, refresh tokens, revocations,
// failure counters), a settable clock, a fake argon2 verifier, a known CSRF key and a key ring
// with one ES256 key for ID token hints.
//
// Clients: "web" (confidential; redirect https://app.example.com/callback, post-logout
// https://app.example.com/bye), "spa" (public, PKCE required) and "svc" (client_credentials
// only). Users: alice (hashed password "wonderland"), bob (clear "builder").
//
// Usage:
//   class MyTest : public signet::testing::SsoFixture {};
//   oauth::AuthorizeOutcome page = Authorize(AuthQuery(), {});
//   std::string session = SignIn("alice", "wonderland");
//   Advance(std::chrono::minutes(31));

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "config/config.hpp"
#include "keys/key_ring.hpp"
#include "keys/private_key.hpp"
#include "keys/secret.hpp"
#include "oauth/access_token_issuer.hpp"
#include "oauth/access_token_verifier.hpp"
#include "oauth/authorize_service.hpp"
#include "oauth/client_authenticator.hpp"
#include "oauth/client_registry.hpp"
#include "oauth/form.hpp"
#include "oauth/id_token_issuer.hpp"
#include "oauth/login_csrf.hpp"
#include "oauth/logout_service.hpp"
#include "oauth/opaque_secret.hpp"
#include "oauth/password_login.hpp"
#include "oauth/pkce.hpp"
#include "oauth/user_claims.hpp"
#include "store/memory_authorization_code_store.hpp"
#include "store/memory_failure_rate_limiter.hpp"
#include "store/memory_refresh_token_store.hpp"
#include "store/memory_revocation_store.hpp"
#include "store/memory_session_store.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"

namespace signet::testing {

inline constexpr std::int64_t kSsoStart = 1'700'000'000;
inline constexpr std::string_view kSsoIssuer = "https://id.example.com";
inline constexpr std::string_view kWebRedirect = "https://app.example.com/callback";
inline constexpr std::string_view kWebRedirectEncoded = "https%3A%2F%2Fapp.example.com%2Fcallback";
inline constexpr std::string_view kWebLogoutRedirect = "https://app.example.com/bye";
inline constexpr std::string_view kSpaRedirect = "https://spa.example.com/cb";
inline constexpr std::string_view kPkceVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
inline constexpr std::string_view kSsoClientIp = "198.51.100.7";
// "Hash" of a password for the fake verifier: encoded == "test$" + password.
inline constexpr std::string_view kSsoFakeHashPrefix = "test$";
// 32 bytes: the CSRF key shared by the services and by tests that forge forms.
inline constexpr std::string_view kSsoCsrfKey = "0123456789abcdef0123456789abcdef";

inline config::Config SsoConfig(std::string_view issuer) {
  config::Config config;
  config.issuer = std::string(issuer);
  config.tokens.id_token_ttl = std::chrono::seconds(600);
  config.tokens.access_token_ttl = std::chrono::seconds(900);
  config.tokens.leeway = std::chrono::seconds(30);
  config.tokens.signing_alg = keys::Algorithm::kEs256;
  config.keys.algorithms = {keys::Algorithm::kEs256};
  config.login.session_ttl = std::chrono::seconds(8 * 3600);

  config::Client web;
  web.client_id = "web";
  web.client_secret = "web-secret";
  web.grant_types = {config::GrantType::kAuthorizationCode, config::GrantType::kRefreshToken};
  web.redirect_uris = {std::string(kWebRedirect)};
  web.post_logout_redirect_uris = {std::string(kWebLogoutRedirect)};
  web.scope = {"openid", "profile", "orders.read"};
  config::Client spa;
  spa.client_id = "spa";
  spa.token_endpoint_auth_method = config::TokenEndpointAuthMethod::kNone;
  spa.grant_types = {config::GrantType::kAuthorizationCode};
  spa.redirect_uris = {std::string(kSpaRedirect)};
  spa.scope = {"openid"};
  config::Client svc;
  svc.client_id = "svc";
  svc.client_secret = "svc-secret";
  svc.scope = {"orders.read"};
  config.clients = {web, spa, svc};

  config::User alice;
  alice.username = "alice";
  alice.password_hash = std::string(kSsoFakeHashPrefix) + "wonderland";
  alice.claims_json = R"({"name":"Alice"})";
  config::User bob;
  bob.username = "bob";
  bob.password = "builder";
  config.users = {alice, bob};
  return config;
}

// Every operation fails as an unreachable Redis does.
class UnavailableSessionStore final : public store::SessionStore {
 public:
  boost::asio::awaitable<store::Result<void>> Create(std::string, store::LoginSession) override {
    co_return store::Errc::kUnavailable;
  }
  boost::asio::awaitable<store::Result<std::optional<store::LoginSession>>> Find(
      std::string, store::WallTime) override {
    co_return store::Errc::kUnavailable;
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
};

class SsoFixture : public ::testing::Test {
 protected:
  explicit SsoFixture(std::string_view issuer = kSsoIssuer)
      : config_(SsoConfig(issuer)), registry_(config_.clients) {
    const auto start = Now();
    auto key = keys::PrivateKey::Generate(keys::Algorithm::kEs256);
    EXPECT_TRUE(key);
    auto entry =
        keys::MakeKeyEntry(std::move(*key), keys::KeyState::kActive, start - std::chrono::hours(1),
                           start - std::chrono::hours(1), start + std::chrono::hours(48));
    EXPECT_TRUE(entry);
    std::vector<keys::KeyEntry> entries;
    entries.push_back(std::move(*entry));
    EXPECT_TRUE(ring_.Replace(std::move(entries)));

    auto users = oauth::UserClaimsRegistry::Create(config_.users);
    EXPECT_TRUE(users);
    users_ = std::make_unique<oauth::UserClaimsRegistry>(std::move(*users));

    auto login = oauth::PasswordLogin::Create(
        config_, {.verify_hash =
                      oauth::InlineVerifier([](std::string_view encoded, std::string_view secret) {
                        return encoded.starts_with(kSsoFakeHashPrefix) &&
                               encoded.substr(kSsoFakeHashPrefix.size()) == secret;
                      }),
                  .failures = &failures_,
                  .clock = Clock()});
    EXPECT_TRUE(login) << (login ? "" : login.error().debug);
    password_login_ = std::move(*login);

    csrf_ = NewCsrf();
    auto authorize =
        oauth::AuthorizeService::Create(config_, {.registry = &registry_,
                                                  .password_login = password_login_.get(),
                                                  .csrf = NewCsrf(),
                                                  .codes = &codes_,
                                                  .sessions = &sessions_,
                                                  .revocations = &revocations_,
                                                  .clock = Clock(),
                                                  .session_ttl = config_.login.session_ttl});
    EXPECT_TRUE(authorize) << (authorize ? "" : authorize.error().debug);
    authorize_ = std::move(*authorize);

    auto logout = oauth::LogoutService::Create(config_, {.registry = &registry_,
                                                         .keys = oauth::KeyRingSnapshots(ring_),
                                                         .csrf = csrf_.get(),
                                                         .sessions = &sessions_,
                                                         .refresh_tokens = &refresh_tokens_,
                                                         .clock = Clock()});
    EXPECT_TRUE(logout) << (logout ? "" : logout.error().debug);
    logout_ = std::move(*logout);
  }

  // --- time ---
  oauth::Clock Clock() {
    return [this] { return Now(); };
  }
  std::chrono::system_clock::time_point Now() const {
    return std::chrono::system_clock::time_point(std::chrono::seconds(now_.load()));
  }
  void Advance(std::chrono::seconds by) { now_ += by.count(); }

  // A LoginCsrf with the fixture's key (the same tokens as the services' own).
  static std::unique_ptr<oauth::LoginCsrf> NewCsrf() {
    auto csrf = oauth::LoginCsrf::FromKey(keys::SecretBytes(kSsoCsrfKey));
    EXPECT_TRUE(csrf);
    return csrf ? std::move(*csrf) : nullptr;
  }

  // --- authorize ---
  // The browser's cookies (helpers: designated initializers that skip a member trip
  // -Wmissing-field-initializers).
  static oauth::BrowserCookies Cookies(std::string session, std::string binding) {
    oauth::BrowserCookies cookies;
    cookies.session = std::move(session);
    cookies.binding = std::move(binding);
    return cookies;
  }
  static oauth::BrowserCookies WithSession(std::string session) {
    return Cookies(std::move(session), {});
  }
  static oauth::BrowserCookies WithBinding(std::string binding) {
    return Cookies({}, std::move(binding));
  }

  // An authorization request of "web" with state, nonce and a PKCE challenge, plus `extra`
  // ("&prompt=login", ...).
  static std::string AuthQuery(std::string_view extra = {}) {
    return "response_type=code&client_id=web&redirect_uri=" + std::string(kWebRedirectEncoded) +
           "&scope=openid+profile&state=st-1&nonce=n-1&code_challenge=" +
           *oauth::S256Challenge(kPkceVerifier) + "&code_challenge_method=S256" +
           std::string(extra);
  }

  oauth::AuthorizeOutcome Authorize(std::string_view query, oauth::BrowserCookies cookies = {}) {
    return RunAwaitable(authorize_->HandleRequest(query, std::move(cookies)));
  }

  // The login form's fields as a browser posts them back.
  static oauth::FormParams LoginForm(const oauth::LoginFormState& state, std::string_view username,
                                     std::string_view password) {
    return {{"request_id", state.request_id},
            {"csrf_token", state.csrf_token},
            {"username", std::string(username)},
            {"password", std::string(password)}};
  }

  oauth::AuthorizeOutcome PostLogin(const oauth::FormParams& form, oauth::BrowserCookies cookies,
                                    std::string ip = std::string(kSsoClientIp)) {
    return RunAwaitable(authorize_->HandleLogin(form, std::move(cookies), std::move(ip)));
  }

  // Opens the login page for `query` (no session) and posts `username`/`password` with the
  // binding cookie it set (and `session` as the old session cookie).
  oauth::AuthorizeOutcome SignInOutcome(std::string_view username, std::string_view password,
                                        std::string_view query, std::string session = {}) {
    const oauth::AuthorizeOutcome page = Authorize(query, {});
    EXPECT_TRUE(page.login && page.new_binding);
    if (!page.login || !page.new_binding) return {};
    return PostLogin(LoginForm(*page.login, username, password),
                     Cookies(std::move(session), *page.new_binding));
  }

  // A live session cookie of `username` (logged in through the form at Now()).
  std::string SignIn(std::string_view username = "alice",
                     std::string_view password = "wonderland") {
    const oauth::AuthorizeOutcome outcome = SignInOutcome(username, password, AuthQuery());
    EXPECT_TRUE(outcome.new_session) << outcome.event << " " << outcome.debug;
    return outcome.new_session.value_or("");
  }

  // --- stores ---
  std::optional<store::LoginSession> FindSession(std::string_view cookie) {
    auto found = RunAwaitable(sessions_.Find(oauth::HashOpaqueSecret(cookie), Now()));
    EXPECT_TRUE(found);
    return found ? *found : std::nullopt;
  }

  // Stores the first token of a refresh family as the code exchange does for a session with
  // public id `sid` ("" = none, as the password grant); returns the token.
  std::string StartRefreshFamily(std::string_view family_id, std::string_view sid) {
    const std::string token = "rt-" + std::string(family_id);
    const auto now = std::chrono::floor<std::chrono::seconds>(Now());
    auto issued = RunAwaitable(refresh_tokens_.Issue(oauth::HashOpaqueSecret(token),
                                                     {.family_id = std::string(family_id),
                                                      .client_id = "web",
                                                      .subject = "alice",
                                                      .scope = "openid profile",
                                                      .audience = "",
                                                      .auth_time = now,
                                                      .expires = now + std::chrono::hours(24),
                                                      .sid = std::string(sid)}));
    EXPECT_TRUE(issued);
    return token;
  }
  // The grant of a current refresh token; nullopt once it is revoked (or used).
  std::optional<store::RefreshGrant> FindRefresh(std::string_view token) {
    auto found = RunAwaitable(refresh_tokens_.Find(oauth::HashOpaqueSecret(token), Now()));
    EXPECT_TRUE(found);
    return found ? *found : std::nullopt;
  }

  store::ConsumeResult ConsumeCode(std::string_view code) {
    auto consumed = RunAwaitable(codes_.Consume(oauth::HashOpaqueSecret(code), Now()));
    EXPECT_TRUE(consumed);
    return consumed ? *consumed : store::ConsumeResult{};
  }

  // --- URLs ---
  // The decoded query parameters of a redirect Location.
  static oauth::FormParams QueryOf(std::string_view location) {
    const std::size_t question = location.find('?');
    if (question == std::string_view::npos) return {};
    auto params = oauth::ParseForm(location.substr(question + 1));
    EXPECT_TRUE(params);
    return params ? *params : oauth::FormParams{};
  }
  static std::string Param(const oauth::FormParams& params, std::string_view name) {
    for (const auto& [key, value] : params) {
      if (key == name) return value;
    }
    return "<absent>";
  }
  static std::string_view WithoutQuery(std::string_view location) {
    return location.substr(0, location.find('?'));
  }

  // --- ID token hints ---
  // An ID token for `subject` and `client_id`, signed by the ring's key.
  std::string IdToken(std::string_view subject, std::string_view client_id = "web",
                      std::string_view sid = {}) {
    oauth::IdTokenIssuer issuer(config_, oauth::KeyRingSigners(ring_), *users_, Clock());
    const config::Client* client = registry_.Find(client_id);
    EXPECT_NE(client, nullptr);
    const std::vector<std::string> scope = {"openid"};
    auto issued = issuer.Issue(
        {.subject = subject, .client = client, .auth_time = Now(), .sid = sid, .scope = scope});
    EXPECT_TRUE(issued) << (issued ? "" : issued.error().debug);
    return issued ? issued->token : std::string();
  }

  config::Config config_;
  std::atomic<std::int64_t> now_{kSsoStart};
  keys::KeyRing ring_;
  oauth::ClientRegistry registry_;
  std::unique_ptr<oauth::UserClaimsRegistry> users_;
  store::MemoryAuthorizationCodeStore codes_;
  store::MemorySessionStore sessions_;
  store::MemoryRefreshTokenStore refresh_tokens_;
  store::MemoryRevocationStore revocations_;
  store::MemoryFailureRateLimiter failures_;
  std::unique_ptr<oauth::PasswordLogin> password_login_;
  std::unique_ptr<oauth::LoginCsrf> csrf_;
  std::unique_ptr<oauth::AuthorizeService> authorize_;
  std::unique_ptr<oauth::LogoutService> logout_;
};

}  // namespace signet::testing

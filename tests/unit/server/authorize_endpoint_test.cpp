// server::AuthorizeEndpoint and server::LogoutEndpoint (issue 6): the HTTP mapping of the SSO
// services, driven like a browser (pages parsed for their hidden fields, Set-Cookie fed back
// as Cookie), on the services of tests/unit/oauth/sso_fixture.hpp.
#include "server/authorize_endpoint.hpp"

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "oauth/form.hpp"
#include "server/authorize_response.hpp"
#include "server/logout_endpoint.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"
#include "tests/unit/oauth/sso_fixture.hpp"

namespace signet::server {
namespace {

using testing::RunAwaitable;

std::string Header(const Response& response, std::string_view name) {
  const auto it = response.find(name);
  return it == response.end() ? std::string() : std::string(it->value());
}

std::vector<std::string> SetCookies(const Response& response) {
  std::vector<std::string> values;
  const auto [first, last] = response.equal_range(http::field::set_cookie);
  for (auto it = first; it != last; ++it) values.emplace_back(it->value());
  return values;
}

// The Set-Cookie header for cookie `name`, or "".
std::string SetCookieFor(const Response& response, std::string_view name) {
  for (const std::string& cookie : SetCookies(response)) {
    if (cookie.starts_with(std::string(name) + "=")) return cookie;
  }
  return {};
}

// The value a Set-Cookie header sets ("" when none).
std::string CookieValueOf(std::string_view set_cookie) {
  const std::size_t equals = set_cookie.find('=');
  if (equals == std::string_view::npos) return {};
  return std::string(set_cookie.substr(equals + 1, set_cookie.find(';') - equals - 1));
}

// The value of the hidden <input name="..."> of a page, or "<absent>" (our values need no
// unescaping: base64url, digits, '.', and URLs without & < > " ').
std::string HiddenField(const std::string& html, std::string_view name) {
  const std::string marker = "name=\"" + std::string(name) + "\" value=\"";
  const std::size_t at = html.find(marker);
  if (at == std::string::npos) return "<absent>";
  const std::size_t start = at + marker.size();
  return html.substr(start, html.find('"', start) - start);
}

// The action of the page's <form>, or "<absent>".
std::string FormAction(const std::string& html) {
  const std::string marker = "<form method=\"post\" action=\"";
  const std::size_t at = html.find(marker);
  if (at == std::string::npos) return "<absent>";
  const std::size_t start = at + marker.size();
  return html.substr(start, html.find('"', start) - start);
}

std::string FormBody(const oauth::FormParams& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body += '&';
    body += oauth::FormUrlEncode(name) + "=" + oauth::FormUrlEncode(value);
  }
  return body;
}

void ExpectPageHeaders(const Response& response) {
  EXPECT_EQ(Header(response, "Content-Type"), "text/html; charset=utf-8");
  const std::string csp = Header(response, "Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("form-action 'self'"), std::string::npos) << csp;
  EXPECT_EQ(Header(response, "X-Frame-Options"), "DENY");
  EXPECT_EQ(Header(response, "Cache-Control"), "no-store");
  EXPECT_EQ(Header(response, "Referrer-Policy"), "no-referrer");
}

class SsoEndpointTest : public testing::SsoFixture {
 protected:
  explicit SsoEndpointTest(std::string_view issuer = testing::kSsoIssuer)
      : SsoFixture(issuer),
        authorize_endpoint_(*authorize_, config_.issuer),
        logout_endpoint_(*logout_, config_.issuer),
        cookies_(config_.issuer) {
    context_.peer_ip = std::string(testing::kSsoClientIp);
  }

  // The browser's cookie jar: Set-Cookie of every response applied (Max-Age=0 deletes).
  void Remember(const Response& response) {
    for (const std::string& cookie : SetCookies(response)) {
      const std::string name = cookie.substr(0, cookie.find('='));
      if (cookie.find("Max-Age=0") != std::string::npos) {
        jar_.erase(name);
      } else {
        jar_[name] = CookieValueOf(cookie);
      }
    }
  }

  Request Make(http::verb method, std::string target, std::string body = {}) {
    Request request{method, target, 11};
    std::string cookie;
    for (const auto& [name, value] : jar_) {
      if (!cookie.empty()) cookie += "; ";
      cookie += name + "=" + value;
    }
    if (!cookie.empty()) request.set(http::field::cookie, cookie);
    if (method == http::verb::post) {
      request.set(http::field::content_type, "application/x-www-form-urlencoded");
      request.body() = std::move(body);
      request.prepare_payload();
    }
    return request;
  }

  Response Send(const AuthorizeEndpoint& endpoint, const Request& request) {
    Response response = RunAwaitable(endpoint.Handle(request, context_));
    Remember(response);
    return response;
  }
  Response Send(const LogoutEndpoint& endpoint, const Request& request) {
    Response response = RunAwaitable(endpoint.Handle(request, context_));
    Remember(response);
    return response;
  }

  Response GetAuthorize(std::string_view query = AuthQuery()) {
    return Send(authorize_endpoint_,
                Make(http::verb::get, std::string(kAuthorizePath) + "?" + std::string(query)));
  }

  // Posts the login form of `page` with these credentials.
  Response PostLoginPage(const Response& page, std::string_view username,
                         std::string_view password) {
    const oauth::FormParams fields = {{"request_id", HiddenField(page.body(), "request_id")},
                                      {"csrf_token", HiddenField(page.body(), "csrf_token")},
                                      {"username", std::string(username)},
                                      {"password", std::string(password)}};
    return Send(authorize_endpoint_,
                Make(http::verb::post, std::string(kAuthorizePath), FormBody(fields)));
  }

  // Logs the browser in through the pages; returns the 303 response.
  Response BrowserSignIn(std::string_view username = "alice",
                         std::string_view password = "wonderland") {
    const Response page = GetAuthorize();
    EXPECT_EQ(page.result(), http::status::ok);
    return PostLoginPage(page, username, password);
  }

  Response GetLogout(std::string_view query) {
    return Send(logout_endpoint_,
                Make(http::verb::get, std::string(kLogoutPath) + "?" + std::string(query)));
  }

  std::string SessionInJar() const {
    const auto it = jar_.find(cookies_.session_name());
    return it == jar_.end() ? std::string() : it->second;
  }

  static std::string LogoutQuery() {
    return "client_id=web&post_logout_redirect_uri=" +
           oauth::FormUrlEncode(testing::kWebLogoutRedirect) + "&state=s-1";
  }

  AuthorizeEndpoint authorize_endpoint_;
  LogoutEndpoint logout_endpoint_;
  SsoCookies cookies_;
  RequestContext context_;
  std::map<std::string, std::string> jar_;
};

// --- GET /oauth2/authorize ------------------------------------------------------------------

TEST_F(SsoEndpointTest, Get_WithoutSession_200LoginPageWithSecurityHeadersAndBindingCookie) {
  const Response response = GetAuthorize();
  ASSERT_EQ(response.result(), http::status::ok) << response.body();
  ExpectPageHeaders(response);
  // The client's origin may receive the redirect that follows the form (Chromium applies
  // form-action to it).
  EXPECT_NE(Header(response, "Content-Security-Policy")
                .find("form-action 'self' "
                      "https://app.example.com"),
            std::string::npos);
  const std::string binding = SetCookieFor(response, "__Host-signet_login");
  ASSERT_FALSE(binding.empty());
  EXPECT_NE(binding.find("Max-Age=3600"), std::string::npos);
  EXPECT_NE(binding.find("HttpOnly"), std::string::npos);
  EXPECT_NE(binding.find("Secure"), std::string::npos);
  EXPECT_EQ(CookieValueOf(binding).size(), 43u);
  EXPECT_TRUE(SetCookieFor(response, "__Host-signet_session").empty());
  EXPECT_NE(HiddenField(response.body(), "request_id"), "<absent>");
  EXPECT_EQ(HiddenField(response.body(), "csrf_token").size(), 43u);
  EXPECT_EQ(context_.client_id, "web");
}

TEST_F(SsoEndpointTest, Get_PromptNone_302LoginRequired) {
  const Response response = GetAuthorize(AuthQuery("&prompt=none"));
  ASSERT_EQ(response.result(), http::status::found);
  const oauth::FormParams query = QueryOf(Header(response, "Location"));
  EXPECT_EQ(Param(query, "error"), "login_required");
  EXPECT_EQ(Param(query, "state"), "st-1");
  EXPECT_EQ(Header(response, "Cache-Control"), "no-store");
  EXPECT_TRUE(SetCookies(response).empty());
}

TEST_F(SsoEndpointTest, Get_UnknownClient_400ErrorPageWithoutLocation) {
  const Response response = GetAuthorize("response_type=code&client_id=nobody");
  EXPECT_EQ(response.result(), http::status::bad_request);
  EXPECT_TRUE(Header(response, "Location").empty());
  ExpectPageHeaders(response);
  EXPECT_NE(response.body().find("invalid_client"), std::string::npos);
  EXPECT_TRUE(SetCookies(response).empty());
}

TEST_F(SsoEndpointTest, Get_UnknownSessionCookie_LoginPageAndClearsTheCookie) {
  jar_["__Host-signet_session"] = "no-such-session";
  const Response response = GetAuthorize();
  ASSERT_EQ(response.result(), http::status::ok);
  const std::string cleared = SetCookieFor(response, "__Host-signet_session");
  EXPECT_EQ(cleared, "__Host-signet_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure");
  EXPECT_FALSE(SetCookieFor(response, "__Host-signet_login").empty());
}

TEST_F(SsoEndpointTest, Post_AuthorizationRequestWithoutSessionCookie_303ToTheSameAsAGet) {
  // A cross-site POST carries no SameSite=Lax cookie: the GET it is sent to does.
  const Response response =
      Send(authorize_endpoint_, Make(http::verb::post, std::string(kAuthorizePath), AuthQuery()));
  ASSERT_EQ(response.result(), http::status::see_other) << response.body();
  EXPECT_EQ(Header(response, "Location"), "authorize?" + AuthQuery());
}

TEST_F(SsoEndpointTest, Post_AuthorizationRequestWithSession_SingleSignOnWithoutAGet) {
  ASSERT_EQ(BrowserSignIn().result(), http::status::see_other);
  const Response response =
      Send(authorize_endpoint_, Make(http::verb::post, std::string(kAuthorizePath), AuthQuery()));
  ASSERT_EQ(response.result(), http::status::see_other) << response.body();
  EXPECT_EQ(Param(QueryOf(Header(response, "Location")), "code").size(), 43u);
}

TEST_F(SsoEndpointTest, Post_OversizedAuthorizationRequest_IsNotRepostedAsAGet) {
  // Beyond kMaxRepostedBody the GET would not fit the request header limit: handled as is.
  const std::string body = AuthQuery() + "&pad=" + std::string(kMaxRepostedBody, 'x');
  const Response response =
      Send(authorize_endpoint_, Make(http::verb::post, std::string(kAuthorizePath), body));
  ASSERT_EQ(response.result(), http::status::ok) << response.body();
  EXPECT_NE(HiddenField(response.body(), "request_id"), "<absent>");
}

// --- the login POST -------------------------------------------------------------------------

TEST_F(SsoEndpointTest, Login_303ToTheClientWithCodeAndSessionCookie) {
  const Response response = BrowserSignIn();
  ASSERT_EQ(response.result(), http::status::see_other) << response.body();
  const std::string location = Header(response, "Location");
  EXPECT_EQ(WithoutQuery(location), testing::kWebRedirect);
  EXPECT_EQ(Param(QueryOf(location), "code").size(), 43u);
  EXPECT_EQ(Param(QueryOf(location), "state"), "st-1");
  EXPECT_EQ(Header(response, "Cache-Control"), "no-store");
  const std::string session = SetCookieFor(response, "__Host-signet_session");
  ASSERT_FALSE(session.empty());
  EXPECT_NE(session.find("Max-Age=28800"), std::string::npos) << session;  // login.session_ttl
  EXPECT_NE(session.find("HttpOnly"), std::string::npos);
  EXPECT_NE(session.find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(session.find("Secure"), std::string::npos);
  EXPECT_EQ(FindSession(CookieValueOf(session))->subject, "alice");
  EXPECT_EQ(context_.client_id, "web");
}

TEST_F(SsoEndpointTest, Login_ThenGet_SingleSignOnRedirectWithoutPage) {
  ASSERT_EQ(BrowserSignIn().result(), http::status::see_other);
  const Response response = GetAuthorize();
  ASSERT_EQ(response.result(), http::status::found) << response.body();
  EXPECT_EQ(Param(QueryOf(Header(response, "Location")), "code").size(), 43u);
  EXPECT_TRUE(SetCookies(response).empty());
}

TEST_F(SsoEndpointTest, Login_WrongPassword_401PageWithMessageAndUsername) {
  const Response page = GetAuthorize();
  const Response response = PostLoginPage(page, "alice", "guess");
  ASSERT_EQ(response.result(), http::status::unauthorized);
  ExpectPageHeaders(response);
  EXPECT_NE(response.body().find("Wrong username or password."), std::string::npos);
  EXPECT_NE(response.body().find("value=\"alice\""), std::string::npos);
  EXPECT_EQ(response.body().find("guess"), std::string::npos);  // the password is never echoed
  EXPECT_TRUE(SetCookieFor(response, "__Host-signet_session").empty());
  EXPECT_TRUE(Header(response, "Location").empty());
}

TEST_F(SsoEndpointTest, Login_MissingPassword_400Page) {
  const Response page = GetAuthorize();
  const Response response = PostLoginPage(page, "alice", "");
  EXPECT_EQ(response.result(), http::status::bad_request);
  EXPECT_NE(HiddenField(response.body(), "csrf_token"), "<absent>");  // the form again
}

TEST_F(SsoEndpointTest, Login_TooManyAttempts_429WithRetryAfter) {
  for (int attempt = 1; attempt <= 10; ++attempt) {
    ASSERT_EQ(PostLoginPage(GetAuthorize(), "alice", "guess").result(), http::status::unauthorized)
        << attempt;
  }
  const Response response = PostLoginPage(GetAuthorize(), "alice", "wonderland");
  ASSERT_EQ(response.result(), http::status::too_many_requests);
  const std::string retry_after = Header(response, "Retry-After");
  ASSERT_FALSE(retry_after.empty());
  const long seconds = std::stol(retry_after);
  EXPECT_GE(seconds, 1);
  EXPECT_LE(seconds, config_.login.failure_window.count());
  EXPECT_NE(response.body().find("Too many attempts, try again in " + retry_after + " s."),
            std::string::npos);
  EXPECT_TRUE(SetCookieFor(response, "__Host-signet_session").empty());
}

TEST_F(SsoEndpointTest, Login_WithoutBindingCookie_400ErrorPage) {
  const Response page = GetAuthorize();
  jar_.clear();
  const Response response = PostLoginPage(page, "alice", "wonderland");
  EXPECT_EQ(response.result(), http::status::bad_request);
  EXPECT_TRUE(Header(response, "Location").empty());
  EXPECT_EQ(HiddenField(response.body(), "csrf_token"), "<absent>");  // an error page, no form
  EXPECT_EQ(sessions_.session_count(), 0u);
}

TEST_F(SsoEndpointTest, Login_ReplacesTheOldSessionCookie) {
  ASSERT_EQ(BrowserSignIn().result(), http::status::see_other);
  const std::string first = SessionInJar();
  const Response page = GetAuthorize(AuthQuery("&prompt=login"));
  ASSERT_EQ(page.result(), http::status::ok);
  ASSERT_EQ(PostLoginPage(page, "bob", "builder").result(), http::status::see_other);
  EXPECT_NE(SessionInJar(), first);
  EXPECT_FALSE(FindSession(first));
  EXPECT_EQ(FindSession(SessionInJar())->subject, "bob");
}

TEST_F(SsoEndpointTest, Login_FieldsInAGetQuery_NeverLogIn) {
  // A password must never travel in a URL: a GET is always an authorization request.
  const Response page = GetAuthorize();
  const oauth::FormParams fields = {{"request_id", HiddenField(page.body(), "request_id")},
                                    {"csrf_token", HiddenField(page.body(), "csrf_token")},
                                    {"username", "alice"},
                                    {"password", "wonderland"}};
  const Response response = GetAuthorize(FormBody(fields));
  EXPECT_EQ(response.result(), http::status::bad_request);
  EXPECT_TRUE(SetCookieFor(response, "__Host-signet_session").empty());
  EXPECT_EQ(sessions_.session_count(), 0u);
}

TEST_F(SsoEndpointTest, Login_BodyNotAForm_IsIgnored) {
  const Response page = GetAuthorize();
  const oauth::FormParams fields = {{"request_id", HiddenField(page.body(), "request_id")},
                                    {"csrf_token", HiddenField(page.body(), "csrf_token")},
                                    {"username", "alice"},
                                    {"password", "wonderland"}};
  Request request = Make(http::verb::post, std::string(kAuthorizePath), FormBody(fields));
  request.set(http::field::content_type, "text/plain");
  const Response response = Send(authorize_endpoint_, request);
  EXPECT_EQ(response.result(), http::status::bad_request);
  EXPECT_EQ(sessions_.session_count(), 0u);
}

// --- /oauth2/logout -------------------------------------------------------------------------

TEST_F(SsoEndpointTest, Logout_WithoutHint_ConfirmationPageWithHiddenFields) {
  ASSERT_EQ(BrowserSignIn().result(), http::status::see_other);
  const Response response = GetLogout(LogoutQuery());
  ASSERT_EQ(response.result(), http::status::ok) << response.body();
  ExpectPageHeaders(response);
  EXPECT_NE(Header(response, "Content-Security-Policy")
                .find("form-action 'self' "
                      "https://app.example.com"),
            std::string::npos);
  EXPECT_EQ(HiddenField(response.body(), "csrf_token").size(), 43u);
  EXPECT_EQ(HiddenField(response.body(), "client_id"), "web");
  EXPECT_EQ(HiddenField(response.body(), "post_logout_redirect_uri"), testing::kWebLogoutRedirect);
  EXPECT_EQ(HiddenField(response.body(), "state"), "s-1");
  // The form posts back to /oauth2/logout (absolute, or relative to the page's /oauth2/).
  const std::string action = FormAction(response.body());
  EXPECT_TRUE(action == "/oauth2/logout" || action == "logout") << action;
  EXPECT_TRUE(SetCookies(response).empty());
  EXPECT_TRUE(FindSession(SessionInJar()));
}

TEST_F(SsoEndpointTest, Logout_ConfirmationPosted_303AndClearsTheSessionCookie) {
  ASSERT_EQ(BrowserSignIn().result(), http::status::see_other);
  const std::string session = SessionInJar();
  const Response page = GetLogout(LogoutQuery());
  const oauth::FormParams fields = {
      {"csrf_token", HiddenField(page.body(), "csrf_token")},
      {"client_id", HiddenField(page.body(), "client_id")},
      {"post_logout_redirect_uri", HiddenField(page.body(), "post_logout_redirect_uri")},
      {"state", HiddenField(page.body(), "state")}};
  const Response response =
      Send(logout_endpoint_, Make(http::verb::post, std::string(kLogoutPath), FormBody(fields)));
  ASSERT_EQ(response.result(), http::status::see_other) << response.body();
  const std::string location = Header(response, "Location");
  EXPECT_EQ(WithoutQuery(location), testing::kWebLogoutRedirect);
  EXPECT_EQ(Param(QueryOf(location), "state"), "s-1");
  EXPECT_EQ(SetCookieFor(response, "__Host-signet_session"),
            "__Host-signet_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure");
  EXPECT_FALSE(FindSession(session));
  // The next authorization request shows the login page again.
  EXPECT_EQ(GetAuthorize().result(), http::status::ok);
}

TEST_F(SsoEndpointTest, Logout_ConfirmationWithWrongToken_400AndSessionKept) {
  ASSERT_EQ(BrowserSignIn().result(), http::status::see_other);
  const oauth::FormParams fields = {{"csrf_token", std::string(43, 'A')}, {"client_id", "web"}};
  const Response response =
      Send(logout_endpoint_, Make(http::verb::post, std::string(kLogoutPath), FormBody(fields)));
  EXPECT_EQ(response.result(), http::status::bad_request);
  EXPECT_TRUE(SetCookies(response).empty());
  EXPECT_TRUE(FindSession(SessionInJar()));
}

TEST_F(SsoEndpointTest, Logout_ConfirmationFieldsInAGet_AskAgain) {
  // Only the form's POST confirms: a link carrying a leaked token logs nobody out.
  ASSERT_EQ(BrowserSignIn().result(), http::status::see_other);
  const Response page = GetLogout(LogoutQuery());
  const Response response =
      GetLogout(LogoutQuery() + "&csrf_token=" + HiddenField(page.body(), "csrf_token"));
  ASSERT_EQ(response.result(), http::status::ok);
  EXPECT_NE(HiddenField(response.body(), "csrf_token"), "<absent>");  // the confirmation again
  EXPECT_TRUE(SetCookies(response).empty());
  EXPECT_TRUE(FindSession(SessionInJar()));
}

TEST_F(SsoEndpointTest, Logout_PostWithoutCsrfToken_IsARequestThatAsksFirst) {
  // RP-Initiated Logout §2: the request may come as a POST form too.
  ASSERT_EQ(BrowserSignIn().result(), http::status::see_other);
  const Response response =
      Send(logout_endpoint_, Make(http::verb::post, std::string(kLogoutPath), LogoutQuery()));
  ASSERT_EQ(response.result(), http::status::ok) << response.body();
  EXPECT_EQ(HiddenField(response.body(), "state"), "s-1");
  EXPECT_TRUE(FindSession(SessionInJar()));
}

TEST_F(SsoEndpointTest, Logout_PostWithoutSessionCookie_303ToTheSameAsAGet) {
  const Response response =
      Send(logout_endpoint_, Make(http::verb::post, std::string(kLogoutPath), LogoutQuery()));
  ASSERT_EQ(response.result(), http::status::see_other) << response.body();
  EXPECT_EQ(Header(response, "Location"), "logout?" + LogoutQuery());
}

TEST_F(SsoEndpointTest, Logout_WithHintOfTheUser_302AndClearsTheSessionCookie) {
  ASSERT_EQ(BrowserSignIn().result(), http::status::see_other);
  const std::string session = SessionInJar();
  const Response response =
      GetLogout("id_token_hint=" + IdToken("alice") + "&post_logout_redirect_uri=" +
                oauth::FormUrlEncode(testing::kWebLogoutRedirect) + "&state=s-1");
  ASSERT_EQ(response.result(), http::status::found) << response.body();
  EXPECT_EQ(Param(QueryOf(Header(response, "Location")), "state"), "s-1");
  EXPECT_NE(SetCookieFor(response, "__Host-signet_session").find("Max-Age=0"), std::string::npos);
  EXPECT_FALSE(FindSession(session));
}

TEST_F(SsoEndpointTest, Logout_WithoutSession_SignedOutPage) {
  const Response response = Send(logout_endpoint_, Make(http::verb::get, std::string(kLogoutPath)));
  ASSERT_EQ(response.result(), http::status::ok);
  ExpectPageHeaders(response);
  EXPECT_NE(response.body().find("Signed out"), std::string::npos);
  EXPECT_TRUE(SetCookies(response).empty());
}

TEST_F(SsoEndpointTest, Logout_UnregisteredRedirect_400ErrorPage) {
  const Response response =
      GetLogout("client_id=web&post_logout_redirect_uri=https%3A%2F%2Fevil.example%2F");
  EXPECT_EQ(response.result(), http::status::bad_request);
  EXPECT_TRUE(Header(response, "Location").empty());
  ExpectPageHeaders(response);
}

TEST_F(SsoEndpointTest, Logout_UndecodableQuery_400ErrorPage) {
  const Response response = GetLogout("state=%zz");
  EXPECT_EQ(response.result(), http::status::bad_request);
  EXPECT_TRUE(Header(response, "Location").empty());
}

// --- a store that cannot answer ------------------------------------------------------------

TEST_F(SsoEndpointTest, Login_SessionStoreDown_503PageAndNoSessionCookie) {
  testing::UnavailableSessionStore down;
  auto service =
      oauth::AuthorizeService::Create(config_, {.registry = &registry_,
                                                .password_login = password_login_.get(),
                                                .csrf = NewCsrf(),
                                                .codes = &codes_,
                                                .sessions = &down,
                                                .revocations = &revocations_,
                                                .clock = Clock(),
                                                .session_ttl = config_.login.session_ttl});
  ASSERT_TRUE(service);
  const AuthorizeEndpoint endpoint(**service, config_.issuer);
  const Response page =
      Send(endpoint, Make(http::verb::get, std::string(kAuthorizePath) + "?" + AuthQuery()));
  ASSERT_EQ(page.result(), http::status::ok);  // no session cookie: the store is not needed
  const oauth::FormParams fields = {{"request_id", HiddenField(page.body(), "request_id")},
                                    {"csrf_token", HiddenField(page.body(), "csrf_token")},
                                    {"username", "alice"},
                                    {"password", "wonderland"}};
  const Response response =
      Send(endpoint, Make(http::verb::post, std::string(kAuthorizePath), FormBody(fields)));
  EXPECT_EQ(response.result(), http::status::service_unavailable);
  EXPECT_TRUE(SetCookieFor(response, "__Host-signet_session").empty());
  EXPECT_TRUE(Header(response, "Location").empty());
}

TEST_F(SsoEndpointTest, Logout_SessionStoreDown_503AndTheCookieKept) {
  testing::UnavailableSessionStore down;
  auto service = oauth::LogoutService::Create(config_, {.registry = &registry_,
                                                        .keys = oauth::KeyRingSnapshots(ring_),
                                                        .csrf = csrf_.get(),
                                                        .sessions = &down,
                                                        .refresh_tokens = &refresh_tokens_,
                                                        .clock = Clock()});
  ASSERT_TRUE(service);
  const LogoutEndpoint endpoint(**service, config_.issuer);
  jar_["__Host-signet_session"] = "some-session";
  const Response response = Send(endpoint, Make(http::verb::get, std::string(kLogoutPath)));
  EXPECT_EQ(response.result(), http::status::service_unavailable);
  EXPECT_TRUE(SetCookies(response).empty());  // never "signed out" while the session may live
}

// --- plain HTTP (development) ---------------------------------------------------------------

class SsoEndpointHttpTest : public SsoEndpointTest {
 protected:
  SsoEndpointHttpTest() : SsoEndpointTest("http://127.0.0.1:8080") {}
};

TEST_F(SsoEndpointHttpTest, Login_PlainCookieNamesWithoutSecure) {
  const Response page = GetAuthorize();
  const std::string binding = SetCookieFor(page, "signet_login");
  ASSERT_FALSE(binding.empty());
  EXPECT_EQ(binding.find("Secure"), std::string::npos);
  const Response response = PostLoginPage(page, "alice", "wonderland");
  ASSERT_EQ(response.result(), http::status::see_other) << response.body();
  const std::string session = SetCookieFor(response, "signet_session");
  ASSERT_FALSE(session.empty());
  EXPECT_EQ(session.find("Secure"), std::string::npos);
  EXPECT_EQ(Param(QueryOf(Header(response, "Location")), "iss"), "http://127.0.0.1:8080");
}

}  // namespace
}  // namespace signet::server

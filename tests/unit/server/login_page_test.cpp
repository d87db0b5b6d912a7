#include "server/login_page.hpp"

#include <string>

#include <gtest/gtest.h>
#include <openssl/evp.h>

namespace signet::server {
namespace {

constexpr std::string_view kHostile = "<script>alert(\"x\")</script>&'";
constexpr std::string_view kHostileEscaped =
    "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;";

Request MakeRequest() { return Request{http::verb::get, "/oauth2/authorize", 11}; }

std::string Header(const Response& response, std::string_view name) {
  const auto it = response.find(name);
  return it == response.end() ? std::string() : std::string(it->value());
}

// The CSP hash-source of the page's <style> element, computed independently of the page code.
std::string StyleHashOf(const std::string& body) {
  const auto open = body.find("<style>");
  const auto close = body.find("</style>");
  if (open == std::string::npos || close == std::string::npos) return {};
  const std::string style = body.substr(open + 7, close - open - 7);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(style.data(), style.size(), digest, &length, EVP_sha256(), nullptr);
  unsigned char encoded[64];
  const int size = EVP_EncodeBlock(encoded, digest, static_cast<int>(length));
  return "'sha256-" +
         std::string(reinterpret_cast<char*>(encoded), static_cast<std::size_t>(size)) + "'";
}

void ExpectSecurityHeaders(const Response& response) {
  const std::string csp = Header(response, "Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("style-src " + StyleHashOf(response.body()) + ";"), std::string::npos) << csp;
  EXPECT_NE(csp.find("form-action 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("base-uri 'none'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(Header(response, "X-Frame-Options"), "DENY");
  EXPECT_EQ(Header(response, "Cache-Control"), "no-store");
  EXPECT_EQ(Header(response, "Referrer-Policy"), "no-referrer");
  EXPECT_EQ(Header(response, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Header(response, "Content-Type"), "text/html; charset=utf-8");
}

LoginPage SamplePage() {
  LoginPage page;
  page.request_id = "req-123";
  page.csrf_token = "csrf-abc";
  page.client_id = "app-a";
  return page;
}

TEST(HtmlEscape, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(HtmlEscape(kHostile), kHostileEscaped);
  EXPECT_EQ(HtmlEscape("plain text é"), "plain text é");
}

TEST(LoginPage, Render_HasTheFormFieldsAndHiddenValues) {
  const std::string html = RenderLoginPage(SamplePage());
  EXPECT_NE(html.find("<form method=\"post\" action=\"authorize\">"), std::string::npos);
  EXPECT_NE(html.find("name=\"username\""), std::string::npos);
  EXPECT_NE(html.find("name=\"password\" type=\"password\""), std::string::npos);
  EXPECT_NE(html.find("<input type=\"hidden\" name=\"request_id\" value=\"req-123\">"),
            std::string::npos);
  EXPECT_NE(html.find("<input type=\"hidden\" name=\"csrf_token\" value=\"csrf-abc\">"),
            std::string::npos);
  EXPECT_NE(html.find("name=\"viewport\" content=\"width=device-width, initial-scale=1\""),
            std::string::npos);
  EXPECT_EQ(html.find("class=\"message\""), std::string::npos);  // no message slot when empty
}

TEST(LoginPage, Render_HasNoScriptsAndNoExternalResources) {
  const std::string html = RenderLoginPage(SamplePage());
  for (const char* banned :
       {"<script", "<link", "<img", "src=", "http://", "https://", "style=\""}) {
    EXPECT_EQ(html.find(banned), std::string::npos) << banned;
  }
}

TEST(LoginPage, Render_EscapesAHostileUsernameMessageAndClient) {
  LoginPage page = SamplePage();
  page.username = kHostile;
  page.message = kHostile;
  page.client_id = kHostile;
  page.request_id = "\"><script>x</script>";
  page.csrf_token = "' onmouseover='x";
  const std::string html = RenderLoginPage(page);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("alert(\""), std::string::npos);
  EXPECT_EQ(html.find("' onmouseover"), std::string::npos);
  EXPECT_NE(html.find("value=\"" + std::string(kHostileEscaped) + "\""), std::string::npos);
  EXPECT_NE(html.find("role=\"alert\">" + std::string(kHostileEscaped) + "</p>"),
            std::string::npos);
}

TEST(LoginPage, Render_ShowsTheFailureMessagesInTheSlot) {
  LoginPage page = SamplePage();
  page.message = kLoginFailedMessage;
  page.username = "alice";
  const std::string html = RenderLoginPage(page);
  EXPECT_NE(html.find("<p class=\"message\" role=\"alert\">Wrong username or password.</p>"),
            std::string::npos);
  EXPECT_NE(html.find("value=\"alice\""), std::string::npos);
  EXPECT_EQ(TooManyAttemptsMessage(std::chrono::seconds(42)),
            "Too many attempts, try again in 42 s.");
  EXPECT_EQ(TooManyAttemptsMessage(std::chrono::seconds(0)),
            "Too many attempts, try again in 1 s.");
}

TEST(LoginPage, Response_CarriesTheSecurityHeaders) {
  const Response response = LoginPageResponse(MakeRequest(), SamplePage());
  EXPECT_EQ(response.result(), http::status::ok);
  ExpectSecurityHeaders(response);
}

TEST(LoginPage, Response_AddsTheRedirectOriginToFormAction) {
  LoginPage page = SamplePage();
  const auto origin = FormActionSource("https://app-a.example:8443/cb?x=1");
  ASSERT_TRUE(origin.has_value());
  page.redirect_origin = *origin;
  const Response response = LoginPageResponse(MakeRequest(), page, http::status::unauthorized);
  EXPECT_EQ(response.result(), http::status::unauthorized);
  EXPECT_NE(Header(response, "Content-Security-Policy")
                .find("form-action 'self' https://app-a.example:8443; "),
            std::string::npos);
}

TEST(LoginPage, ContentSecurityPolicy_IgnoresAnExtraSourceThatCouldAddDirectives) {
  const std::string csp = PageContentSecurityPolicy("https://a.example; script-src *");
  EXPECT_EQ(csp.find("script-src"), std::string::npos) << csp;
  EXPECT_NE(csp.find("form-action 'self'; "), std::string::npos) << csp;
}

TEST(FormActionSource, DerivesOriginsAndSchemeSources) {
  EXPECT_EQ(FormActionSource("https://app.example/cb"), "https://app.example");
  EXPECT_EQ(FormActionSource("http://127.0.0.1:3000/cb#x"), "http://127.0.0.1:3000");
  EXPECT_EQ(FormActionSource("http://[::1]:3000?q"), "http://[::1]:3000");
  EXPECT_EQ(FormActionSource("com.example.app:/oauth2redirect"), "com.example.app:");
  EXPECT_EQ(FormActionSource("https://user@evil.example/cb"), std::nullopt);
  EXPECT_EQ(FormActionSource("https://a.example;x/cb"), std::nullopt);
  EXPECT_EQ(FormActionSource("https:/cb"), std::nullopt);
  EXPECT_EQ(FormActionSource("/relative"), std::nullopt);
  EXPECT_EQ(FormActionSource("ht tp://x"), std::nullopt);
}

TEST(ErrorPage, Response_EscapesTheMessageAndCarriesTheSecurityHeaders) {
  const Response response =
      ErrorPageResponse(MakeRequest(), http::status::bad_request, "Sign-in error", kHostile);
  EXPECT_EQ(response.result(), http::status::bad_request);
  EXPECT_EQ(response.body().find("<script"), std::string::npos);
  EXPECT_NE(response.body().find(std::string(kHostileEscaped)), std::string::npos);
  EXPECT_EQ(response.body().find("<form"), std::string::npos);
  ExpectSecurityHeaders(response);
}

}  // namespace
}  // namespace signet::server

// server::CookieValue and server::SsoCookies (issue 6 point 3): reading the Cookie header
// (RFC 6265 §5.4) and writing Set-Cookie (§4.1) with the __Host- prefix over HTTPS
// (RFC 6265bis §4.1.3.2).
#include "server/cookies.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "oauth/pending_login.hpp"

namespace signet::server {
namespace {

using std::chrono::seconds;

constexpr std::string_view kHttpsIssuer = "https://id.example.com";
constexpr std::string_view kHttpIssuer = "http://127.0.0.1:8080";
constexpr std::string_view kValue = "aB3-_xYz0123456789aB3-_xYz0123456789aB3-_xY";  // 43 base64url

Request WithCookies(std::vector<std::string> headers) {
  Request request{http::verb::get, "/oauth2/authorize", 11};
  for (const std::string& header : headers) request.insert(http::field::cookie, header);
  return request;
}

std::vector<std::string> SetCookies(const Response& response) {
  std::vector<std::string> values;
  const auto [first, last] = response.equal_range(http::field::set_cookie);
  for (auto it = first; it != last; ++it) values.emplace_back(it->value());
  return values;
}

// The attributes after the name=value pair, split on "; ".
std::vector<std::string> AttributesOf(std::string_view set_cookie) {
  std::vector<std::string> attributes;
  std::size_t start = set_cookie.find("; ");
  while (start != std::string_view::npos) {
    start += 2;
    const std::size_t end = set_cookie.find("; ", start);
    attributes.emplace_back(set_cookie.substr(start, end - start));
    start = end;
  }
  return attributes;
}

bool Has(const std::vector<std::string>& attributes, std::string_view attribute) {
  return std::find(attributes.begin(), attributes.end(), attribute) != attributes.end();
}

// --- CookieValue ----------------------------------------------------------------------------

TEST(CookieValueTest, FindsTheOnlyCookie) {
  EXPECT_EQ(CookieValue(WithCookies({"signet_session=abc"}), "signet_session"), "abc");
}

TEST(CookieValueTest, FindsACookieAmongSeveral) {
  const Request request = WithCookies({"theme=dark; signet_session=abc; lang=en"});
  EXPECT_EQ(CookieValue(request, "signet_session"), "abc");
  EXPECT_EQ(CookieValue(request, "theme"), "dark");
  EXPECT_EQ(CookieValue(request, "lang"), "en");
}

TEST(CookieValueTest, TrimsSpacesAndTabsAroundNamesAndValues) {
  const Request request = WithCookies({"  theme = dark ;\tsignet_session=\tabc\t;lang=en  "});
  EXPECT_EQ(CookieValue(request, "signet_session"), "abc");
  EXPECT_EQ(CookieValue(request, "theme"), "dark");
  EXPECT_EQ(CookieValue(request, "lang"), "en");
}

TEST(CookieValueTest, AbsentCookieIsNullopt) {
  EXPECT_EQ(CookieValue(WithCookies({"theme=dark; lang=en"}), "signet_session"), std::nullopt);
  EXPECT_EQ(CookieValue(WithCookies({}), "signet_session"), std::nullopt);
  EXPECT_EQ(CookieValue(WithCookies({""}), "signet_session"), std::nullopt);
}

TEST(CookieValueTest, NameMustMatchExactly) {
  const Request request =
      WithCookies({"xsignet_session=1; signet_session_old=2; SIGNET_SESSION=3"});
  EXPECT_EQ(CookieValue(request, "signet_session"), std::nullopt);
}

TEST(CookieValueTest, SkipsPairsWithoutEquals) {
  EXPECT_EQ(CookieValue(WithCookies({"signet_session; theme=dark"}), "signet_session"),
            std::nullopt);
  EXPECT_EQ(CookieValue(WithCookies({"junk;;signet_session=abc"}), "signet_session"), "abc");
}

TEST(CookieValueTest, EmptyValueIsPresentButEmpty) {
  EXPECT_EQ(CookieValue(WithCookies({"signet_session=; theme=dark"}), "signet_session"), "");
}

TEST(CookieValueTest, KeepsEqualsSignsInTheValue) {
  EXPECT_EQ(CookieValue(WithCookies({"data=a=b=c"}), "data"), "a=b=c");
}

TEST(CookieValueTest, ReadsEveryCookieHeader) {
  const Request request = WithCookies({"theme=dark", "signet_session=abc"});
  EXPECT_EQ(CookieValue(request, "signet_session"), "abc");
}

TEST(CookieValueTest, NameSentTwice_TheFirstWins) {
  EXPECT_EQ(
      CookieValue(WithCookies({"signet_session=first; signet_session=second"}), "signet_session"),
      "first");
  EXPECT_EQ(
      CookieValue(WithCookies({"signet_session=first", "signet_session=second"}), "signet_session"),
      "first");
}

// The configuration accepts the scheme in any case (RFC 3986 §3.1), so must the cookies.
TEST(SsoCookiesTest, Names_HostPrefixedForAnUppercaseHttpsScheme) {
  const SsoCookies cookies("HTTPS://id.example.com");
  EXPECT_EQ(cookies.session_name(), "__Host-signet_session");
  Response response;
  cookies.SetSession(response, kValue, seconds(60));
  ASSERT_EQ(SetCookies(response).size(), 1u);
  EXPECT_TRUE(Has(AttributesOf(SetCookies(response)[0]), "Secure"));
}

// --- SsoCookies::Read -----------------------------------------------------------------------

TEST(SsoCookiesTest, Names_HostPrefixedOverHttps) {
  const SsoCookies cookies(kHttpsIssuer);
  EXPECT_EQ(cookies.session_name(), "__Host-signet_session");
  EXPECT_EQ(cookies.binding_name(), "__Host-signet_login");
}

TEST(SsoCookiesTest, Names_PlainOverHttp) {
  const SsoCookies cookies(kHttpIssuer);
  EXPECT_EQ(cookies.session_name(), "signet_session");
  EXPECT_EQ(cookies.binding_name(), "signet_login");
}

TEST(SsoCookiesTest, Read_HttpsReadsTheHostPrefixedCookies) {
  const SsoCookies cookies(kHttpsIssuer);
  const oauth::BrowserCookies read = cookies.Read(WithCookies(
      {"__Host-signet_session=" + std::string(kValue) + "; __Host-signet_login=bind-1"}));
  EXPECT_EQ(read.session, kValue);
  EXPECT_EQ(read.binding, "bind-1");
}

TEST(SsoCookiesTest, Read_HttpsIgnoresUnprefixedCookiesASiblingCouldPlant) {
  const SsoCookies cookies(kHttpsIssuer);
  const oauth::BrowserCookies read =
      cookies.Read(WithCookies({"signet_session=planted; signet_login=planted"}));
  EXPECT_EQ(read.session, "");
  EXPECT_EQ(read.binding, "");
}

TEST(SsoCookiesTest, Read_HttpReadsThePlainCookies) {
  const SsoCookies cookies(kHttpIssuer);
  const oauth::BrowserCookies read = cookies.Read(
      WithCookies({"signet_login=bind-1; __Host-signet_session=other; signet_session=sess-1"}));
  EXPECT_EQ(read.session, "sess-1");
  EXPECT_EQ(read.binding, "bind-1");
}

TEST(SsoCookiesTest, Read_AbsentCookiesAreEmpty) {
  const SsoCookies cookies(kHttpsIssuer);
  const oauth::BrowserCookies read = cookies.Read(WithCookies({}));
  EXPECT_EQ(read.session, "");
  EXPECT_EQ(read.binding, "");
}

TEST(SsoCookiesTest, Read_ValueWithCharactersOutsideBase64UrlIsIgnored) {
  const SsoCookies cookies(kHttpIssuer);
  for (const std::string value : {"abc$def", "abc.def", "\"abc\"", "abc+/=", "a%20b", "abc def"}) {
    const oauth::BrowserCookies read =
        cookies.Read(WithCookies({"signet_session=" + value + "; signet_login=" + value}));
    EXPECT_EQ(read.session, "") << value;
    EXPECT_EQ(read.binding, "") << value;
  }
}

TEST(SsoCookiesTest, Read_BadSessionDoesNotHideAGoodBinding) {
  const SsoCookies cookies(kHttpIssuer);
  const oauth::BrowserCookies read =
      cookies.Read(WithCookies({"signet_session=bad$value; signet_login=bind-1"}));
  EXPECT_EQ(read.session, "");
  EXPECT_EQ(read.binding, "bind-1");
}

TEST(SsoCookiesTest, Read_EmptyOrOverlongValueIsIgnored) {
  const SsoCookies cookies(kHttpIssuer);
  EXPECT_EQ(cookies.Read(WithCookies({"signet_session="})).session, "");
  EXPECT_EQ(cookies.Read(WithCookies({"signet_session=" + std::string(257, 'a')})).session, "");
  EXPECT_EQ(cookies.Read(WithCookies({"signet_session=" + std::string(256, 'a')})).session,
            std::string(256, 'a'));
}

// --- Set-Cookie -----------------------------------------------------------------------------

TEST(SsoCookiesTest, SetSession_HttpsIsHostPrefixedSecureHttpOnlyLax) {
  const SsoCookies cookies(kHttpsIssuer);
  Response response;
  cookies.SetSession(response, kValue, seconds(43200));
  const std::vector<std::string> set = SetCookies(response);
  ASSERT_EQ(set.size(), 1u);
  EXPECT_EQ(set[0], "__Host-signet_session=" + std::string(kValue) +
                        "; Path=/; Max-Age=43200; HttpOnly; SameSite=Lax; Secure");
  const std::vector<std::string> attributes = AttributesOf(set[0]);
  EXPECT_TRUE(Has(attributes, "Secure"));
  EXPECT_TRUE(Has(attributes, "HttpOnly"));
  EXPECT_TRUE(Has(attributes, "SameSite=Lax"));
  EXPECT_TRUE(Has(attributes, "Path=/"));               // __Host- requires Path=/ ...
  EXPECT_EQ(set[0].find("Domain"), std::string::npos);  // ... and no Domain
  EXPECT_EQ(set[0].find("Expires"), std::string::npos);
}

TEST(SsoCookiesTest, SetSession_HttpIsPlainNotSecure) {
  const SsoCookies cookies(kHttpIssuer);
  Response response;
  cookies.SetSession(response, kValue, seconds(3600));
  const std::vector<std::string> set = SetCookies(response);
  ASSERT_EQ(set.size(), 1u);
  EXPECT_EQ(set[0], "signet_session=" + std::string(kValue) +
                        "; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax");
  EXPECT_FALSE(Has(AttributesOf(set[0]), "Secure"));
}

TEST(SsoCookiesTest, SetBinding_LivesLongerThanALoginForm) {
  const SsoCookies cookies(kHttpsIssuer);
  Response response;
  cookies.SetBinding(response, "bind-1");
  const std::vector<std::string> set = SetCookies(response);
  ASSERT_EQ(set.size(), 1u);
  EXPECT_EQ(set[0],
            "__Host-signet_login=bind-1; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax; "
            "Secure");
  static_assert(kBindingCookieMaxAge > oauth::kLoginFormLifetime, "must outlive the form");
}

TEST(SsoCookiesTest, ClearSession_EmptyValueAndMaxAgeZero) {
  const SsoCookies cookies(kHttpsIssuer);
  Response response;
  cookies.ClearSession(response);
  const std::vector<std::string> set = SetCookies(response);
  ASSERT_EQ(set.size(), 1u);
  EXPECT_EQ(set[0], "__Host-signet_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure");
}

TEST(SsoCookiesTest, ClearSession_HttpUsesThePlainName) {
  const SsoCookies cookies(kHttpIssuer);
  Response response;
  cookies.ClearSession(response);
  const std::vector<std::string> set = SetCookies(response);
  ASSERT_EQ(set.size(), 1u);
  EXPECT_EQ(set[0], "signet_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
}

TEST(SsoCookiesTest, SessionAndBindingAreTwoSetCookieHeaders) {
  const SsoCookies cookies(kHttpsIssuer);
  Response response;
  cookies.SetBinding(response, "bind-1");
  cookies.SetSession(response, kValue, seconds(60));
  const std::vector<std::string> set = SetCookies(response);
  ASSERT_EQ(set.size(), 2u);
  EXPECT_EQ(set[0].rfind("__Host-signet_login=bind-1;", 0), 0u);
  EXPECT_EQ(set[1].rfind("__Host-signet_session=" + std::string(kValue) + ";", 0), 0u);
}

TEST(SsoCookiesTest, WrittenCookieIsReadBack) {
  for (const std::string_view issuer : {kHttpsIssuer, kHttpIssuer}) {
    const SsoCookies cookies(issuer);
    Response response;
    cookies.SetSession(response, kValue, seconds(60));
    const std::string set = SetCookies(response).at(0);
    const std::string pair = set.substr(0, set.find(';'));
    EXPECT_EQ(cookies.Read(WithCookies({pair})).session, kValue) << issuer;
  }
}

}  // namespace
}  // namespace signet::server

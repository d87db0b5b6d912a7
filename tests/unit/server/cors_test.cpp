#include "server/cors.hpp"

#include <gtest/gtest.h>

namespace signet::server {
namespace {

Request MakeRequest(http::verb method, std::string_view origin = {}) {
  Request request{method, "/oauth2/token", 11};
  if (!origin.empty()) request.set(http::field::origin, origin);
  return request;
}

Request MakePreflight(std::string_view origin) {
  Request request = MakeRequest(http::verb::options, origin);
  request.set(http::field::access_control_request_method, "POST");
  request.set(http::field::access_control_request_headers, "authorization,content-type");
  return request;
}

Response MakeOk(const Request& request) {
  return JsonResponse(request, http::status::ok, R"({"ok":true})");
}

config::Config TwoClients() {
  config::Config config;
  config::Client spa;
  spa.client_id = "spa";
  spa.redirect_uris = {"http://127.0.0.1:4001/cb", "https://app.example:443/callback?x=1"};
  spa.post_logout_redirect_uris = {"https://app.example/bye", "https://logout.example/"};
  config::Client other;
  other.client_id = "other";
  other.redirect_uris = {"http://localhost:4002/cb", "com.example.app:/oauth2redirect"};
  config.clients = {spa, other};
  return config;
}

// --- SerializedOrigin (RFC 6454 §6.2) ---

TEST(SerializedOriginTest, DropsPathQueryAndUserinfo) {
  EXPECT_EQ(SerializedOrigin("https://app.example/cb/deep?x=1&y=2"), "https://app.example");
  EXPECT_EQ(SerializedOrigin("https://user@app.example/cb"), "https://app.example");
}

TEST(SerializedOriginTest, DropsDefaultPortsOnly) {
  EXPECT_EQ(SerializedOrigin("https://a.example:443/cb"), "https://a.example");
  EXPECT_EQ(SerializedOrigin("http://a.example:80/cb"), "http://a.example");
  EXPECT_EQ(SerializedOrigin("https://a.example:0443/cb"), "https://a.example");
  EXPECT_EQ(SerializedOrigin("http://a.example:/cb"), "http://a.example");
  EXPECT_EQ(SerializedOrigin("http://a.example:443/cb"), "http://a.example:443");
  EXPECT_EQ(SerializedOrigin("https://a.example:8443/cb"), "https://a.example:8443");
}

TEST(SerializedOriginTest, LowercasesSchemeAndHost) {
  EXPECT_EQ(SerializedOrigin("HTTPS://App.EXAMPLE/Callback"), "https://app.example");
  EXPECT_EQ(SerializedOrigin("Http://LocalHost:4002/cb"), "http://localhost:4002");
}

TEST(SerializedOriginTest, IpLiteralsInCanonicalForm) {
  EXPECT_EQ(SerializedOrigin("http://127.0.0.1:4001/cb"), "http://127.0.0.1:4001");
  EXPECT_EQ(SerializedOrigin("http://[0:0:0:0:0:0:0:1]:8080/cb"), "http://[::1]:8080");
  EXPECT_EQ(SerializedOrigin("https://[2001:DB8::1]/cb"), "https://[2001:db8::1]");
}

TEST(SerializedOriginTest, PrivateUseAndOtherSchemesHaveNone) {
  EXPECT_EQ(SerializedOrigin("com.example.app:/oauth2redirect"), std::nullopt);
  EXPECT_EQ(SerializedOrigin("myapp://callback"), std::nullopt);
  EXPECT_EQ(SerializedOrigin("ftp://files.example/"), std::nullopt);
  EXPECT_EQ(SerializedOrigin("file:///tmp/cb.html"), std::nullopt);
}

TEST(SerializedOriginTest, RejectsWhatNoBrowserCouldSend) {
  EXPECT_EQ(SerializedOrigin("/relative/cb"), std::nullopt);
  EXPECT_EQ(SerializedOrigin("http:/no-authority"), std::nullopt);
  EXPECT_EQ(SerializedOrigin("https:///cb"), std::nullopt);                     // empty host
  EXPECT_EQ(SerializedOrigin("https://a.example:70000/cb"), std::nullopt);      // port range
  EXPECT_EQ(SerializedOrigin("https://b%C3%BCcher.example/cb"), std::nullopt);  // IDN U-label
}

// --- CorsPolicy ---

TEST(CorsPolicyTest, FromConfig_CollectsRedirectAndLogoutOriginsSortedOnce) {
  const CorsPolicy policy = CorsPolicy::FromConfig(TwoClients());
  EXPECT_EQ(policy.origins(),
            (std::vector<std::string>{"http://127.0.0.1:4001", "http://localhost:4002",
                                      "https://app.example", "https://logout.example"}));
}

TEST(CorsPolicyTest, AllowsOrigin_DefaultPortRegisteredMatchesSerialisedOrigin) {
  const CorsPolicy policy = CorsPolicy::FromUris({"https://a.example:443/cb"});
  EXPECT_TRUE(policy.AllowsOrigin("https://a.example"));
  // Browsers never send the default port; the header is compared as sent.
  EXPECT_FALSE(policy.AllowsOrigin("https://a.example:443"));
}

TEST(CorsPolicyTest, AllowsOrigin_ComparesExactly) {
  const CorsPolicy policy = CorsPolicy::FromConfig(TwoClients());
  EXPECT_TRUE(policy.AllowsOrigin("http://127.0.0.1:4001"));
  EXPECT_TRUE(policy.AllowsOrigin("http://localhost:4002"));
  EXPECT_FALSE(policy.AllowsOrigin("http://127.0.0.1:4002"));   // other port
  EXPECT_FALSE(policy.AllowsOrigin("https://127.0.0.1:4001"));  // other scheme
  EXPECT_FALSE(policy.AllowsOrigin("http://127.0.0.1"));
  EXPECT_FALSE(policy.AllowsOrigin("https://APP.example"));   // not a serialised origin
  EXPECT_FALSE(policy.AllowsOrigin("https://app.example/"));  // nor is this
  EXPECT_FALSE(policy.AllowsOrigin("https://app.example.evil.example"));
  EXPECT_FALSE(policy.AllowsOrigin(""));
}

TEST(CorsPolicyTest, AllowsOrigin_RefusesNull) {
  const CorsPolicy policy = CorsPolicy::FromUris({"com.example.app:/cb", "file:///x"});
  EXPECT_TRUE(policy.origins().empty());
  EXPECT_FALSE(policy.AllowsOrigin("null"));
}

TEST(CorsPolicyTest, Apply_AllowedOriginIsEchoedWithExposedHeaders) {
  const CorsPolicy policy = CorsPolicy::FromConfig(TwoClients());
  const Request request = MakeRequest(http::verb::post, "http://localhost:4002");
  Response response = MakeOk(request);
  policy.Apply(request, response);
  EXPECT_EQ(response[http::field::access_control_allow_origin], "http://localhost:4002");
  EXPECT_EQ(response[http::field::access_control_expose_headers],
            "WWW-Authenticate, Retry-After, DPoP-Nonce");
  EXPECT_EQ(response[http::field::vary], "Origin");
  EXPECT_EQ(response.count(http::field::access_control_allow_credentials), 0U);
  EXPECT_EQ(response.body(), R"({"ok":true})");
}

TEST(CorsPolicyTest, Apply_OtherOriginGetsOnlyVary) {
  const CorsPolicy policy = CorsPolicy::FromConfig(TwoClients());
  for (const std::string_view origin : {"https://evil.example", "null", ""}) {
    const Request request = MakeRequest(http::verb::post, origin);
    Response response = MakeOk(request);
    policy.Apply(request, response);
    EXPECT_EQ(response.count(http::field::access_control_allow_origin), 0U) << origin;
    EXPECT_EQ(response.count(http::field::access_control_expose_headers), 0U) << origin;
    EXPECT_EQ(response[http::field::vary], "Origin") << origin;
  }
}

TEST(CorsPolicyTest, Apply_TwoOriginFieldsAreRefused) {
  const CorsPolicy policy = CorsPolicy::FromConfig(TwoClients());
  Request request = MakeRequest(http::verb::post, "http://localhost:4002");
  request.insert(http::field::origin, "http://127.0.0.1:4001");
  Response response = MakeOk(request);
  policy.Apply(request, response);
  EXPECT_EQ(response.count(http::field::access_control_allow_origin), 0U);
}

TEST(CorsPolicyTest, Apply_KeepsTheHandlersVary) {
  const CorsPolicy policy = CorsPolicy::FromConfig(TwoClients());
  const Request request = MakeRequest(http::verb::get, "https://app.example");
  Response response = MakeOk(request);
  response.set(http::field::vary, "Accept-Encoding");
  policy.Apply(request, response);
  EXPECT_EQ(response[http::field::vary], "Accept-Encoding, Origin");
}

TEST(CorsPolicyTest, IsPreflight_NeedsOptionsAllowedOriginAndRequestMethod) {
  const CorsPolicy policy = CorsPolicy::FromConfig(TwoClients());
  EXPECT_TRUE(policy.IsPreflight(MakePreflight("https://app.example")));
  EXPECT_FALSE(policy.IsPreflight(MakePreflight("https://evil.example")));
  EXPECT_FALSE(policy.IsPreflight(MakePreflight("null")));
  EXPECT_FALSE(policy.IsPreflight(MakeRequest(http::verb::options, "https://app.example")));
  Request post = MakePreflight("https://app.example");
  post.method(http::verb::post);
  EXPECT_FALSE(policy.IsPreflight(post));
}

TEST(CorsPolicyTest, PreflightResponse_Is204WithTheCorsAnswer) {
  const CorsPolicy policy = CorsPolicy::FromConfig(TwoClients());
  const Request request = MakePreflight("http://127.0.0.1:4001");
  const Response response = policy.PreflightResponse(request, "POST");
  EXPECT_EQ(response.result(), http::status::no_content);
  EXPECT_TRUE(response.body().empty());
  EXPECT_EQ(response[http::field::access_control_allow_origin], "http://127.0.0.1:4001");
  EXPECT_EQ(response[http::field::access_control_allow_methods], "POST");
  EXPECT_EQ(response[http::field::access_control_allow_headers],
            "Authorization, Content-Type, DPoP");
  EXPECT_EQ(response[http::field::access_control_max_age], "600");
  EXPECT_EQ(response[http::field::vary], "Origin");
  EXPECT_EQ(response.count(http::field::access_control_allow_credentials), 0U);
}

}  // namespace
}  // namespace signet::server

#include "server/token_endpoint.hpp"

#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keys/private_key.hpp"
#include "keys/signer.hpp"
#include "server/oauth_error_response.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"

namespace signet::server {
namespace {

constexpr std::string_view kGoodBasic = "Basic c3ZjOnMzY3JldA==";  // svc:s3cret
constexpr std::string_view kWrongBasic = "Basic c3ZjOndyb25n";     // svc:wrong

config::Config MakeConfig() {
  config::Config config;
  config.issuer = "https://id.example.com";
  config.tokens.signing_alg = keys::Algorithm::kEs256;
  config.keys.algorithms = {keys::Algorithm::kEs256};
  config::Client basic;
  basic.client_id = "svc";
  basic.client_secret = "s3cret";
  basic.token_endpoint_auth_method = config::TokenEndpointAuthMethod::kClientSecretBasic;
  basic.scope = {"orders.read"};
  basic.audience = {"https://api.example.com"};
  config::Client post = basic;
  post.client_id = "poster";
  post.token_endpoint_auth_method = config::TokenEndpointAuthMethod::kClientSecretPost;
  config.clients = {basic, post};
  return config;
}

class TokenEndpointTest : public ::testing::Test {
 protected:
  TokenEndpointTest() : config_(MakeConfig()) {
    auto key = keys::PrivateKey::Generate(keys::Algorithm::kEs256);
    auto signer = keys::Signer::Create(std::move(*key), "kid-1");
    auto shared = std::make_shared<const keys::Signer>(std::move(*signer));
    oauth::TokenServiceDeps deps;
    deps.active_signer = [shared](keys::Algorithm alg) -> std::shared_ptr<const keys::Signer> {
      return alg == shared->algorithm() ? shared : nullptr;
    };
    deps.verify_hash =
        oauth::InlineVerifier([](std::string_view, std::string_view) { return false; });
    service_ = std::move(*oauth::TokenService::Create(config_, std::move(deps)));
    endpoint_ = std::make_unique<TokenEndpoint>(*service_);
  }

  Response Post(std::string body, std::string_view authorization = {},
                std::string_view content_type = "application/x-www-form-urlencoded") {
    Request request{http::verb::post, kTokenPath, 11};
    if (!content_type.empty()) request.set(http::field::content_type, content_type);
    if (!authorization.empty()) request.set(http::field::authorization, authorization);
    request.body() = std::move(body);
    return testing::RunAwaitable(endpoint_->Handle(request, context_));
  }

  static void ExpectNoStore(const Response& response) {
    EXPECT_EQ(response[http::field::cache_control], "no-store");
    EXPECT_EQ(response[http::field::pragma], "no-cache");
    EXPECT_EQ(response[http::field::content_type], "application/json");
  }

  static std::string ErrorOf(const Response& response) {
    return nlohmann::json::parse(response.body()).value("error", "");
  }

  config::Config config_;
  std::unique_ptr<oauth::TokenService> service_;
  std::unique_ptr<TokenEndpoint> endpoint_;
  RequestContext context_;
};

TEST_F(TokenEndpointTest, ClientCredentials_Returns200NoStoreAndLogsClientId) {
  const Response response = Post("grant_type=client_credentials", kGoodBasic);
  ASSERT_EQ(response.result(), http::status::ok) << response.body();
  ExpectNoStore(response);
  const auto doc = nlohmann::json::parse(response.body());
  EXPECT_EQ(doc["token_type"], "Bearer");
  EXPECT_TRUE(doc["access_token"].is_string());
  EXPECT_EQ(context_.client_id, "svc");
}

TEST_F(TokenEndpointTest, ContentTypeWithCharsetIsAccepted) {
  const Response response = Post("grant_type=client_credentials", kGoodBasic,
                                 "Application/X-WWW-Form-Urlencoded; charset=UTF-8");
  EXPECT_EQ(response.result(), http::status::ok) << response.body();
}

TEST_F(TokenEndpointTest, WrongSecretWithBasic_Is401WithChallengeAndNoStore) {
  const Response response = Post("grant_type=client_credentials", kWrongBasic);
  EXPECT_EQ(response.result(), http::status::unauthorized);
  ExpectNoStore(response);
  EXPECT_EQ(ErrorOf(response), "invalid_client");
  EXPECT_EQ(response[http::field::www_authenticate].substr(0, 12), R"(Basic realm=)");
  EXPECT_EQ(response.body().find("wrong"), std::string::npos);
}

TEST_F(TokenEndpointTest, WrongSecretInBody_Is400InvalidClientWithoutChallenge) {
  const Response response =
      Post("grant_type=client_credentials&client_id=poster&client_secret=nope");
  EXPECT_EQ(response.result(), http::status::bad_request);
  ExpectNoStore(response);
  EXPECT_EQ(ErrorOf(response), "invalid_client");
  EXPECT_EQ(response.find(http::field::www_authenticate), response.end());
}

TEST_F(TokenEndpointTest, JsonBody_IsInvalidRequest) {
  const Response response =
      Post(R"({"grant_type":"client_credentials"})", kGoodBasic, "application/json");
  EXPECT_EQ(response.result(), http::status::bad_request);
  ExpectNoStore(response);
  EXPECT_EQ(ErrorOf(response), "invalid_request");
}

TEST_F(TokenEndpointTest, MissingContentType_IsInvalidRequest) {
  const Response response = Post("grant_type=client_credentials", kGoodBasic, "");
  EXPECT_EQ(response.result(), http::status::bad_request);
  EXPECT_EQ(ErrorOf(response), "invalid_request");
}

TEST_F(TokenEndpointTest, UnsupportedGrant_Is400) {
  const Response response = Post("grant_type=urn:example:nope", kGoodBasic);
  EXPECT_EQ(response.result(), http::status::bad_request);
  ExpectNoStore(response);
  EXPECT_EQ(ErrorOf(response), "unsupported_grant_type");
}

TEST(OAuthErrorResponseTest, ServerErrorIs500AndNeverSendsDebug) {
  Request request{http::verb::post, kTokenPath, 11};
  const Response response = OAuthErrorResponse(
      request, oauth::MakeError(oauth::ErrorCode::kServerError, "try later", "hsm exploded"));
  EXPECT_EQ(response.result(), http::status::internal_server_error);
  EXPECT_EQ(response[http::field::cache_control], "no-store");
  EXPECT_EQ(response.body().find("hsm"), std::string::npos);
}

TEST(IsFormUrlEncodedTest, MatchesMediaTypeOnly) {
  EXPECT_TRUE(IsFormUrlEncoded("application/x-www-form-urlencoded"));
  EXPECT_TRUE(IsFormUrlEncoded(" application/x-www-form-urlencoded ;charset=utf-8"));
  EXPECT_FALSE(IsFormUrlEncoded("application/x-www-form-urlencoded-evil"));
  EXPECT_FALSE(IsFormUrlEncoded("multipart/form-data"));
  EXPECT_FALSE(IsFormUrlEncoded(""));
}

}  // namespace
}  // namespace signet::server

#include "server/discovery_endpoint.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace signet::server {
namespace {

config::Config MakeConfig() {
  config::Config config;
  config.issuer = "https://id.example.com";
  config.keys.algorithms = {keys::Algorithm::kEs256, keys::Algorithm::kRs256};
  config::Client a;
  a.client_id = "a";
  a.scope = {"orders.read", "openid"};
  config::Client b;
  b.client_id = "b";
  b.scope = {"orders.write", "orders.read"};
  config.clients = {a, b};
  return config;
}

TEST(DiscoveryEndpointTest, Document_DerivesEveryUrlFromIssuer) {
  const auto doc = nlohmann::json::parse(BuildDiscoveryDocument(MakeConfig()));
  EXPECT_EQ(doc["issuer"], "https://id.example.com");
  EXPECT_EQ(doc["token_endpoint"], "https://id.example.com/oauth2/token");
  EXPECT_EQ(doc["jwks_uri"], "https://id.example.com/.well-known/jwks.json");
}

TEST(DiscoveryEndpointTest, Document_AdvertisesOnlyWhatWorks) {
  const auto doc = nlohmann::json::parse(BuildDiscoveryDocument(MakeConfig()));
  EXPECT_EQ(doc["grant_types_supported"],
            nlohmann::json({"client_credentials", "password", "refresh_token"}));
  EXPECT_EQ(doc["token_endpoint_auth_methods_supported"],
            nlohmann::json({"client_secret_basic", "client_secret_post"}));
  EXPECT_EQ(doc["subject_types_supported"], nlohmann::json({"public"}));
  EXPECT_FALSE(doc.contains("authorization_endpoint"));
  EXPECT_EQ(doc["userinfo_endpoint"], "https://id.example.com/oauth2/userinfo");
  EXPECT_EQ(doc["response_types_supported"], nlohmann::json::array());
  EXPECT_EQ(doc["code_challenge_methods_supported"], nlohmann::json::array());
}

TEST(DiscoveryEndpointTest, Document_WithAuthorizeAdvertisesCodeAndS256) {
  const auto doc =
      nlohmann::json::parse(BuildDiscoveryDocument(MakeConfig(), {.authorization_endpoint = true}));
  EXPECT_EQ(doc["authorization_endpoint"], "https://id.example.com/oauth2/authorize");
  EXPECT_EQ(doc["response_types_supported"], nlohmann::json({"code"}));
  EXPECT_EQ(doc["code_challenge_methods_supported"], nlohmann::json({"S256"}));
  EXPECT_EQ(doc["token_endpoint_auth_methods_supported"],
            nlohmann::json({"client_secret_basic", "client_secret_post", "none"}));
  EXPECT_EQ(doc["authorization_response_iss_parameter_supported"], true);
  EXPECT_FALSE(doc.contains("end_session_endpoint"));
}

TEST(DiscoveryEndpointTest, Document_WithLogoutAdvertisesEndSessionEndpoint) {
  const auto doc = nlohmann::json::parse(
      BuildDiscoveryDocument(MakeConfig(), {.authorization_endpoint = true, .end_session_endpoint = true}));
  EXPECT_EQ(doc["end_session_endpoint"], "https://id.example.com/oauth2/logout");
}

TEST(DiscoveryEndpointTest, Document_ListsConfiguredAlgorithmsAndScopeUnion) {
  const auto doc = nlohmann::json::parse(BuildDiscoveryDocument(MakeConfig()));
  EXPECT_EQ(doc["id_token_signing_alg_values_supported"], nlohmann::json({"ES256", "RS256"}));
  EXPECT_EQ(doc["scopes_supported"], nlohmann::json({"openid", "orders.read", "orders.write"}));
}

TEST(DiscoveryEndpointTest, Handle_ServesJsonWithCaching) {
  const DiscoveryEndpoint endpoint(MakeConfig());
  Request request{http::verb::get, kOpenIdConfigurationPath, 11};
  RequestContext context;
  const Response response = endpoint.Handle(request, context);
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_EQ(response[http::field::content_type], "application/json");
  EXPECT_EQ(response.body(), endpoint.body());
  EXPECT_NE(response[http::field::cache_control].find("max-age="), std::string::npos);
}

}  // namespace
}  // namespace signet::server

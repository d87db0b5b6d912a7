// POST /oauth2/revoke and POST /oauth2/introspect as HTTP (server/revoke_endpoint.hpp,
// server/introspect_endpoint.hpp) over the real services, the in-memory store and a store
// that is always unavailable; and their discovery metadata.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/discovery_endpoint.hpp"
#include "server/introspect_endpoint.hpp"
#include "server/revoke_endpoint.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"
#include "tests/unit/oauth/token_lifecycle_fixture.hpp"

namespace signet::server {
namespace {

constexpr std::string_view kForm = "application/x-www-form-urlencoded";

class RevocationEndpointsTest : public testing::TokenLifecycleFixture {
 protected:
  Response Call(std::string_view path, std::string body, std::string authorization,
                store::RevocationStore& store, std::string_view content_type = kForm) {
    Request request{http::verb::post, path, 11};
    if (!content_type.empty()) request.set(http::field::content_type, content_type);
    if (!authorization.empty()) request.set(http::field::authorization, authorization);
    request.body() = std::move(body);
    if (path == kRevokePath) {
      auto service = oauth::RevocationService::Create(
          config_, {.authenticator = authenticator_.get(),
                    .verification_keys = oauth::KeyRingSnapshots(ring_),
                    .store = &store,
                    .clock = Clock()});
      EXPECT_TRUE(service);
      const RevokeEndpoint endpoint(**service);
      return signet::testing::RunAwaitable(endpoint.Handle(request, context_));
    }
    auto service = oauth::IntrospectionService::Create(
        config_, {.authenticator = authenticator_.get(),
                  .verification_keys = oauth::KeyRingSnapshots(ring_),
                  .store = &store,
                  .clock = Clock()});
    EXPECT_TRUE(service);
    const IntrospectEndpoint endpoint(**service);
    return signet::testing::RunAwaitable(endpoint.Handle(request, context_));
  }

  Response Revoke(std::string body, std::string authorization = Basic("svc", "svc-secret")) {
    return Call(kRevokePath, std::move(body), std::move(authorization), store_);
  }
  Response Introspect(std::string body, std::string authorization = Basic("svc", "svc-secret")) {
    return Call(kIntrospectPath, std::move(body), std::move(authorization), store_);
  }

  static void ExpectNoStore(const Response& response) {
    EXPECT_EQ(response[http::field::cache_control], "no-store");
    EXPECT_EQ(response[http::field::pragma], "no-cache");
  }
  static nlohmann::json JsonOf(const Response& response) {
    return nlohmann::json::parse(response.body(), nullptr, false);
  }

  RequestContext context_;
};

TEST_F(RevocationEndpointsTest, Revoke_Answers200EmptyNoStore_ThenIntrospectionIsInactive) {
  const std::string token = IssueFor("svc");
  const Response active = Introspect("token=" + token);
  ASSERT_EQ(active.result(), http::status::ok);
  EXPECT_EQ(JsonOf(active)["active"], true);

  const Response revoked = Revoke("token=" + token);
  EXPECT_EQ(revoked.result(), http::status::ok);
  EXPECT_TRUE(revoked.body().empty());
  ExpectNoStore(revoked);
  EXPECT_EQ(context_.client_id, "svc");

  const Response inactive = Introspect("token=" + token);
  ASSERT_EQ(inactive.result(), http::status::ok);
  EXPECT_EQ(inactive.body(), R"({"active":false})");
  EXPECT_EQ(inactive[http::field::content_type], "application/json");
  ExpectNoStore(inactive);
}

TEST_F(RevocationEndpointsTest, UnknownToken_Revoke200_IntrospectInactive) {
  EXPECT_EQ(Revoke("token=not-a-token").result(), http::status::ok);
  EXPECT_EQ(Introspect("token=not-a-token").body(), R"({"active":false})");
}

TEST_F(RevocationEndpointsTest, NoClientAuthentication_Is401WithBasicChallenge) {
  for (const auto path : {kRevokePath, kIntrospectPath}) {
    const Response response = Call(path, "token=x", std::string(), store_);
    EXPECT_EQ(response.result(), http::status::unauthorized) << path;
    EXPECT_EQ(JsonOf(response)["error"], "invalid_client") << path;
    EXPECT_NE(response[http::field::www_authenticate].find("Basic"), std::string::npos) << path;
    ExpectNoStore(response);
  }
}

TEST_F(RevocationEndpointsTest, MissingToken_Is400InvalidRequest) {
  for (const auto path : {kRevokePath, kIntrospectPath}) {
    const Response response =
        Call(path, "token_type_hint=access_token", Basic("svc", "svc-secret"), store_);
    EXPECT_EQ(response.result(), http::status::bad_request) << path;
    EXPECT_EQ(JsonOf(response)["error"], "invalid_request") << path;
    ExpectNoStore(response);
  }
}

TEST_F(RevocationEndpointsTest, NotAForm_Is400InvalidRequest) {
  for (const auto path : {kRevokePath, kIntrospectPath}) {
    const Response response =
        Call(path, R"({"token":"x"})", Basic("svc", "svc-secret"), store_, "application/json");
    EXPECT_EQ(response.result(), http::status::bad_request) << path;
    EXPECT_EQ(JsonOf(response)["error"], "invalid_request") << path;
  }
}

TEST_F(RevocationEndpointsTest, StoreUnavailable_Is503TemporarilyUnavailableWithRetryAfter) {
  for (const auto path : {kRevokePath, kIntrospectPath}) {
    const Response response =
        Call(path, "token=" + IssueFor("svc"), Basic("svc", "svc-secret"), unavailable_store_);
    EXPECT_EQ(response.result(), http::status::service_unavailable) << path;
    EXPECT_EQ(JsonOf(response)["error"], "temporarily_unavailable") << path;
    EXPECT_EQ(response[http::field::retry_after], "1") << path;
    EXPECT_FALSE(JsonOf(response).contains("active")) << path;
    ExpectNoStore(response);
  }
}

TEST(RevocationDiscoveryTest, Document_AdvertisesRevocationAndIntrospection) {
  config::Config config;
  config.issuer = "https://id.example.com";
  const auto doc = nlohmann::json::parse(BuildDiscoveryDocument(config));
  const nlohmann::json methods = {"client_secret_basic", "client_secret_post"};
  EXPECT_EQ(doc["revocation_endpoint"], "https://id.example.com/oauth2/revoke");
  EXPECT_EQ(doc["introspection_endpoint"], "https://id.example.com/oauth2/introspect");
  EXPECT_EQ(doc["revocation_endpoint_auth_methods_supported"], methods);
  EXPECT_EQ(doc["introspection_endpoint_auth_methods_supported"], methods);
}

}  // namespace
}  // namespace signet::server

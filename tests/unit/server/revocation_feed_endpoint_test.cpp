// GET /oauth2/revocations as HTTP (server/revocation_feed_endpoint.hpp) over the real feed,
// the in-memory store and a store that is always unavailable; and its discovery metadata.
#include "server/revocation_feed_endpoint.hpp"

#include <algorithm>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/discovery_endpoint.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"
#include "tests/unit/oauth/token_lifecycle_fixture.hpp"

namespace signet::server {
namespace {

class RevocationFeedEndpointTest : public testing::TokenLifecycleFixture {
 protected:
  Response Get(store::RevocationStore& store, std::string_view if_none_match = {}) {
    auto feed = oauth::RevocationFeed::Create(
        config_,
        {.active_signer = oauth::KeyRingSigners(ring_), .store = &store, .clock = Clock()});
    EXPECT_TRUE(feed);
    Request request{http::verb::get, kRevocationFeedPath, 11};
    if (!if_none_match.empty()) request.set(http::field::if_none_match, if_none_match);
    const RevocationFeedEndpoint endpoint(**feed);
    return signet::testing::RunAwaitable(endpoint.Handle(request, context_));
  }

  RequestContext context_;
};

TEST_F(RevocationFeedEndpointTest, Get_200ApplicationJwtWithStrongEtagAndShortMaxAge) {
  const Response response = Get(store_);
  ASSERT_EQ(response.result(), http::status::ok);
  EXPECT_EQ(response[http::field::content_type], "application/jwt");
  EXPECT_EQ(response[http::field::cache_control], "public, max-age=10");
  const std::string etag(response[http::field::etag]);
  ASSERT_GE(etag.size(), 3u);
  EXPECT_EQ(etag.front(), '"');  // strong: no W/ prefix
  EXPECT_EQ(etag.back(), '"');
  EXPECT_EQ(std::count(response.body().begin(), response.body().end(), '.'), 2);
}

TEST_F(RevocationFeedEndpointTest, IfNoneMatchCurrentEtag_Is304WithoutBody) {
  const std::string etag(Get(store_)[http::field::etag]);
  const Response response = Get(store_, etag);
  EXPECT_EQ(response.result(), http::status::not_modified);
  EXPECT_TRUE(response.body().empty());
  EXPECT_EQ(response[http::field::etag], etag);
  EXPECT_EQ(response[http::field::cache_control], "public, max-age=10");
  EXPECT_EQ(Get(store_, "W/" + etag).result(), http::status::not_modified);
}

TEST_F(RevocationFeedEndpointTest, NewRevocation_ChangesEtagAndAnswers200) {
  const std::string etag(Get(store_)[http::field::etag]);
  ASSERT_TRUE(
      signet::testing::RunAwaitable(store_.RevokeJti("jti-1", Now() + std::chrono::seconds(100))));
  const Response response = Get(store_, etag);
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_NE(response[http::field::etag], etag);
  EXPECT_FALSE(response.body().empty());
}

TEST_F(RevocationFeedEndpointTest, StoreUnavailable_Is503TemporarilyUnavailableWithRetryAfter) {
  const Response response = Get(unavailable_store_);
  EXPECT_EQ(response.result(), http::status::service_unavailable);
  const auto json = nlohmann::json::parse(response.body(), nullptr, false);
  EXPECT_EQ(json["error"], "temporarily_unavailable");
  EXPECT_EQ(response[http::field::retry_after], "1");
  EXPECT_EQ(response[http::field::cache_control], "no-store");
  EXPECT_TRUE(response[http::field::etag].empty());
}

TEST(RevocationFeedDiscoveryTest, Document_AdvertisesTheFeed) {
  config::Config config;
  config.issuer = "https://id.example.com";
  const auto doc = nlohmann::json::parse(BuildDiscoveryDocument(config));
  EXPECT_EQ(doc["revocation_feed_endpoint"], "https://id.example.com/oauth2/revocations");
}

}  // namespace
}  // namespace signet::server

#include "server/jwks_endpoint.hpp"

#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keys/private_key.hpp"

namespace signet::server {
namespace {

using std::chrono::seconds;

std::vector<keys::Verifier> MakeVerifiers() {
  auto key = keys::PrivateKey::Generate(keys::Algorithm::kEs256);
  EXPECT_TRUE(key.has_value());
  auto verifier = keys::Verifier::Create(key->public_key(), "kid-1");
  EXPECT_TRUE(verifier.has_value());
  return {*verifier};
}

Request Get(std::string_view if_none_match = {}) {
  Request request{http::verb::get, kJwksPath, 11};
  if (!if_none_match.empty()) request.set(http::field::if_none_match, if_none_match);
  return request;
}

class JwksEndpointTest : public ::testing::Test {
 protected:
  JwksEndpointTest() : endpoint_(seconds(1800)) {
    EXPECT_TRUE(endpoint_.Update(MakeVerifiers()).has_value());
  }
  Response Handle(const Request& request) { return endpoint_.Handle(request, context_); }

  JwksEndpoint endpoint_;
  RequestContext context_;
};

TEST_F(JwksEndpointTest, Get_ServesKeysWithStrongEtagAndPublicMaxAge) {
  const Response response = Handle(Get());
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_EQ(response[http::field::content_type], "application/jwk-set+json");
  EXPECT_EQ(response[http::field::cache_control], "public, max-age=1800");
  const std::string etag(response[http::field::etag]);
  EXPECT_EQ(etag, StrongEtag(response.body()));
  ASSERT_GE(etag.size(), 3u);
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(etag.back(), '"');
  const auto doc = nlohmann::json::parse(response.body());
  ASSERT_EQ(doc["keys"].size(), 1u);
  EXPECT_EQ(doc["keys"][0]["kid"], "kid-1");
  EXPECT_FALSE(doc["keys"][0].contains("d"));
}

TEST_F(JwksEndpointTest, Get_MatchingIfNoneMatchIs304WithoutBody) {
  const std::string etag(Handle(Get())[http::field::etag]);
  const Response response = Handle(Get(etag));
  EXPECT_EQ(response.result(), http::status::not_modified);
  EXPECT_TRUE(response.body().empty());
  EXPECT_EQ(response[http::field::etag], etag);
  EXPECT_EQ(response[http::field::cache_control], "public, max-age=1800");
}

TEST_F(JwksEndpointTest, Get_StaleIfNoneMatchIs200) {
  const Response response = Handle(Get(R"("stale")"));
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_FALSE(response.body().empty());
}

TEST_F(JwksEndpointTest, Get_EtagInListOrWeakOrStarMatches) {
  const std::string etag(Handle(Get())[http::field::etag]);
  EXPECT_EQ(Handle(Get(R"("other", )" + etag)).result(), http::status::not_modified);
  EXPECT_EQ(Handle(Get("W/" + etag)).result(), http::status::not_modified);
  EXPECT_EQ(Handle(Get("*")).result(), http::status::not_modified);
}

TEST_F(JwksEndpointTest, Update_ChangesEtag) {
  const std::string before(Handle(Get())[http::field::etag]);
  ASSERT_TRUE(endpoint_.Update(MakeVerifiers()).has_value());
  const Response response = Handle(Get(before));
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_NE(response[http::field::etag], before);
}

TEST(JwksEndpointStandaloneTest, Get_BeforeFirstUpdateIs503) {
  JwksEndpoint endpoint(seconds(60));
  RequestContext context;
  EXPECT_FALSE(endpoint.loaded());
  EXPECT_EQ(endpoint.Handle(Get(), context).result(), http::status::service_unavailable);
}

TEST(IfNoneMatchTest, RejectsEmptyAndDifferentTags) {
  EXPECT_FALSE(IfNoneMatchMatches("", R"("a")"));
  EXPECT_FALSE(IfNoneMatchMatches(R"("b")", R"("a")"));
  EXPECT_FALSE(IfNoneMatchMatches(R"(,,)", R"("a")"));
}

}  // namespace
}  // namespace signet::server

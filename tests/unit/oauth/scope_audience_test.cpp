#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "oauth/access_token_issuer.hpp"
#include "oauth/audience.hpp"
#include "oauth/scope.hpp"

namespace signet::oauth {
namespace {

using Tokens = std::vector<std::string>;

TEST(ParseScope, SplitsOnSingleSpacesAndDropsDuplicates) {
  EXPECT_EQ(ParseScope("a b a c"), (Tokens{"a", "b", "c"}));
  EXPECT_EQ(ParseScope("orders:read https://x/y!"), (Tokens{"orders:read", "https://x/y!"}));
}

TEST(ParseScope, RejectsWhatTheRfc6749Section33GrammarRejects) {
  for (const char* text : {"", " a", "a ", "a  b", "a\tb", "a\"b", "a\\b", "caf\xC3\xA9"}) {
    EXPECT_FALSE(ParseScope(text).has_value()) << text;
  }
}

TEST(GrantScope, AbsentScopeGrantsTheRegisteredScope) {
  const Tokens registered{"a", "b"};
  EXPECT_EQ(GrantScope(std::nullopt, registered).value(), registered);
}

TEST(GrantScope, UnregisteredTokenIsInvalidScope) {
  const Tokens registered{"a", "b"};
  auto granted = GrantScope("a c", registered);
  ASSERT_FALSE(granted);
  EXPECT_EQ(granted.error().code, ErrorCode::kInvalidScope);
}

TEST(IsAbsoluteUriWithoutFragment, FollowsRfc8707Section2) {
  EXPECT_TRUE(IsAbsoluteUriWithoutFragment("https://api.example.com"));
  EXPECT_TRUE(IsAbsoluteUriWithoutFragment("https://api.example.com/v1?x=1"));
  EXPECT_TRUE(IsAbsoluteUriWithoutFragment("urn:example:api"));
  for (const char* text : {"", "/api", "api.example.com", "https:", "1http://x", "ht tp://x",
                           "https://api.example.com#f", "https://api.example.com/a b", "://x"}) {
    EXPECT_FALSE(IsAbsoluteUriWithoutFragment(text)) << text;
  }
}

TEST(ResolveAudience, DeduplicatesResourceAndAudienceInRequestOrder) {
  const Tokens registered{"https://a", "https://b", "billing"};
  const auto request = TokenRequest::FromParams(
      {{"audience", "billing"}, {"resource", "https://b"}, {"resource", "https://b"}}, "", "");
  EXPECT_EQ(ResolveAudience(request, registered).value(), (Tokens{"https://b", "billing"}));
}

TEST(AccessTokenPayload, EscapesStringsIntoValidJson) {
  config::Client client;
  client.client_id = "we\"ird\\id\n\x01";
  const Tokens audience{"https://a", "https://b"};
  const Tokens scope{"x", "y"};
  const std::string payload = AccessTokenPayload(
      "https://id.example.com",
      {.subject = client.client_id, .client = &client, .audience = audience, .scope = scope}, 100,
      200, "jti-1");
  const auto json = nlohmann::json::parse(payload);
  EXPECT_EQ(json.at("sub"), client.client_id);
  EXPECT_EQ(json.at("client_id"), client.client_id);
  EXPECT_EQ(json.at("aud"), nlohmann::json(audience));
  EXPECT_EQ(json.at("scope"), "x y");
  EXPECT_EQ(json.at("iat"), 100);
  EXPECT_EQ(json.at("exp"), 200);
  EXPECT_EQ(json.at("jti"), "jti-1");
  EXPECT_EQ(json.at("iss"), "https://id.example.com");
  EXPECT_EQ(json.size(), 8u);
}

TEST(HasScopeTest, ExactTokenMembership) {
  const Tokens scope = {"openid", "email"};
  EXPECT_TRUE(HasScope(scope, "openid"));
  EXPECT_FALSE(HasScope(scope, "open"));
  EXPECT_FALSE(HasScope({}, "openid"));
}

}  // namespace
}  // namespace signet::oauth

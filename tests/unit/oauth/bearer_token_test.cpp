// oauth::ExtractBearerToken (RFC 6750 §2) and the bare challenge of a request without a
// token (RFC 6750 §3.1, oauth::MissingBearerToken).
#include "oauth/bearer_token.hpp"

#include <gtest/gtest.h>

namespace signet::oauth {
namespace {

constexpr std::string_view kToken = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln";

TEST(BearerTokenTest, Extract_AuthorizationHeader_ReturnsToken) {
  const auto token = ExtractBearerToken("Bearer " + std::string(kToken), "");
  ASSERT_TRUE(token);
  EXPECT_EQ(*token, kToken);
}

TEST(BearerTokenTest, Extract_SchemeIsCaseInsensitive) {
  const auto token = ExtractBearerToken("bEaReR abc~+/==", "");
  ASSERT_TRUE(token);
  EXPECT_EQ(*token, "abc~+/==");
}

TEST(BearerTokenTest, Extract_FormAccessToken_ReturnsToken) {
  const auto token = ExtractBearerToken("", "foo=bar&access_token=" + std::string(kToken));
  ASSERT_TRUE(token);
  EXPECT_EQ(*token, kToken);
}

TEST(BearerTokenTest, Extract_NoToken_IsMissingBearerToken) {
  const auto token = ExtractBearerToken("", "");
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, ErrorCode::kInvalidToken);
  EXPECT_TRUE(token.error().bearer_token_missing);
}

TEST(BearerTokenTest, Extract_OtherScheme_IsMissingBearerToken) {
  const auto token = ExtractBearerToken("Basic YWxpY2U6cHc=", "");
  ASSERT_FALSE(token);
  EXPECT_TRUE(token.error().bearer_token_missing);
  const auto prefix = ExtractBearerToken("BearerX abc", "");
  ASSERT_FALSE(prefix);
  EXPECT_TRUE(prefix.error().bearer_token_missing);
}

TEST(BearerTokenTest, Extract_FormWithoutAccessToken_IsMissingBearerToken) {
  const auto token = ExtractBearerToken("", "scope=openid");
  ASSERT_FALSE(token);
  EXPECT_TRUE(token.error().bearer_token_missing);
}

TEST(BearerTokenTest, Extract_HeaderAndForm_IsInvalidRequest) {
  const auto token = ExtractBearerToken("Bearer abc", "access_token=abc");
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, ErrorCode::kInvalidRequest);
  EXPECT_FALSE(token.error().bearer_token_missing);
}

TEST(BearerTokenTest, Extract_MalformedBearerCredentials_IsInvalidRequest) {
  for (std::string_view header :
       {"Bearer", "Bearer ", "Bearer a b", "Bearer =abc", "Bearer abc=def", "Bearer a\"b"}) {
    const auto token = ExtractBearerToken(header, "");
    ASSERT_FALSE(token) << header;
    EXPECT_EQ(token.error().code, ErrorCode::kInvalidRequest) << header;
  }
}

TEST(BearerTokenTest, Extract_RepeatedOrEmptyFormToken_IsInvalidRequest) {
  const auto repeated = ExtractBearerToken("", "access_token=a&access_token=b");
  ASSERT_FALSE(repeated);
  EXPECT_EQ(repeated.error().code, ErrorCode::kInvalidRequest);
  const auto empty = ExtractBearerToken("", "access_token=");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidRequest);
  const auto bad_escape = ExtractBearerToken("", "access_token=%zz");
  ASSERT_FALSE(bad_escape);
  EXPECT_EQ(bad_escape.error().code, ErrorCode::kInvalidRequest);
}

TEST(MissingBearerTokenTest, Error_Is401WithBareChallengeAndNoErrorCode) {
  const Error error = MissingBearerToken();
  EXPECT_EQ(HttpStatus(error), 401);
  EXPECT_EQ(WwwAuthenticate(error), std::optional<std::string>(R"(Bearer realm="signet")"));
  EXPECT_EQ(ToJson(error), "{}");
}

TEST(MissingBearerTokenTest, InvalidToken_KeepsErrorCodeInChallenge) {
  const Error error = MakeError(ErrorCode::kInvalidToken, "the access token is invalid");
  EXPECT_EQ(HttpStatus(error), 401);
  EXPECT_EQ(
      WwwAuthenticate(error),
      std::optional<std::string>(
          R"(Bearer error="invalid_token", error_description="the access token is invalid")"));
}

}  // namespace
}  // namespace signet::oauth

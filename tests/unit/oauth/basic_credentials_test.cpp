#include "oauth/internal/basic_credentials.hpp"

#include <gtest/gtest.h>

namespace signet::oauth::internal {
namespace {

TEST(ParseBasicAuthorization, DecodesIdAndSecret) {
  // base64("orders:s3cret")
  auto creds = ParseBasicAuthorization("Basic b3JkZXJzOnMzY3JldA==");
  ASSERT_TRUE(creds);
  ASSERT_TRUE(creds->has_value());
  EXPECT_EQ((*creds)->client_id, "orders");
  EXPECT_EQ((*creds)->client_secret, "s3cret");
}

TEST(ParseBasicAuthorization, SchemeIsCaseInsensitive) {
  auto creds = ParseBasicAuthorization("bAsIc   b3JkZXJzOnMzY3JldA==");
  ASSERT_TRUE(creds);
  ASSERT_TRUE(creds->has_value());
  EXPECT_EQ((*creds)->client_id, "orders");
}

TEST(ParseBasicAuthorization, FormUrlDecodesIdAndSecretPerRfc6749Section231) {
  // RFC 6749 §2.3.1: id "a:b c" and secret "p+q%" are form-urlencoded before base64.
  const std::string header = MakeBasicAuthorization("a:b c", "p+q%");
  // base64("a%3Ab+c:p%2Bq%25")
  EXPECT_EQ(header, "Basic YSUzQWIrYzpwJTJCcSUyNQ==");
  auto creds = ParseBasicAuthorization(header);
  ASSERT_TRUE(creds);
  ASSERT_TRUE(creds->has_value());
  EXPECT_EQ((*creds)->client_id, "a:b c");
  EXPECT_EQ((*creds)->client_secret, "p+q%");
}

TEST(ParseBasicAuthorization, SplitsAtTheFirstColonOnly) {
  // base64("id:se:cret")
  auto creds = ParseBasicAuthorization("Basic aWQ6c2U6Y3JldA==");
  ASSERT_TRUE(creds);
  ASSERT_TRUE(creds->has_value());
  EXPECT_EQ((*creds)->client_id, "id");
  EXPECT_EQ((*creds)->client_secret, "se:cret");
}

TEST(ParseBasicAuthorization, OtherSchemesAndEmptyHeaderAreNotBasic) {
  for (const char* header : {"", "Bearer abc", "Basicb3JkZXJzOnMzY3JldA==", "Digest x"}) {
    auto creds = ParseBasicAuthorization(header);
    ASSERT_TRUE(creds) << header;
    EXPECT_FALSE(creds->has_value()) << header;
  }
}

class MalformedBasic : public ::testing::TestWithParam<const char*> {};

TEST_P(MalformedBasic, IsInvalidClientViaBasic) {
  auto creds = ParseBasicAuthorization(GetParam());
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::kInvalidClient);
  EXPECT_TRUE(creds.error().client_used_basic_auth);
}

INSTANTIATE_TEST_SUITE_P(Headers, MalformedBasic,
                         ::testing::Values("Basic", "Basic ",
                                           "Basic b3JkZXJzOnMzY3JldA",    // padding missing
                                           "Basic b3JkZXJzOnMzY3JldA=",   // padding short
                                           "Basic b3JkZXJz!nMzY3JldA==",  // not base64
                                           "Basic b3JkZXJzOnMzY3JldB==",  // non-zero tail bits
                                           "Basic b3JkZXJz",              // "orders": no colon
                                           "Basic OnNlY3JldA==",  // ":secret": empty client_id
                                           "Basic aWQ6JXp6",      // "id:%zz": bad percent escape
                                           "Basic aWQ6_w=="));    // base64url alphabet

TEST(Base64Std, RoundTripsAllPaddingLengths) {
  for (const std::string text : {"", "a", "ab", "abc", "abcd", "\xFF\xFE\xFD"}) {
    EXPECT_EQ(Base64StdDecode(Base64StdEncode(text)), text);
  }
  EXPECT_EQ(Base64StdEncode("\xFB\xFF"), "+/8=");
}

}  // namespace
}  // namespace signet::oauth::internal

#include "oauth/form.hpp"

#include <gtest/gtest.h>

#include "oauth/token_request.hpp"

namespace signet::oauth {
namespace {

using Pairs = FormParams;

TEST(ParseForm, DecodesPlusAndPercentEscapes) {
  auto params = ParseForm("grant_type=client_credentials&scope=a+b%20c&x%3Dy=%2B%25");
  ASSERT_TRUE(params);
  EXPECT_EQ(*params,
            (Pairs{{"grant_type", "client_credentials"}, {"scope", "a b c"}, {"x=y", "+%"}}));
}

TEST(ParseForm, AcceptsLowerAndUpperCaseHex) {
  auto params = ParseForm("a=%2f%2F");
  ASSERT_TRUE(params);
  EXPECT_EQ(params->at(0).second, "//");
}

TEST(ParseForm, SkipsEmptySequencesAndAllowsNameWithoutValue) {
  auto params = ParseForm("&a=1&&b&c=&");
  ASSERT_TRUE(params);
  EXPECT_EQ(*params, (Pairs{{"a", "1"}, {"b", ""}, {"c", ""}}));
}

TEST(ParseForm, EmptyBodyHasNoParameters) {
  auto params = ParseForm("");
  ASSERT_TRUE(params);
  EXPECT_TRUE(params->empty());
}

TEST(ParseForm, KeepsRepeatedNamesInOrder) {
  auto params = ParseForm("resource=a&resource=b");
  ASSERT_TRUE(params);
  EXPECT_EQ(*params, (Pairs{{"resource", "a"}, {"resource", "b"}}));
}

class ParseFormRejects : public ::testing::TestWithParam<const char*> {};

TEST_P(ParseFormRejects, WithInvalidRequest) {
  auto params = ParseForm(GetParam());
  ASSERT_FALSE(params);
  EXPECT_EQ(params.error().code, ErrorCode::kInvalidRequest);
}

INSTANTIATE_TEST_SUITE_P(MalformedBodies, ParseFormRejects,
                         ::testing::Values("a=%", "a=%4", "a=%zz", "a=%G0", "a=%4g", "%=1", "a=1%",
                                           "a=%FF",        // a lone continuation/invalid lead byte
                                           "a=%C0%AF",     // overlong encoding of '/'
                                           "a=%ED%A0%80",  // UTF-16 surrogate
                                           "a=%F4%90%80%80",  // above U+10FFFF
                                           "a=%E2%82",        // truncated sequence
                                           "a=\xC3"));        // raw truncated UTF-8

TEST(ParseForm, AcceptsValidMultibyteUtf8) {
  auto params = ParseForm("name=%C3%A9%E2%82%AC%F0%9F%98%80");
  ASSERT_TRUE(params);
  EXPECT_EQ(params->at(0).second, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
}

TEST(ParseForm, RejectsTooManyParameters) {
  std::string body;
  for (std::size_t i = 0; i <= kMaxFormParameters; ++i) body += "a" + std::to_string(i) + "=1&";
  auto params = ParseForm(body);
  ASSERT_FALSE(params);
  EXPECT_EQ(params.error().code, ErrorCode::kInvalidRequest);
}

TEST(FormUrlEncode, RoundTripsThroughDecode) {
  const std::string text = "a b+c:d%e&f=g/\xC3\xA9*-._~";
  const std::string encoded = FormUrlEncode(text);
  EXPECT_EQ(encoded, "a+b%2Bc%3Ad%25e%26f%3Dg%2F%C3%A9*-._%7E");
  EXPECT_EQ(FormUrlDecode(encoded), text);
}

TEST(TokenRequest, TreatsEmptyValuesAsOmitted) {
  auto request = TokenRequest::FromForm("grant_type=&scope=a", "", "127.0.0.1");
  ASSERT_TRUE(request);
  EXPECT_FALSE(request->Get("grant_type").has_value());
  EXPECT_EQ(request->Get("scope"), "a");
  EXPECT_EQ(request->client_ip(), "127.0.0.1");
}

TEST(TokenRequest, FirstRepeatedIgnoresAllowedRepeats) {
  auto request = TokenRequest::FromForm("resource=a&scope=x&resource=b&scope=y", "", "");
  ASSERT_TRUE(request);
  const std::string_view allowed[] = {"resource"};
  EXPECT_EQ(request->FirstRepeated(allowed), "scope");
  EXPECT_EQ(request->GetAll("resource"), (std::vector<std::string_view>{"a", "b"}));
}

TEST(TokenRequest, NoRepeatWhenOnlyAllowedNamesRepeat) {
  auto request = TokenRequest::FromForm("resource=a&resource=b&grant_type=x", "", "");
  ASSERT_TRUE(request);
  const std::string_view allowed[] = {"resource"};
  EXPECT_FALSE(request->FirstRepeated(allowed).has_value());
}

TEST(TokenRequest, MalformedBodyIsInvalidRequest) {
  auto request = TokenRequest::FromForm("grant_type=%zz", "", "");
  ASSERT_FALSE(request);
  EXPECT_EQ(request.error().code, ErrorCode::kInvalidRequest);
}

TEST(SingleValueTest, OnceOnlyAndEmptyKept) {
  const Pairs params = {{"a", "1"}, {"b", ""}, {"c", "x"}, {"c", "y"}};
  EXPECT_EQ(SingleValue(params, "a"), "1");
  EXPECT_EQ(SingleValue(params, "b"), "");
  EXPECT_EQ(SingleValue(params, "c"), std::nullopt);  // repeated
  EXPECT_EQ(SingleValue(params, "d"), std::nullopt);  // absent
}

}  // namespace
}  // namespace signet::oauth

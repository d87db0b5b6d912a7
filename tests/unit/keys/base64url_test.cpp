#include "keys/base64url.hpp"

#include <string>

#include <gtest/gtest.h>

namespace signet::keys {
namespace {

// RFC 4648 §10 test vectors, in the URL-safe alphabet without padding (RFC 7515 §2).
struct Vector {
  std::string_view bytes;
  std::string_view encoded;
};
constexpr Vector kRfc4648Vectors[] = {
    {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
    {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
};

TEST(Base64Url, EncodesRfc4648Vectors) {
  for (const auto& v : kRfc4648Vectors) EXPECT_EQ(Base64UrlEncode(v.bytes), v.encoded);
}

TEST(Base64Url, DecodesRfc4648Vectors) {
  for (const auto& v : kRfc4648Vectors) {
    auto decoded = Base64UrlDecode(v.encoded);
    ASSERT_TRUE(decoded) << v.encoded;
    EXPECT_EQ(*decoded, v.bytes);
  }
}

TEST(Base64Url, UsesUrlAlphabet) {
  const std::string bytes("\xfb\xff\xbf", 3);  // standard alphabet: "+/+/"
  EXPECT_EQ(Base64UrlEncode(bytes), "-_-_");
  EXPECT_EQ(Base64UrlDecode("-_-_"), bytes);
}

TEST(Base64Url, RoundTripsEveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(all)), all);
}

TEST(Base64Url, Decode_RejectsPadding) {
  EXPECT_FALSE(Base64UrlDecode("Zg=="));
  EXPECT_FALSE(Base64UrlDecode("Zm8="));
}

TEST(Base64Url, Decode_RejectsStandardAlphabetAndStrayCharacters) {
  EXPECT_FALSE(Base64UrlDecode("+/+/"));
  EXPECT_FALSE(Base64UrlDecode("Zm9v YmFy"));
  EXPECT_FALSE(Base64UrlDecode("Zm9v\nYmFy"));
  EXPECT_FALSE(Base64UrlDecode("Zm9v.YmFy"));
  EXPECT_FALSE(Base64UrlDecode(std::string("Zm9v\0", 5)));
}

TEST(Base64Url, Decode_RejectsLengthOneModFour) {
  EXPECT_FALSE(Base64UrlDecode("Z"));
  EXPECT_FALSE(Base64UrlDecode("Zm9vY"));
}

TEST(Base64Url, Decode_RejectsNonZeroTailBits) {
  // "Zg" is "f"; "Zh" has the same first 8 bits but non-zero unused bits.
  EXPECT_FALSE(Base64UrlDecode("Zh"));
  EXPECT_FALSE(Base64UrlDecode("Zm9"));  // "fo" is "Zm8"
}

}  // namespace
}  // namespace signet::keys

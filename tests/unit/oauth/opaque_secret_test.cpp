#include "oauth/opaque_secret.hpp"

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "keys/base64url.hpp"
#include "oauth/refresh_token_format.hpp"

namespace signet::oauth {
namespace {

TEST(OpaqueSecretTest, NewOpaqueSecret_Is43Base64UrlCharactersWithItsSha256) {
  const auto secret = NewOpaqueSecret();
  ASSERT_TRUE(secret.has_value());
  EXPECT_EQ(secret->token.size(), kOpaqueSecretChars);
  const auto raw = keys::Base64UrlDecode(secret->token);
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(raw->size(), 32u);
  EXPECT_EQ(secret->hash, HashOpaqueSecret(secret->token));
  EXPECT_TRUE(HasRefreshTokenShape(secret->token));
}

TEST(OpaqueSecretTest, NewOpaqueSecret_DiffersEveryTime) {
  std::set<std::string> seen;
  for (int i = 0; i < 64; ++i) {
    const auto secret = NewOpaqueSecret();
    ASSERT_TRUE(secret.has_value());
    EXPECT_TRUE(seen.insert(secret->token).second);
  }
}

TEST(OpaqueSecretTest, HashOpaqueSecret_IsSha256OfTheText) {
  // FIPS 180-2 test vector: SHA-256("abc").
  const std::string digest = HashOpaqueSecret("abc");
  EXPECT_EQ(keys::Base64UrlEncode(digest), "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
}

TEST(OpaqueSecretTest, NewRandomId_Is22Base64UrlCharactersOf16Bytes) {
  const auto id = NewRandomId();
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->size(), 22u);
  const auto raw = keys::Base64UrlDecode(*id);
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(raw->size(), 16u);
  EXPECT_FALSE(HasRefreshTokenShape(*id));
}

}  // namespace
}  // namespace signet::oauth

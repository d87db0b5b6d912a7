#include "keys/password_hash.hpp"

#include <string>

#include <argon2.h>
#include <gtest/gtest.h>

namespace signet::keys {
namespace {

// One hash shared by the tests: each costs ~20-40 ms by design.
const std::string& CorrectHorseHash() {
  static const std::string hash = [] {
    auto encoded = HashPassword("correct horse battery staple");
    return encoded ? *encoded : std::string();
  }();
  return hash;
}

TEST(PasswordHash, Hash_UsesArgon2idWithDocumentedParameters) {
  const std::string& hash = CorrectHorseHash();
  EXPECT_TRUE(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << hash;
  EXPECT_TRUE(IsArgon2idEncoding(hash));
}

TEST(PasswordHash, Verify_AcceptsCorrectPassword) {
  auto ok = VerifyPassword(CorrectHorseHash(), "correct horse battery staple");
  ASSERT_TRUE(ok);
  EXPECT_TRUE(*ok);
}

TEST(PasswordHash, Verify_RejectsWrongPassword) {
  auto ok = VerifyPassword(CorrectHorseHash(), "correct horse battery stapl");
  ASSERT_TRUE(ok);
  EXPECT_FALSE(*ok);
  auto empty = VerifyPassword(CorrectHorseHash(), "");
  ASSERT_TRUE(empty);
  EXPECT_FALSE(*empty);
}

TEST(PasswordHash, Hash_UsesFreshSaltEachTime) {
  auto again = HashPassword("correct horse battery staple");
  ASSERT_TRUE(again);
  EXPECT_NE(*again, CorrectHorseHash());
}

TEST(PasswordHash, Verify_RejectsMalformedEncodings) {
  const std::string& good = CorrectHorseHash();
  const std::string salt_and_hash = good.substr(good.find("$", 30));
  const std::string bad[] = {
      "",
      "plaintext",
      "$argon2i$v=19$m=19456,t=2,p=1" + salt_and_hash,  // not argon2id
      "$argon2d$v=19$m=19456,t=2,p=1" + salt_and_hash,
      "$argon2id$v=16$m=19456,t=2,p=1" + salt_and_hash,    // old version
      "$argon2id$v=19$m=19456,t=2" + salt_and_hash,        // missing p
      "$argon2id$v=19$m=019456,t=2,p=1" + salt_and_hash,   // leading zero
      "$argon2id$v=19$m=4,t=2,p=1" + salt_and_hash,        // m < 8p
      "$argon2id$v=19$m=4194304,t=2,p=1" + salt_and_hash,  // above the memory bound
      "$argon2id$v=19$m=19456,t=2,p=1$$",
      good + "=",                             // padding
      good.substr(0, good.size() - 1) + "*",  // not base64
      good + "$extra",
  };
  for (const auto& encoded : bad) {
    EXPECT_FALSE(IsArgon2idEncoding(encoded)) << encoded;
    auto result = VerifyPassword(encoded, "correct horse battery staple");
    ASSERT_FALSE(result) << encoded;
    EXPECT_EQ(result.error(), Errc::kPasswordHashMalformed) << encoded;
  }
}

TEST(PasswordHash, Verify_AcceptsOtherParametersWithinBounds) {
  // An encoding made by libargon2 directly with other settings (as another tool would):
  // verification reads m, t, p from the encoding.
  const std::string salt = "0123456789abcdef";
  std::string encoded(128, '\0');
  ASSERT_EQ(argon2id_hash_encoded(3, 32768, 2, "password", 8, salt.data(), salt.size(), 24,
                                  encoded.data(), encoded.size()),
            ARGON2_OK);
  encoded.resize(encoded.find('\0'));
  ASSERT_TRUE(encoded.starts_with("$argon2id$v=19$m=32768,t=3,p=2$")) << encoded;
  ASSERT_TRUE(IsArgon2idEncoding(encoded));
  auto ok = VerifyPassword(encoded, "password");
  ASSERT_TRUE(ok);
  EXPECT_TRUE(*ok);
  auto wrong = VerifyPassword(encoded, "passwore");
  ASSERT_TRUE(wrong);
  EXPECT_FALSE(*wrong);
}

}  // namespace
}  // namespace signet::keys

// Key names built from client-controlled values (store/internal/redis_key_name.hpp).

#include "store/internal/redis_key_name.hpp"

#include <string>

#include <gtest/gtest.h>

namespace signet::store::internal {
namespace {

TEST(RedisKeyName, HexOf_IsLowerCaseTwoDigitsPerByte) {
  EXPECT_EQ(HexOf(std::string("\x00\x0f\xa5\xff", 4)), "000fa5ff");
  EXPECT_EQ(HexOf(""), "");
}

// FIPS 180-2 appendix B.1: SHA-256("abc").
TEST(RedisKeyName, Sha256_MatchesThePublishedVector) {
  EXPECT_EQ(HexOf(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(RedisKeyName, SafeKeyPart_KeepsShortPlainValues) {
  EXPECT_EQ(SafeKeyPart("user:alice@example.com"), "user:alice@example.com");
  EXPECT_EQ(SafeKeyPart("ip:2001:db8::1"), "ip:2001:db8::1");
  EXPECT_EQ(SafeKeyPart("fam_A-b.c"), "fam_A-b.c");
  EXPECT_EQ(SafeKeyPart(std::string(kMaxVerbatimKeyPart, 'k')), std::string(64, 'k'));
}

TEST(RedisKeyName, SafeKeyPart_HashesLongOddOrEmptyValues) {
  const std::string too_long(kMaxVerbatimKeyPart + 1, 'k');
  EXPECT_EQ(SafeKeyPart(too_long), "h:" + HexOf(Sha256(too_long)));
  EXPECT_EQ(SafeKeyPart("user:al ice"), "h:" + HexOf(Sha256("user:al ice")));
  EXPECT_EQ(SafeKeyPart("a*"), "h:" + HexOf(Sha256("a*")));
  EXPECT_EQ(SafeKeyPart("a\nb"), "h:" + HexOf(Sha256("a\nb")));
  EXPECT_EQ(SafeKeyPart(std::string("a\0b", 3)), "h:" + HexOf(Sha256(std::string("a\0b", 3))));
  EXPECT_EQ(SafeKeyPart(""), "h:" + HexOf(Sha256("")));
  EXPECT_EQ(SafeKeyPart("h:x").size(), 3u);  // verbatim: a hashed part is always 66 bytes
}

}  // namespace
}  // namespace signet::store::internal

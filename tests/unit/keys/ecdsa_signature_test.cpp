#include "keys/internal/ecdsa_signature.hpp"

#include <string>

#include <gtest/gtest.h>

namespace signet::keys::internal {
namespace {

std::string Bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

// P-256 order n (SEC 2 §2.4.2).
const std::string kN256 = Bytes({0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
                                 0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17,
                                 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51});

std::string Scalar(int low_byte) {
  std::string s(32, '\0');
  s[31] = static_cast<char>(low_byte);
  return s;
}

TEST(EcdsaSignature, RawToDer_RoundTrips) {
  std::string n_minus_1 = kN256;
  n_minus_1[31] = static_cast<char>(0x50);
  const std::string raw = Scalar(1) + n_minus_1;
  auto der = EcdsaRawToDer(raw, Algorithm::kEs256);
  ASSERT_TRUE(der);
  // SEQUENCE { INTEGER 1, INTEGER 00 ff..50 }: the top bit of n-1 needs a 0x00 prefix.
  EXPECT_EQ(der->substr(0, 5), Bytes({0x30, 3 + 2 + 33, 0x02, 0x01, 0x01}));
  EXPECT_EQ(der->substr(5, 3), Bytes({0x02, 0x21, 0x00}));
  auto back = EcdsaDerToRaw(*der, Algorithm::kEs256);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, raw);
}

TEST(EcdsaSignature, RawToDer_RejectsWrongLength) {
  auto der = EcdsaRawToDer(std::string(63, '\x01'), Algorithm::kEs256);
  ASSERT_FALSE(der);
  EXPECT_EQ(der.error(), Errc::kSignatureWrongLength);
  auto p384 = EcdsaRawToDer(std::string(64, '\x01'), Algorithm::kEs384);
  ASSERT_FALSE(p384);
  EXPECT_EQ(p384.error(), Errc::kSignatureWrongLength);
}

TEST(EcdsaSignature, RawToDer_RejectsZeroScalars) {
  auto r_zero = EcdsaRawToDer(Scalar(0) + Scalar(1), Algorithm::kEs256);
  ASSERT_FALSE(r_zero);
  EXPECT_EQ(r_zero.error(), Errc::kEcdsaScalarOutOfRange);
  auto s_zero = EcdsaRawToDer(Scalar(1) + Scalar(0), Algorithm::kEs256);
  ASSERT_FALSE(s_zero);
  EXPECT_EQ(s_zero.error(), Errc::kEcdsaScalarOutOfRange);
}

TEST(EcdsaSignature, RawToDer_RejectsScalarsNotBelowOrder) {
  auto r_is_n = EcdsaRawToDer(kN256 + Scalar(1), Algorithm::kEs256);
  ASSERT_FALSE(r_is_n);
  EXPECT_EQ(r_is_n.error(), Errc::kEcdsaScalarOutOfRange);
  auto s_max = EcdsaRawToDer(Scalar(1) + std::string(32, '\xff'), Algorithm::kEs256);
  ASSERT_FALSE(s_max);
  EXPECT_EQ(s_max.error(), Errc::kEcdsaScalarOutOfRange);
}

TEST(EcdsaSignature, DerToRaw_RejectsNonDerEncodings) {
  const std::string good = Bytes({0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02});
  ASSERT_TRUE(EcdsaDerToRaw(good, Algorithm::kEs256));
  // Long-form length where the short form fits (BER, not DER).
  auto ber = EcdsaDerToRaw(Bytes({0x30, 0x81, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02}),
                           Algorithm::kEs256);
  ASSERT_FALSE(ber);
  EXPECT_EQ(ber.error(), Errc::kSignatureInvalid);
  // Leading zero octet in front of a clear top bit.
  auto padded = EcdsaDerToRaw(Bytes({0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x02}),
                              Algorithm::kEs256);
  ASSERT_FALSE(padded);
  EXPECT_EQ(padded.error(), Errc::kSignatureInvalid);
  // Trailing garbage after the SEQUENCE.
  auto trailing = EcdsaDerToRaw(good + '\0', Algorithm::kEs256);
  ASSERT_FALSE(trailing);
  EXPECT_EQ(trailing.error(), Errc::kSignatureInvalid);
  // Wrong tag for s.
  auto tag =
      EcdsaDerToRaw(Bytes({0x30, 0x06, 0x02, 0x01, 0x01, 0x04, 0x01, 0x02}), Algorithm::kEs256);
  ASSERT_FALSE(tag);
  EXPECT_EQ(tag.error(), Errc::kSignatureInvalid);
}

TEST(EcdsaSignature, DerToRaw_RejectsNegativeAndZero) {
  auto negative =
      EcdsaDerToRaw(Bytes({0x30, 0x06, 0x02, 0x01, 0x81, 0x02, 0x01, 0x02}), Algorithm::kEs256);
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error(), Errc::kEcdsaScalarOutOfRange);
  auto zero =
      EcdsaDerToRaw(Bytes({0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x02}), Algorithm::kEs256);
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error(), Errc::kEcdsaScalarOutOfRange);
}

}  // namespace
}  // namespace signet::keys::internal

// Algorithm x key-source matrix (jwt_verify_lib's verify_jwk_* / verify_pem_* files): every
// algorithm signs and verifies with a verifier loaded from PEM and from an imported JWK; and
// the mutators: every single-bit flip of the decoded signature and every truncation of the
// token string is rejected.

#include <gtest/gtest.h>

#include "jwks/jwk_set.hpp"
#include "jwks/public_jwk.hpp"
#include "keys/base64url.hpp"
#include "tests/unit/token/test_support.hpp"
#include "token/jws.hpp"

namespace signet::token {
namespace {

using keys::Algorithm;

enum class KeySource { kPem, kJwk };

struct MatrixCase {
  Algorithm alg;
  KeySource source;
};

void PrintTo(const MatrixCase& c, std::ostream* os) {
  *os << keys::JwaName(c.alg) << (c.source == KeySource::kPem ? " from PEM" : " from JWK");
}

std::string CaseName(const ::testing::TestParamInfo<MatrixCase>& param_info) {
  return std::string(keys::JwaName(param_info.param.alg)) +
         (param_info.param.source == KeySource::kPem ? "_Pem" : "_Jwk");
}

// The verifier for `signer`'s public key, loaded the way a consumer would.
keys::Verifier LoadVerifier(const keys::Signer& signer, KeySource source) {
  const keys::PublicKey public_key = signer.key().public_key();
  if (source == KeySource::kPem) {
    auto pem = public_key.ToPem();
    auto loaded = keys::PublicKey::FromPem(*pem, signer.algorithm());
    if (!loaded) throw std::runtime_error("FromPem: " + loaded.error().message());
    return *keys::Verifier::Create(std::move(*loaded), signer.kid());
  }
  auto jwk = jwks::PublicJwk::FromPublicKey(public_key, signer.kid());
  if (!jwk) throw std::runtime_error("FromPublicKey: " + jwk.error().message());
  auto imported = jwks::ImportPublicJwk(jwk->ToJson());
  if (!imported) throw std::runtime_error("ImportPublicJwk: " + imported.error().message());
  return std::move(*imported);
}

class AlgorithmMatrixTest : public ::testing::TestWithParam<MatrixCase> {};

TEST_P(AlgorithmMatrixTest, SignThenVerify) {
  const auto pair = testing::GenerateKeyPair(GetParam().alg, "kid-matrix");
  const keys::Verifier verifier = LoadVerifier(pair.signer, GetParam().source);
  EXPECT_EQ(verifier.algorithm(), GetParam().alg);
  auto compact = SignCompact(pair.signer, "JWT", std::string_view(R"({"sub":"m"})"));
  ASSERT_TRUE(compact) << compact.error().message();
  auto set = jwks::JwkSet::FromVerifiers({verifier});
  auto verified = VerifyCompact(*compact, *set);
  ASSERT_TRUE(verified) << verified.error().message();
  EXPECT_EQ(verified->payload, R"({"sub":"m"})");
  EXPECT_EQ(verified->alg, GetParam().alg);
}

TEST_P(AlgorithmMatrixTest, TokenFromAnotherKeyOfSameAlgorithmIsRejected) {
  const auto pair = testing::GenerateKeyPair(GetParam().alg, "kid-matrix");
  const auto other = testing::GenerateKeyPair(GetParam().alg, "kid-matrix");
  const keys::Verifier verifier = LoadVerifier(pair.signer, GetParam().source);
  auto compact = SignCompact(other.signer, "JWT", std::string_view("{}"));
  auto verified = VerifyCompact(*compact, verifier);
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error(), Errc::kSignatureInvalid);
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, AlgorithmMatrixTest,
                         ::testing::Values(MatrixCase{Algorithm::kRs256, KeySource::kPem},
                                           MatrixCase{Algorithm::kRs256, KeySource::kJwk},
                                           MatrixCase{Algorithm::kPs256, KeySource::kPem},
                                           MatrixCase{Algorithm::kPs256, KeySource::kJwk},
                                           MatrixCase{Algorithm::kEs256, KeySource::kPem},
                                           MatrixCase{Algorithm::kEs256, KeySource::kJwk},
                                           MatrixCase{Algorithm::kEs384, KeySource::kPem},
                                           MatrixCase{Algorithm::kEs384, KeySource::kJwk},
                                           MatrixCase{Algorithm::kEdDsa, KeySource::kPem},
                                           MatrixCase{Algorithm::kEdDsa, KeySource::kJwk}),
                         CaseName);

std::string AlgorithmName(const ::testing::TestParamInfo<Algorithm>& param_info) {
  return std::string(keys::JwaName(param_info.param));
}

class MutationTest : public ::testing::TestWithParam<Algorithm> {};

TEST_P(MutationTest, EverySignatureBitFlipIsRejected) {
  const auto pair = testing::GenerateKeyPair(GetParam(), "kid-flip");
  const std::string compact = *SignCompact(pair.signer, "JWT", std::string_view(R"({"a":1})"));
  ASSERT_TRUE(VerifyCompact(compact, pair.verifier));
  const std::string signature = *keys::Base64UrlDecode(compact.substr(compact.rfind('.') + 1));
  int flips = 0;
  for (size_t byte = 0; byte < signature.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = signature;
      flipped[byte] = static_cast<char>(flipped[byte] ^ (1 << bit));
      auto verified = VerifyCompact(testing::WithSignature(compact, flipped), pair.verifier);
      ASSERT_FALSE(verified) << "byte " << byte << " bit " << bit;
      EXPECT_TRUE(verified.error() == Errc::kSignatureInvalid ||
                  verified.error() == Errc::kEcdsaScalarOutOfRange)
          << verified.error().message();
      ++flips;
    }
  }
  EXPECT_EQ(flips, static_cast<int>(signature.size() * 8));
}

TEST_P(MutationTest, EveryTruncationIsRejected) {
  const auto pair = testing::GenerateKeyPair(GetParam(), "kid-cut");
  const std::string compact = *SignCompact(pair.signer, "JWT", std::string_view(R"({"a":1})"));
  for (size_t len = 0; len < compact.size(); ++len) {
    EXPECT_FALSE(VerifyCompact(std::string_view(compact).substr(0, len), pair.verifier))
        << "accepted a prefix of length " << len;
  }
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, MutationTest,
                         ::testing::Values(Algorithm::kRs256, Algorithm::kPs256, Algorithm::kEs256,
                                           Algorithm::kEs384, Algorithm::kEdDsa),
                         AlgorithmName);

}  // namespace
}  // namespace signet::token

// RFC vectors (tests/vectors/*.json): deterministic algorithms sign byte for byte and verify;
// randomised ones verify only; algorithms signet does not implement are counted and skipped.

#include <gtest/gtest.h>

#include "jwks/jwk_set.hpp"
#include "jwks/public_jwk.hpp"
#include "keys/algorithm.hpp"
#include "tests/unit/token/test_support.hpp"
#include "token/jws.hpp"

namespace signet::token {
namespace {

using testing::LoadVector;
using testing::PrivateKeyFromJwk;

struct VectorCase {
  const char* file;
};

void PrintTo(const VectorCase& c, std::ostream* os) { *os << c.file; }

std::string VectorName(const ::testing::TestParamInfo<VectorCase>& param_info) {
  const std::string name = param_info.param.file;
  return name.substr(0, name.find('.'));
}

class RfcVectorTest : public ::testing::TestWithParam<VectorCase> {};

TEST_P(RfcVectorTest, VerifiesWithImportedPublicJwk) {
  const nlohmann::json v = LoadVector(GetParam().file);
  const std::string alg_name = v.at("alg").get<std::string>();
  if (!keys::ParseAlgorithm(alg_name)) {
    GTEST_SKIP() << v.at("section").get<std::string>() << ": " << alg_name
                 << " is not implemented by signet";
  }
  auto verifier = jwks::ImportPublicJwk(v.at("public_jwk"));
  ASSERT_TRUE(verifier) << verifier.error().message();
  auto verified = VerifyCompact(v.at("jws").get<std::string>(), *verifier);
  ASSERT_TRUE(verified) << verified.error().message();
  EXPECT_EQ(verified->payload, v.at("payload").get<std::string>());
  EXPECT_EQ(verified->header, nlohmann::json::parse(v.at("protected_header").get<std::string>()));
}

TEST_P(RfcVectorTest, DeterministicSignatureIsReproducedByteForByte) {
  const nlohmann::json v = LoadVector(GetParam().file);
  const std::string alg_name = v.at("alg").get<std::string>();
  const auto alg = keys::ParseAlgorithm(alg_name);
  if (!alg) {
    GTEST_SKIP() << v.at("section").get<std::string>() << ": " << alg_name
                 << " is not implemented by signet";
  }
  if (!v.at("deterministic").get<bool>()) {
    GTEST_SKIP() << v.at("section").get<std::string>() << ": " << alg_name
                 << " signatures are randomised; verify-only vector";
  }
  const std::string kid = v.at("public_jwk").value("kid", "");
  auto signer = keys::Signer::Create(PrivateKeyFromJwk(v.at("private_jwk"), *alg), kid);
  ASSERT_TRUE(signer) << signer.error().message();
  // Our header is {"alg":...[,"kid":...]}: exactly the vectors' protected headers.
  auto compact = SignCompact(*signer, "", std::string_view(v.at("payload").get<std::string>()));
  ASSERT_TRUE(compact) << compact.error().message();
  EXPECT_EQ(*compact, v.at("jws").get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(
    Rfc, RfcVectorTest,
    ::testing::Values(VectorCase{"rfc7515_a2_rs256.json"}, VectorCase{"rfc7515_a3_es256.json"},
                      VectorCase{"rfc8037_a_ed25519.json"}, VectorCase{"rfc7520_4_1_rs256.json"},
                      VectorCase{"rfc7520_4_2_ps384.json"}, VectorCase{"rfc7520_4_3_es512.json"}),
    VectorName);

TEST(RfcVectorCountTest, UnimplementedRfc7520VectorsAreCountedAndNamed) {
  int skipped = 0;
  std::string names;
  for (const char* file : {"rfc7520_4_2_ps384.json", "rfc7520_4_3_es512.json"}) {
    const nlohmann::json v = LoadVector(file);
    EXPECT_FALSE(keys::ParseAlgorithm(v.at("alg").get<std::string>()));
    ++skipped;
    names += v.at("section").get<std::string>() + " (" + v.at("alg").get<std::string>() + ") ";
  }
  RecordProperty("unimplemented_vectors", names);
  std::printf("[ RFC ] %d RFC 7520 vectors skipped as not implemented: %s\n", skipped,
              names.c_str());
  EXPECT_EQ(skipped, 2);
}

TEST(RfcVectorTest8037, PublicKeyThumbprintMatchesAppendixA3) {
  const nlohmann::json v = LoadVector("rfc8037_a_ed25519.json");
  auto verifier = jwks::ImportPublicJwk(v.at("public_jwk"));
  ASSERT_TRUE(verifier) << verifier.error().message();
  EXPECT_EQ(verifier->algorithm(), keys::Algorithm::kEdDsa);  // OKP Ed25519 without alg
  auto jwk = jwks::PublicJwk::FromVerifier(*verifier);
  ASSERT_TRUE(jwk);
  EXPECT_EQ(jwk->x, v.at("public_jwk").at("x").get<std::string>());
  EXPECT_EQ(jwk->Thumbprint(), v.at("thumbprint").get<std::string>());
}

TEST(RfcVectorTest7515, EcdsaVectorRejectedAfterPayloadChange) {
  const nlohmann::json v = LoadVector("rfc7515_a3_es256.json");
  auto verifier = jwks::ImportPublicJwk(v.at("public_jwk"));
  ASSERT_TRUE(verifier);
  std::string jws = v.at("jws").get<std::string>();
  const size_t dot = jws.find('.');
  jws[dot + 1] = jws[dot + 1] == 'e' ? 'f' : 'e';  // changes the payload's first sextet
  auto verified = VerifyCompact(jws, *verifier);
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error(), Errc::kSignatureInvalid);
}

}  // namespace
}  // namespace signet::token

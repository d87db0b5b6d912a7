// Published RFC examples at the key level (tests/vectors/*.json, each naming its section):
// deterministic algorithms must reproduce the RFC's signature byte for byte, randomised ones
// must verify it, and the kid derivation must match the RFC's thumbprints.

#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include "keys/base64url.hpp"
#include "keys/internal/openssl_ptr.hpp"
#include "keys/jwk_thumbprint.hpp"
#include "keys/signer.hpp"
#include "keys/verifier.hpp"

namespace signet::keys {
namespace {

using internal::SslPtr;

nlohmann::json LoadVector(const char* name) {
  std::ifstream in(std::string(SIGNET_VECTORS_DIR) + "/" + name);
  if (!in) return {};
  return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
}

std::string Member(const nlohmann::json& jwk, const char* name) {
  auto bytes = Base64UrlDecode(jwk.at(name).get<std::string>());
  EXPECT_TRUE(bytes) << name;
  return bytes.value_or("");
}

void PushBn(OSSL_PARAM_BLD* bld, const char* param, const std::string& bytes,
            std::vector<SslPtr<BIGNUM>>& keep) {
  keep.emplace_back(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                              static_cast<int>(bytes.size()), nullptr));
  ASSERT_EQ(OSSL_PARAM_BLD_push_BN(bld, param, keep.back().get()), 1);
}

// Test-only JWK -> EVP_PKEY for the RFC private keys (signet itself never imports private
// JWKs), returned as PKCS#8 PEM so the production path PrivateKey::FromPem is exercised.
std::string PrivatePemFromJwk(const nlohmann::json& jwk) {
  SslPtr<EVP_PKEY> key;
  const std::string kty = jwk.at("kty");
  if (kty == "OKP") {
    const std::string d = Member(jwk, "d");
    key.reset(EVP_PKEY_new_raw_private_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(d.data()), d.size()));
  } else {
    SslPtr<OSSL_PARAM_BLD> bld(OSSL_PARAM_BLD_new());
    std::vector<SslPtr<BIGNUM>> keep;
    std::string pub;
    if (kty == "RSA") {
      PushBn(bld.get(), OSSL_PKEY_PARAM_RSA_N, Member(jwk, "n"), keep);
      PushBn(bld.get(), OSSL_PKEY_PARAM_RSA_E, Member(jwk, "e"), keep);
      PushBn(bld.get(), OSSL_PKEY_PARAM_RSA_D, Member(jwk, "d"), keep);
      PushBn(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR1, Member(jwk, "p"), keep);
      PushBn(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR2, Member(jwk, "q"), keep);
      PushBn(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1, Member(jwk, "dp"), keep);
      PushBn(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2, Member(jwk, "dq"), keep);
      PushBn(bld.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1, Member(jwk, "qi"), keep);
    } else {
      pub = "\x04" + Member(jwk, "x") + Member(jwk, "y");  // SEC 1 uncompressed point
      EXPECT_EQ(
          OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0),
          1);
      EXPECT_EQ(OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pub.data(),
                                                 pub.size()),
                1);
      PushBn(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, Member(jwk, "d"), keep);
    }
    SslPtr<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(bld.get()));
    SslPtr<EVP_PKEY_CTX> ctx(
        EVP_PKEY_CTX_new_from_name(nullptr, kty == "RSA" ? "RSA" : "EC", nullptr));
    EVP_PKEY* raw = nullptr;
    EXPECT_EQ(EVP_PKEY_fromdata_init(ctx.get()), 1);
    EXPECT_EQ(EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_KEYPAIR, params.get()), 1);
    key.reset(raw);
  }
  if (!key) return {};
  SslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  EXPECT_EQ(PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr),
            1);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

struct Jws {
  std::string signing_input;
  std::string signature;
};

Jws SplitJws(const std::string& jws) {
  const size_t last_dot = jws.rfind('.');
  return {jws.substr(0, last_dot), Base64UrlDecode(jws.substr(last_dot + 1)).value_or("")};
}

struct RfcCase {
  const char* file;
  Algorithm alg;
};

class RfcVectorTest : public ::testing::TestWithParam<RfcCase> {};

TEST_P(RfcVectorTest, SignsOrVerifiesThePublishedSignature) {
  const nlohmann::json v = LoadVector(GetParam().file);
  ASSERT_TRUE(v.is_object()) << GetParam().file;
  auto key = PrivateKey::FromPem(PrivatePemFromJwk(v.at("private_jwk")), GetParam().alg);
  ASSERT_TRUE(key) << key.error().message();
  const Jws jws = SplitJws(v.at("jws"));
  ASSERT_FALSE(jws.signature.empty());

  auto verifier = Verifier::Create(key->public_key(), "rfc");
  ASSERT_TRUE(verifier);
  EXPECT_TRUE(verifier->Verify(jws.signing_input, jws.signature));

  auto signer = Signer::Create(std::move(*key), "rfc");
  ASSERT_TRUE(signer);
  auto ours = signer->Sign(jws.signing_input);
  ASSERT_TRUE(ours);
  if (v.at("deterministic").get<bool>()) {
    EXPECT_EQ(Base64UrlEncode(*ours), Base64UrlEncode(jws.signature));
  } else {
    EXPECT_TRUE(verifier->Verify(jws.signing_input, *ours));
  }
  if (v.contains("thumbprint")) {
    auto members = ExportPublicMembers(signer->key().public_key());
    ASSERT_TRUE(members);
    EXPECT_EQ(Rfc7638Thumbprint(*members), v.at("thumbprint").get<std::string>());
  }
}

INSTANTIATE_TEST_SUITE_P(Rfc, RfcVectorTest,
                         ::testing::Values(RfcCase{"rfc7515_a2_rs256.json", Algorithm::kRs256},
                                           RfcCase{"rfc7520_4_1_rs256.json", Algorithm::kRs256},
                                           RfcCase{"rfc7515_a3_es256.json", Algorithm::kEs256},
                                           RfcCase{"rfc8037_a_ed25519.json", Algorithm::kEdDsa}),
                         [](const ::testing::TestParamInfo<RfcCase>& param_info) {
                           const std::string name = param_info.param.file;
                           return name.substr(0, name.find('.'));
                         });

}  // namespace
}  // namespace signet::keys

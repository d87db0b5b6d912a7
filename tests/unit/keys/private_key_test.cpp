#include "keys/private_key.hpp"

#include <string>

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include "keys/internal/openssl_ptr.hpp"
#include "tests/unit/keys/test_keys.hpp"

namespace signet::keys {
namespace {

using internal::SslPtr;
using testing::AlgName;
using testing::CachedKey;

// PEM text of a key generated here with parameters signet itself refuses to generate.
std::string PemOf(EVP_PKEY* key, bool traditional = false) {
  SslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  const int ok =
      traditional ? PEM_write_bio_PrivateKey_traditional(bio.get(), key, nullptr, nullptr, 0,
                                                         nullptr, nullptr)
                  : PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  EXPECT_EQ(ok, 1);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

class PrivateKeyTest : public ::testing::TestWithParam<Algorithm> {};

TEST_P(PrivateKeyTest, PemRoundTrip_KeepsKeyAndAlgorithm) {
  const PrivateKey& key = CachedKey(GetParam());
  auto pem = key.ToPem();
  ASSERT_TRUE(pem);
  EXPECT_NE(pem->find("-----BEGIN PRIVATE KEY-----"), std::string::npos);  // PKCS#8
  auto again = PrivateKey::FromPem(*pem, GetParam());
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->algorithm(), GetParam());
  EXPECT_EQ(EVP_PKEY_eq(again->native(), key.native()), 1);
}

TEST_P(PrivateKeyTest, PublicKey_PemRoundTripAndNoPrivatePart) {
  const PublicKey pub = CachedKey(GetParam()).public_key();
  auto pem = pub.ToPem();
  ASSERT_TRUE(pem);
  EXPECT_NE(pem->find("-----BEGIN PUBLIC KEY-----"), std::string::npos);
  auto again = PublicKey::FromPem(*pem, GetParam());
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(EVP_PKEY_eq(again->native(), pub.native()), 1);
  // The public half must not be usable as a private key.
  EXPECT_FALSE(PrivateKey::FromPem(*pem, GetParam()));
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, PrivateKeyTest,
                         ::testing::ValuesIn(AllAlgorithms().begin(), AllAlgorithms().end()),
                         AlgName);

TEST(PrivateKey, FromPem_AcceptsTraditionalFormat) {
  // "BEGIN RSA PRIVATE KEY" / "BEGIN EC PRIVATE KEY"; Ed25519 has only PKCS#8.
  for (Algorithm alg :
       {Algorithm::kRs256, Algorithm::kPs256, Algorithm::kEs256, Algorithm::kEs384}) {
    const std::string pem = PemOf(CachedKey(alg).native(), /*traditional=*/true);
    ASSERT_EQ(pem.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
    auto key = PrivateKey::FromPem(pem, alg);
    ASSERT_TRUE(key) << JwaName(alg) << ": " << key.error().message();
    EXPECT_EQ(EVP_PKEY_eq(key->native(), CachedKey(alg).native()), 1);
  }
}

TEST(PrivateKey, FromPem_RejectsRsa1024AsWeak) {
  SslPtr<EVP_PKEY> weak(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{1024}));
  ASSERT_TRUE(weak);
  auto key = PrivateKey::FromPem(PemOf(weak.get()), Algorithm::kRs256);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error(), Errc::kWeakKey);
}

TEST(PrivateKey, FromPem_RejectsP256KeyForEs384) {
  auto pem = CachedKey(Algorithm::kEs256).ToPem();
  ASSERT_TRUE(pem);
  auto key = PrivateKey::FromPem(*pem, Algorithm::kEs384);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error(), Errc::kKeyTypeMismatch);
}

TEST(PrivateKey, FromPem_RejectsEcKeyForRsaAndRsaKeyForEdDsa) {
  auto ec = PrivateKey::FromPem(*CachedKey(Algorithm::kEs256).ToPem(), Algorithm::kPs256);
  ASSERT_FALSE(ec);
  EXPECT_EQ(ec.error(), Errc::kKeyTypeMismatch);
  auto rsa = PrivateKey::FromPem(*CachedKey(Algorithm::kRs256).ToPem(), Algorithm::kEdDsa);
  ASSERT_FALSE(rsa);
  EXPECT_EQ(rsa.error(), Errc::kKeyTypeMismatch);
}

TEST(PrivateKey, FromPem_RejectsSecp256k1ForEs256) {
  SslPtr<EVP_PKEY> k1(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp256k1"));
  ASSERT_TRUE(k1);
  auto key = PrivateKey::FromPem(PemOf(k1.get()), Algorithm::kEs256);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error(), Errc::kKeyTypeMismatch);
}

TEST(PrivateKey, FromPem_RejectsGarbage) {
  auto key = PrivateKey::FromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                                 Algorithm::kEs256);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error(), Errc::kPemInvalid);
}

TEST(PrivateKey, FromPem_RejectsEncryptedPemWithoutPrompting) {
  SslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  static char pass[] = "secret";
  ASSERT_EQ(PEM_write_bio_PKCS8PrivateKey(bio.get(), CachedKey(Algorithm::kEs256).native(),
                                          EVP_aes_256_cbc(), nullptr, 0, nullptr, pass),
            1);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  auto key = PrivateKey::FromPem(std::string(data, static_cast<size_t>(len)), Algorithm::kEs256);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error(), Errc::kPemInvalid);
}

TEST(PrivateKey, FromPem_RejectsKeyWhosePublicHalfDoesNotMatch) {
  // Private scalar of one P-256 key combined with the public point of another.
  auto a = PrivateKey::Generate(Algorithm::kEs256);
  auto b = PrivateKey::Generate(Algorithm::kEs256);
  ASSERT_TRUE(a && b);
  BIGNUM* priv_raw = nullptr;
  ASSERT_EQ(EVP_PKEY_get_bn_param(a->native(), OSSL_PKEY_PARAM_PRIV_KEY, &priv_raw), 1);
  SslPtr<BIGNUM> priv(priv_raw);
  unsigned char pub[65];
  size_t pub_len = 0;
  ASSERT_EQ(EVP_PKEY_get_octet_string_param(b->native(), OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub),
                                            &pub_len),
            1);
  SslPtr<OSSL_PARAM_BLD> bld(OSSL_PARAM_BLD_new());
  ASSERT_EQ(OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0),
            1);
  ASSERT_EQ(OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pub, pub_len), 1);
  ASSERT_EQ(OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv.get()), 1);
  SslPtr<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(bld.get()));
  SslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  ASSERT_EQ(EVP_PKEY_fromdata_init(ctx.get()), 1);
  EVP_PKEY* mixed_raw = nullptr;
  ASSERT_EQ(EVP_PKEY_fromdata(ctx.get(), &mixed_raw, EVP_PKEY_KEYPAIR, params.get()), 1);
  SslPtr<EVP_PKEY> mixed(mixed_raw);
  auto key = PrivateKey::FromPem(PemOf(mixed.get()), Algorithm::kEs256);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error(), Errc::kPemInvalid);
}

TEST(PrivateKey, Generate_RejectsUnsupportedRsaSize) {
  auto key = PrivateKey::Generate(Algorithm::kRs256, 1024);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error(), Errc::kUnsupportedKeySize);
}

TEST(PrivateKey, Generate_Rsa3072HasThatSize) {
  auto key = PrivateKey::Generate(Algorithm::kPs256, 3072);
  ASSERT_TRUE(key);
  EXPECT_EQ(EVP_PKEY_get_bits(key->native()), 3072);
}

TEST(PublicKey, FromPem_RejectsP384KeyForEs256) {
  auto pem = CachedKey(Algorithm::kEs384).public_key().ToPem();
  ASSERT_TRUE(pem);
  auto key = PublicKey::FromPem(*pem, Algorithm::kEs256);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error(), Errc::kKeyTypeMismatch);
}

TEST(PublicKey, FromNative_TakesOwnershipAndChecksType) {
  SslPtr<EVP_PKEY> ed(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED448"));
  ASSERT_TRUE(ed);
  auto key = PublicKey::FromNative(Algorithm::kEdDsa, ed.release());  // freed even on failure
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error(), Errc::kKeyTypeMismatch);
  auto null_key = PublicKey::FromNative(Algorithm::kEs256, nullptr);
  ASSERT_FALSE(null_key);
  EXPECT_EQ(null_key.error(), Errc::kKeyTypeMismatch);
}

}  // namespace
}  // namespace signet::keys

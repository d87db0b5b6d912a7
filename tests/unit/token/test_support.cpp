#include "tests/unit/token/test_support.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include "keys/base64url.hpp"
#include "keys/internal/openssl_ptr.hpp"

namespace signet::token::testing {
namespace {

using keys::internal::SslPtr;

std::string Decode(const nlohmann::json& jwk, const char* member) {
  auto bytes = keys::Base64UrlDecode(jwk.at(member).get<std::string>());
  if (!bytes) throw std::runtime_error(std::string("bad base64url in ") + member);
  return *bytes;
}

SslPtr<BIGNUM> Bn(const std::string& bytes) {
  return SslPtr<BIGNUM>(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()), nullptr));
}

// Keeps the BIGNUMs alive until the parameters are built.
struct ParamBuilder {
  SslPtr<OSSL_PARAM_BLD> bld{OSSL_PARAM_BLD_new()};
  std::vector<SslPtr<BIGNUM>> numbers;
  std::vector<std::string> octets;

  void Bignum(const char* key, const std::string& bytes) {
    numbers.push_back(Bn(bytes));
    OSSL_PARAM_BLD_push_BN(bld.get(), key, numbers.back().get());
  }
  void Octets(const char* key, std::string bytes) {
    octets.push_back(std::move(bytes));
    OSSL_PARAM_BLD_push_octet_string(bld.get(), key, octets.back().data(), octets.back().size());
  }
};

SslPtr<EVP_PKEY> FromData(const char* type, ParamBuilder& pb) {
  SslPtr<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(pb.bld.get()));
  SslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_KEYPAIR, params.get()) != 1) {
    throw std::runtime_error(std::string("EVP_PKEY_fromdata failed for ") + type);
  }
  return SslPtr<EVP_PKEY>(raw);
}

}  // namespace

nlohmann::json LoadVector(std::string_view relative_path) {
  const std::string path = std::string(SIGNET_VECTORS_DIR) + "/" + std::string(relative_path);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

keys::PrivateKey PrivateKeyFromJwk(const nlohmann::json& jwk, keys::Algorithm alg) {
  ParamBuilder pb;
  SslPtr<EVP_PKEY> pkey;
  const std::string kty = jwk.at("kty").get<std::string>();
  if (kty == "RSA") {
    pb.Bignum(OSSL_PKEY_PARAM_RSA_N, Decode(jwk, "n"));
    pb.Bignum(OSSL_PKEY_PARAM_RSA_E, Decode(jwk, "e"));
    pb.Bignum(OSSL_PKEY_PARAM_RSA_D, Decode(jwk, "d"));
    pb.Bignum(OSSL_PKEY_PARAM_RSA_FACTOR1, Decode(jwk, "p"));
    pb.Bignum(OSSL_PKEY_PARAM_RSA_FACTOR2, Decode(jwk, "q"));
    pb.Bignum(OSSL_PKEY_PARAM_RSA_EXPONENT1, Decode(jwk, "dp"));
    pb.Bignum(OSSL_PKEY_PARAM_RSA_EXPONENT2, Decode(jwk, "dq"));
    pb.Bignum(OSSL_PKEY_PARAM_RSA_COEFFICIENT1, Decode(jwk, "qi"));
    pkey = FromData("RSA", pb);
  } else if (kty == "EC") {
    const std::string crv = jwk.at("crv").get<std::string>();
    const char* group = crv == "P-256" ? "prime256v1" : crv == "P-384" ? "secp384r1" : "secp521r1";
    OSSL_PARAM_BLD_push_utf8_string(pb.bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
    pb.Octets(OSSL_PKEY_PARAM_PUB_KEY, "\x04" + Decode(jwk, "x") + Decode(jwk, "y"));
    pb.Bignum(OSSL_PKEY_PARAM_PRIV_KEY, Decode(jwk, "d"));
    pkey = FromData("EC", pb);
  } else {
    pb.Octets(OSSL_PKEY_PARAM_PRIV_KEY, Decode(jwk, "d"));
    pb.Octets(OSSL_PKEY_PARAM_PUB_KEY, Decode(jwk, "x"));
    pkey = FromData("ED25519", pb);
  }
  SslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PrivateKey(bio.get(), pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw std::runtime_error("PEM_write_bio_PrivateKey failed");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  auto key = keys::PrivateKey::FromPem(std::string_view(data, static_cast<size_t>(len)), alg);
  if (!key) throw std::runtime_error("PrivateKey::FromPem: " + key.error().message());
  return std::move(*key);
}

KeyPair GenerateKeyPair(keys::Algorithm alg, const std::string& kid) {
  auto key = keys::PrivateKey::Generate(alg);
  if (!key) throw std::runtime_error("Generate: " + key.error().message());
  auto verifier = keys::Verifier::Create(key->public_key(), kid);
  auto signer = keys::Signer::Create(std::move(*key), kid);
  if (!signer || !verifier) throw std::runtime_error("Signer/Verifier::Create failed");
  return KeyPair{std::move(*signer), std::move(*verifier)};
}

std::string ForgeToken(const keys::Signer& signer, std::string_view header_json,
                       std::string_view payload) {
  std::string input = keys::Base64UrlEncode(header_json) + "." + keys::Base64UrlEncode(payload);
  auto signature = signer.Sign(input);
  if (!signature) throw std::runtime_error("Sign: " + signature.error().message());
  return input + "." + keys::Base64UrlEncode(*signature);
}

std::string WithSignature(std::string_view compact, std::string_view signature) {
  const size_t last = compact.rfind('.');
  return std::string(compact.substr(0, last + 1)) + keys::Base64UrlEncode(signature);
}

}  // namespace signet::token::testing

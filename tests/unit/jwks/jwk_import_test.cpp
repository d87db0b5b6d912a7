// ImportPublicJwk: accepted key shapes, the deterministic algorithm choice, and one test per
// jwks::Errc rejection reason.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "jwks/public_jwk.hpp"
#include "keys/algorithm.hpp"
#include "keys/base64url.hpp"
#include "keys/private_key.hpp"

namespace signet::jwks {
namespace {

using keys::Algorithm;

// RFC 7515 A.3 (P-256) and RFC 8037 A.2 (Ed25519) public keys; RFC 7638 §3.1 RSA key.
const nlohmann::json kEcP256 = {{"kty", "EC"},
                                {"crv", "P-256"},
                                {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
                                {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}};
const nlohmann::json kOkp = {
    {"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}};
const nlohmann::json kRsa = {
    {"kty", "RSA"},
    {"e", "AQAB"},
    {"n",
     "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_"
     "BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-"
     "65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-"
     "bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"}};

nlohmann::json With(nlohmann::json jwk, const char* name, nlohmann::json value) {
  jwk[name] = std::move(value);
  return jwk;
}

Errc ImportError(const nlohmann::json& jwk) {
  auto verifier = ImportPublicJwk(jwk);
  EXPECT_FALSE(verifier) << jwk.dump();
  if (verifier) return Errc{};
  EXPECT_EQ(&verifier.error().category(), &JwksCategory()) << verifier.error().message();
  return static_cast<Errc>(verifier.error().value());
}

TEST(JwkImportTest, AlgorithmDefaultsWhenAlgAbsent) {
  EXPECT_EQ(ImportPublicJwk(kEcP256)->algorithm(), Algorithm::kEs256);
  EXPECT_EQ(ImportPublicJwk(kOkp)->algorithm(), Algorithm::kEdDsa);
  EXPECT_EQ(ImportPublicJwk(kRsa)->algorithm(), Algorithm::kRs256);
}

TEST(JwkImportTest, AlgMemberPinsTheAlgorithm) {
  EXPECT_EQ(ImportPublicJwk(With(kRsa, "alg", "PS256"))->algorithm(), Algorithm::kPs256);
  EXPECT_EQ(ImportPublicJwk(With(kEcP256, "alg", "ES256"))->algorithm(), Algorithm::kEs256);
  EXPECT_EQ(ImportPublicJwk(With(kOkp, "alg", "EdDSA"))->algorithm(), Algorithm::kEdDsa);
}

TEST(JwkImportTest, KidUseAndKeyOpsAreHonoured) {
  auto jwk = With(With(With(kEcP256, "kid", "k-1"), "use", "sig"), "key_ops", {"verify"});
  auto verifier = ImportPublicJwk(jwk);
  ASSERT_TRUE(verifier) << verifier.error().message();
  EXPECT_EQ(verifier->kid(), "k-1");
}

TEST(JwkImportTest, GeneratedP384KeyRoundTripsThroughPublicJwk) {
  auto key = keys::PrivateKey::Generate(Algorithm::kEs384);
  ASSERT_TRUE(key);
  auto jwk = PublicJwk::FromPublicKey(key->public_key(), "p384");
  ASSERT_TRUE(jwk);
  EXPECT_EQ(jwk->crv, "P-384");
  EXPECT_EQ(keys::Base64UrlDecode(jwk->x)->size(), 48u);
  auto verifier = ImportPublicJwk(jwk->ToJson());
  ASSERT_TRUE(verifier) << verifier.error().message();
  EXPECT_EQ(verifier->algorithm(), Algorithm::kEs384);
  EXPECT_EQ(verifier->kid(), "p384");
}

TEST(JwkImportTest, Import_RejectsNonObject) {
  EXPECT_EQ(ImportError(nlohmann::json::array()), Errc::kNotAnObject);
  EXPECT_EQ(ImportError("RSA"), Errc::kNotAnObject);
}

TEST(JwkImportTest, Import_RejectsPrivateMembers) {
  for (const char* member : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}) {
    EXPECT_EQ(ImportError(With(kRsa, member, "AQAB")), Errc::kPrivateMemberPresent) << member;
  }
  EXPECT_EQ(ImportError(With(kEcP256, "d", "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI")),
            Errc::kPrivateMemberPresent);
}

TEST(JwkImportTest, Import_RejectsMissingMembers) {
  auto no_kty = kRsa;
  no_kty.erase("kty");
  EXPECT_EQ(ImportError(no_kty), Errc::kMissingMember);
  auto no_n = kRsa;
  no_n.erase("n");
  EXPECT_EQ(ImportError(no_n), Errc::kMissingMember);
  auto no_y = kEcP256;
  no_y.erase("y");
  EXPECT_EQ(ImportError(no_y), Errc::kMissingMember);
  auto no_crv = kOkp;
  no_crv.erase("crv");
  EXPECT_EQ(ImportError(no_crv), Errc::kMissingMember);
}

TEST(JwkImportTest, Import_RejectsMembersOfWrongType) {
  EXPECT_EQ(ImportError(With(kRsa, "n", 12345)), Errc::kMemberWrongType);
  EXPECT_EQ(ImportError(With(kRsa, "kty", nlohmann::json::array())), Errc::kMemberWrongType);
  EXPECT_EQ(ImportError(With(kRsa, "kid", 7)), Errc::kMemberWrongType);
  EXPECT_EQ(ImportError(With(kRsa, "key_ops", "verify")), Errc::kMemberWrongType);
}

TEST(JwkImportTest, Import_RejectsNonCanonicalBase64url) {
  EXPECT_EQ(ImportError(With(kRsa, "e", "AQAB=")), Errc::kBadBase64url);
  EXPECT_EQ(ImportError(With(kEcP256, "x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU=")),
            Errc::kBadBase64url);
  EXPECT_EQ(ImportError(With(kOkp, "x", "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo")),
            Errc::kBadBase64url);
}

TEST(JwkImportTest, Import_RejectsUnsupportedKeyType) {
  EXPECT_EQ(ImportError({{"kty", "oct"}, {"alg", "HS256"}}), Errc::kUnsupportedKeyType);
  EXPECT_EQ(ImportError(With(kRsa, "kty", "rsa")), Errc::kUnsupportedKeyType);  // case-sensitive
}

TEST(JwkImportTest, Import_RejectsUnsupportedCurve) {
  EXPECT_EQ(ImportError(With(kEcP256, "crv", "P-521")), Errc::kUnsupportedCurve);
  EXPECT_EQ(ImportError(With(kEcP256, "crv", "secp256k1")), Errc::kUnsupportedCurve);
  EXPECT_EQ(ImportError(With(kOkp, "crv", "Ed448")), Errc::kUnsupportedCurve);
  EXPECT_EQ(ImportError(With(kOkp, "crv", "X25519")), Errc::kUnsupportedCurve);
}

TEST(JwkImportTest, Import_RejectsUnsupportedAlgorithm) {
  EXPECT_EQ(ImportError(With(kRsa, "alg", "RS384")), Errc::kUnsupportedAlgorithm);
  EXPECT_EQ(ImportError(With(kRsa, "alg", "none")), Errc::kUnsupportedAlgorithm);
  EXPECT_EQ(ImportError(With(kEcP256, "alg", "HS256")), Errc::kUnsupportedAlgorithm);
  EXPECT_EQ(ImportError(With(kRsa, "alg", "rs256")), Errc::kUnsupportedAlgorithm);
}

TEST(JwkImportTest, Import_RejectsAlgThatDoesNotFitTheKey) {
  EXPECT_EQ(ImportError(With(kEcP256, "alg", "ES384")), Errc::kAlgKeyMismatch);
  EXPECT_EQ(ImportError(With(kEcP256, "alg", "RS256")), Errc::kAlgKeyMismatch);
  EXPECT_EQ(ImportError(With(kRsa, "alg", "EdDSA")), Errc::kAlgKeyMismatch);
  EXPECT_EQ(ImportError(With(kOkp, "alg", "ES256")), Errc::kAlgKeyMismatch);
}

TEST(JwkImportTest, Import_RejectsUseOtherThanSig) {
  EXPECT_EQ(ImportError(With(kRsa, "use", "enc")), Errc::kWrongUse);
  EXPECT_EQ(ImportError(With(kRsa, "use", "SIG")), Errc::kWrongUse);
}

TEST(JwkImportTest, Import_RejectsKeyOpsWithoutVerify) {
  EXPECT_EQ(ImportError(With(kRsa, "key_ops", {"encrypt"})), Errc::kKeyOpsWithoutVerify);
  EXPECT_EQ(ImportError(With(kRsa, "key_ops", nlohmann::json::array())),
            Errc::kKeyOpsWithoutVerify);
  EXPECT_EQ(ImportError(With(kRsa, "key_ops", {"verify", 1})), Errc::kMemberWrongType);
}

TEST(JwkImportTest, Import_RejectsCoordinatesOfWrongLength) {
  // 31 bytes instead of 32: a leading zero must not be stripped (RFC 7518 §6.2.1.2).
  const std::string short_x = keys::Base64UrlEncode(std::string(31, '\x01'));
  EXPECT_EQ(ImportError(With(kEcP256, "x", short_x)), Errc::kWrongCoordinateLength);
  const std::string long_x = keys::Base64UrlEncode(std::string(33, '\x01'));
  EXPECT_EQ(ImportError(With(kEcP256, "x", long_x)), Errc::kWrongCoordinateLength);
  EXPECT_EQ(ImportError(With(kOkp, "x", keys::Base64UrlEncode(std::string(31, 'a')))),
            Errc::kWrongCoordinateLength);
}

TEST(JwkImportTest, Import_RejectsPointNotOnCurve) {
  // RFC 7515 A.3's y with its last byte changed.
  EXPECT_EQ(ImportError(With(kEcP256, "y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a4")),
            Errc::kPointNotOnCurve);
  const std::string zeros = keys::Base64UrlEncode(std::string(32, '\0'));
  EXPECT_EQ(ImportError(With(With(kEcP256, "x", zeros), "y", zeros)), Errc::kPointNotOnCurve);
}

TEST(JwkImportTest, Import_RejectsWeakRsaKey) {
  auto small = kRsa;
  small["n"] = keys::Base64UrlEncode(std::string("\xc1") + std::string(127, '\x35'));  // 1024 bits
  EXPECT_EQ(ImportError(small), Errc::kWeakKey);
}

TEST(JwkImportTest, Import_RejectsBadExponent) {
  EXPECT_EQ(ImportError(With(kRsa, "e", "AQ")), Errc::kBadExponent);    // e = 1
  EXPECT_EQ(ImportError(With(kRsa, "e", "AQAA")), Errc::kBadExponent);  // e even
  EXPECT_EQ(ImportError(With(kRsa, "e", keys::Base64UrlEncode(std::string(9, '\x01')))),
            Errc::kBadExponent);  // 65+ bits
}

TEST(JwkImportTest, Import_RejectsOversizedRsaKey) {
  std::string n(1025, '\x35');  // 8200 bits
  n[0] = '\x01';
  n.back() = '\x37';
  EXPECT_EQ(ImportError(With(kRsa, "n", keys::Base64UrlEncode(n))), Errc::kKeyRejected);
}

TEST(JwkImportTest, ErrorMessagesNameTheRule) {
  EXPECT_EQ(make_error_code(Errc::kPrivateMemberPresent).message(),
            "JWK carries private key members");
}

}  // namespace
}  // namespace signet::jwks

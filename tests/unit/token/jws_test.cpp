// One crafted token per JWS rejection reason, each asserting its token::Errc.

#include "token/jws.hpp"

#include <gtest/gtest.h>

#include "jwks/jwk_set.hpp"
#include "keys/base64url.hpp"
#include "tests/unit/token/test_support.hpp"

namespace signet::token {
namespace {

using keys::Algorithm;
using testing::ForgeToken;
using testing::GenerateKeyPair;
using testing::KeyPair;
using testing::WithSignature;

constexpr std::string_view kPayload = R"({"sub":"alice"})";

class JwsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rs256_ = new KeyPair(GenerateKeyPair(Algorithm::kRs256, "rsa-1"));
    es256_ = new KeyPair(GenerateKeyPair(Algorithm::kEs256, "ec-1"));
  }
  static void TearDownTestSuite() {
    delete rs256_;
    delete es256_;
  }
  static jwks::JwkSet Keys() {
    auto set = jwks::JwkSet::FromVerifiers({rs256_->verifier, es256_->verifier});
    return std::move(*set);
  }
  static boost::system::error_code Reject(std::string_view compact) {
    auto verified = VerifyCompact(compact, Keys());
    EXPECT_FALSE(verified) << "accepted: " << compact;
    return verified ? boost::system::error_code{} : verified.error();
  }

  static KeyPair* rs256_;
  static KeyPair* es256_;
};

KeyPair* JwsTest::rs256_ = nullptr;
KeyPair* JwsTest::es256_ = nullptr;

TEST_F(JwsTest, SignThenVerify_RoundTripsHeaderAndPayload) {
  auto compact = SignCompact(rs256_->signer, "at+jwt", kPayload);
  ASSERT_TRUE(compact);
  auto verified = VerifyCompact(*compact, Keys());
  ASSERT_TRUE(verified) << verified.error().message();
  EXPECT_EQ(verified->payload, kPayload);
  EXPECT_EQ(verified->header,
            nlohmann::json::parse(R"({"alg":"RS256","kid":"rsa-1","typ":"at+jwt"})"));
  EXPECT_EQ(verified->kid, "rsa-1");
  EXPECT_EQ(verified->alg, Algorithm::kRs256);
}

TEST_F(JwsTest, JwsSigner_EncodesHeaderOnceAndMatchesSignCompact) {
  auto jws_signer = JwsSigner::Create(es256_->signer, "at+jwt");
  ASSERT_TRUE(jws_signer);
  auto a = jws_signer->Sign(nlohmann::json{{"sub", "alice"}});
  auto b = SignCompact(es256_->signer, "at+jwt", kPayload);
  ASSERT_TRUE(a && b);
  // ECDSA is randomised: compare header and payload parts only.
  EXPECT_EQ(a->substr(0, a->rfind('.')), b->substr(0, b->rfind('.')));
  EXPECT_TRUE(VerifyCompact(*a, Keys()));
}

TEST_F(JwsTest, Verify_RejectsWrongNumberOfParts) {
  auto compact = *SignCompact(rs256_->signer, "", kPayload);
  EXPECT_EQ(Reject(""), Errc::kMalformed);
  EXPECT_EQ(Reject("abc"), Errc::kMalformed);
  EXPECT_EQ(Reject(compact.substr(0, compact.rfind('.'))), Errc::kMalformed);
  EXPECT_EQ(Reject(compact + "."), Errc::kMalformed);
  EXPECT_EQ(Reject(compact + ".e30"), Errc::kMalformed);
}

TEST_F(JwsTest, Verify_RejectsNonCanonicalBase64url) {
  const std::string compact = *SignCompact(rs256_->signer, "", kPayload);
  const size_t first = compact.find('.');
  EXPECT_EQ(Reject(compact + "="), Errc::kBadBase64url);  // padding
  EXPECT_EQ(Reject(compact.substr(0, first) + "=" + compact.substr(first)), Errc::kBadBase64url);
  EXPECT_EQ(Reject(" " + compact), Errc::kBadBase64url);  // whitespace
  std::string plus = compact;
  plus[first + 1] = '+';  // base64, not url
  EXPECT_EQ(Reject(plus), Errc::kBadBase64url);
  // "e30" is {} ; "e31" decodes to the same bytes with non-zero unused bits.
  const std::string payload_b64 = keys::Base64UrlEncode("{}");
  ASSERT_EQ(payload_b64, "e30");
  const std::string tail = compact.substr(compact.find('.', first + 1));
  EXPECT_EQ(Reject(compact.substr(0, first) + ".e31" + tail), Errc::kBadBase64url);
}

TEST_F(JwsTest, Verify_RejectsHeaderThatIsNotAJsonObject) {
  EXPECT_EQ(Reject(ForgeToken(rs256_->signer, "not json", kPayload)), Errc::kHeaderNotJson);
  EXPECT_EQ(Reject(ForgeToken(rs256_->signer, R"(["alg","RS256"])", kPayload)),
            Errc::kHeaderNotJson);
  EXPECT_EQ(Reject("." + keys::Base64UrlEncode(kPayload) + ".AAAA"), Errc::kHeaderNotJson);
}

TEST_F(JwsTest, Verify_RejectsMissingAlg) {
  EXPECT_EQ(Reject(ForgeToken(rs256_->signer, R"({"kid":"rsa-1"})", kPayload)), Errc::kAlgMissing);
}

TEST_F(JwsTest, Verify_RejectsAlgThatIsNotAString) {
  EXPECT_EQ(Reject(ForgeToken(rs256_->signer, R"({"alg":256,"kid":"rsa-1"})", kPayload)),
            Errc::kHeaderInvalid);
}

TEST_F(JwsTest, Verify_RejectsAlgNone) {
  const std::string unsigned_token =
      keys::Base64UrlEncode(R"({"alg":"none"})") + "." + keys::Base64UrlEncode(kPayload) + ".";
  EXPECT_EQ(Reject(unsigned_token), Errc::kAlgNone);
  // Even with a real signature and a known kid, and in any letter case.
  EXPECT_EQ(Reject(ForgeToken(rs256_->signer, R"({"alg":"none","kid":"rsa-1"})", kPayload)),
            Errc::kAlgNone);
  EXPECT_EQ(Reject(ForgeToken(rs256_->signer, R"({"alg":"NoNe","kid":"rsa-1"})", kPayload)),
            Errc::kAlgNone);
}

TEST_F(JwsTest, Verify_RejectsAlgMismatch_Rs256KeyWithPs256Header) {
  // Correctly signed by the RS256 key, but the header claims PS256: the key's algorithm runs
  // (and succeeds); the header disagrees with it.
  EXPECT_EQ(Reject(ForgeToken(rs256_->signer, R"({"alg":"PS256","kid":"rsa-1"})", kPayload)),
            Errc::kAlgMismatch);
}

TEST_F(JwsTest, Verify_RejectsAlgMismatch_Rs256KeyWithHs256Header) {
  EXPECT_EQ(Reject(ForgeToken(rs256_->signer, R"({"alg":"HS256","kid":"rsa-1"})", kPayload)),
            Errc::kAlgMismatch);
}

TEST_F(JwsTest, Verify_RejectsHmacSignatureMadeWithThePublicKeyBytes) {
  // Key confusion: a 32-byte "MAC" under an RS256 key never reaches an HMAC code path.
  const std::string token = keys::Base64UrlEncode(R"({"alg":"HS256","kid":"rsa-1"})") + "." +
                            keys::Base64UrlEncode(kPayload) + "." +
                            keys::Base64UrlEncode(std::string(32, '\x42'));
  EXPECT_EQ(Reject(token), Errc::kSignatureWrongLength);
}

TEST_F(JwsTest, Verify_RejectsUnknownCrit) {
  EXPECT_EQ(Reject(ForgeToken(rs256_->signer,
                              R"({"alg":"RS256","kid":"rsa-1","crit":["exp"],"exp":1})", kPayload)),
            Errc::kUnknownCrit);
  EXPECT_EQ(
      Reject(ForgeToken(rs256_->signer,
                        R"({"alg":"RS256","kid":"rsa-1","crit":["b64"],"b64":false})", kPayload)),
      Errc::kUnknownCrit);
}

TEST_F(JwsTest, Verify_RejectsEmptyOrMalformedCrit) {
  EXPECT_EQ(
      Reject(ForgeToken(rs256_->signer, R"({"alg":"RS256","kid":"rsa-1","crit":[]})", kPayload)),
      Errc::kCritInvalid);
  EXPECT_EQ(
      Reject(ForgeToken(rs256_->signer, R"({"alg":"RS256","kid":"rsa-1","crit":"x"})", kPayload)),
      Errc::kCritInvalid);
  EXPECT_EQ(
      Reject(ForgeToken(rs256_->signer, R"({"alg":"RS256","kid":"rsa-1","crit":[1]})", kPayload)),
      Errc::kCritInvalid);
}

TEST_F(JwsTest, Verify_RejectsUnknownKid) {
  auto other = GenerateKeyPair(Algorithm::kRs256, "rsa-2");
  EXPECT_EQ(Reject(*SignCompact(other.signer, "", kPayload)), Errc::kUnknownKid);
}

TEST_F(JwsTest, Verify_RejectsMissingKidWhenSeveralKeys) {
  EXPECT_EQ(Reject(ForgeToken(rs256_->signer, R"({"alg":"RS256"})", kPayload)), Errc::kKidMissing);
}

TEST_F(JwsTest, Verify_UsesTheOnlyKeyWhenKidIsAbsent) {
  auto set = jwks::JwkSet::FromVerifiers({rs256_->verifier});
  ASSERT_TRUE(set);
  EXPECT_TRUE(VerifyCompact(ForgeToken(rs256_->signer, R"({"alg":"RS256"})", kPayload), *set));
}

TEST_F(JwsTest, Verify_RejectsKidThatIsNotAString) {
  EXPECT_EQ(Reject(ForgeToken(rs256_->signer, R"({"alg":"RS256","kid":1})", kPayload)),
            Errc::kHeaderInvalid);
}

TEST_F(JwsTest, Verify_RejectsTypThatIsNotAString) {
  EXPECT_EQ(Reject(ForgeToken(rs256_->signer, R"({"alg":"RS256","kid":"rsa-1","typ":["JWT"]})",
                              kPayload)),
            Errc::kHeaderInvalid);
}

TEST_F(JwsTest, Verify_AcceptsWhitespaceInHeaderJson) {
  auto set = Keys();
  EXPECT_TRUE(VerifyCompact(
      ForgeToken(rs256_->signer, "{ \"alg\" : \"RS256\",\n \"kid\":\"rsa-1\" }", kPayload), set));
}

TEST_F(JwsTest, Verify_IgnoresEmbeddedJwkAndNeverUsesIt) {
  // The header names an attacker key; verification still uses the set's key for "ec-1".
  auto attacker = GenerateKeyPair(Algorithm::kEs256, "ec-1");
  const std::string header =
      R"({"alg":"ES256","kid":"ec-1","jwk":{"kty":"EC","crv":"P-256","x":"AA","y":"AA"},)"
      R"("jku":"https://attacker.example/jwks","x5u":"https://attacker.example/x5u"})";
  EXPECT_EQ(Reject(ForgeToken(attacker.signer, header, kPayload)), Errc::kSignatureInvalid);
}

TEST_F(JwsTest, Verify_RejectsSignatureOfWrongLength) {
  const std::string compact = *SignCompact(es256_->signer, "", kPayload);
  EXPECT_EQ(Reject(WithSignature(compact, std::string(63, '\x01'))), Errc::kSignatureWrongLength);
  EXPECT_EQ(Reject(WithSignature(compact, std::string(65, '\x01'))), Errc::kSignatureWrongLength);
  EXPECT_EQ(Reject(WithSignature(compact, "")), Errc::kSignatureWrongLength);
}

TEST_F(JwsTest, Verify_RejectsEcdsaRZero) {
  const std::string compact = *SignCompact(es256_->signer, "", kPayload);
  const std::string signature = *keys::Base64UrlDecode(compact.substr(compact.rfind('.') + 1));
  const std::string r_zero = std::string(32, '\0') + signature.substr(32);
  EXPECT_EQ(Reject(WithSignature(compact, r_zero)), Errc::kEcdsaScalarOutOfRange);
}

TEST_F(JwsTest, Verify_RejectsEcdsaSEqualToCurveOrder) {
  // P-256 group order n (SEC 2 §2.4.2).
  const std::string n = *keys::Base64UrlDecode("_____wAAAAD__________7zm-q2nF56E87nKwvxjJVE");
  ASSERT_EQ(n.size(), 32u);
  const std::string compact = *SignCompact(es256_->signer, "", kPayload);
  const std::string signature = *keys::Base64UrlDecode(compact.substr(compact.rfind('.') + 1));
  EXPECT_EQ(Reject(WithSignature(compact, signature.substr(0, 32) + n)),
            Errc::kEcdsaScalarOutOfRange);
}

TEST_F(JwsTest, Verify_RejectsModifiedPayload) {
  const std::string compact = *SignCompact(rs256_->signer, "", kPayload);
  const size_t first = compact.find('.');
  const size_t second = compact.find('.', first + 1);
  const std::string other = compact.substr(0, first + 1) +
                            keys::Base64UrlEncode(R"({"sub":"mallory"})") + compact.substr(second);
  EXPECT_EQ(Reject(other), Errc::kSignatureInvalid);
}

TEST_F(JwsTest, VerifySingleKey_RejectsOtherKid) {
  auto compact = *SignCompact(rs256_->signer, "", kPayload);
  EXPECT_TRUE(VerifyCompact(compact, rs256_->verifier));
  auto wrong = VerifyCompact(compact, es256_->verifier);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error(), Errc::kUnknownKid);
}

TEST_F(JwsTest, Sign_RejectsTypThatIsNotUtf8) {
  auto jws_signer = JwsSigner::Create(rs256_->signer, "\xff\xfe");
  ASSERT_FALSE(jws_signer);
  EXPECT_EQ(jws_signer.error(), Errc::kHeaderInvalid);
}

TEST_F(JwsTest, ErrorMessagesNameTheRule) {
  EXPECT_EQ(make_error_code(Errc::kAlgNone).message(), "alg none is not accepted");
  EXPECT_STREQ(make_error_code(Errc::kAlgNone).category().name(), "signet.token");
}

}  // namespace
}  // namespace signet::token

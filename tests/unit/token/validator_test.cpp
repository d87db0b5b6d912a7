// Claims validation with an injected clock: exp, nbf, iat, iss, aud, typ and their types.

#include "token/validator.hpp"

#include <gtest/gtest.h>

#include "jwks/jwk_set.hpp"
#include "tests/unit/token/test_support.hpp"
#include "token/jwt.hpp"

namespace signet::token {
namespace {

using keys::Algorithm;
using std::chrono::seconds;
using testing::GenerateKeyPair;
using testing::KeyPair;

constexpr std::int64_t kNow = 1'800'000'000;  // the injected "now"
constexpr const char* kIssuer = "https://id.example.com";
constexpr const char* kApi = "https://api.example.com";

std::chrono::system_clock::time_point At(std::int64_t t) {
  return std::chrono::system_clock::time_point(seconds(t));
}

class ValidatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { key_ = new KeyPair(GenerateKeyPair(Algorithm::kEs256, "k1")); }
  static void TearDownTestSuite() { delete key_; }

  static nlohmann::json ValidClaims() {
    return {{"iss", kIssuer}, {"sub", "alice"}, {"aud", kApi},     {"exp", kNow + 600},
            {"iat", kNow},    {"nbf", kNow},    {"jti", "token-1"}};
  }
  static ValidatorOptions Options() {
    ValidatorOptions options;
    options.issuer = kIssuer;
    options.audiences = {kApi};
    options.leeway = seconds(30);
    options.typ = "at+jwt";
    return options;
  }
  static Validator MakeValidator(ValidatorOptions options = Options()) {
    return *Validator::Create(std::move(options), [] { return At(kNow); });
  }
  static std::string Mint(const nlohmann::json& claims, std::string_view typ = "at+jwt") {
    return *MintJwt(key_->signer, typ, claims);
  }
  static Result<VerifiedJwt> Check(const std::string& token,
                                   const Validator& validator = MakeValidator()) {
    auto set = jwks::JwkSet::FromVerifiers({key_->verifier});
    return validator.Verify(token, *set);
  }
  static boost::system::error_code Reject(const nlohmann::json& claims,
                                          std::string_view typ = "at+jwt") {
    auto result = Check(Mint(claims, typ));
    EXPECT_FALSE(result);
    return result ? boost::system::error_code{} : result.error();
  }

  static KeyPair* key_;
};

KeyPair* ValidatorTest::key_ = nullptr;

TEST_F(ValidatorTest, AcceptsValidAccessToken) {
  auto jwt = Check(Mint(ValidClaims()));
  ASSERT_TRUE(jwt) << jwt.error().message();
  EXPECT_EQ(jwt->subject(), "alice");
  EXPECT_EQ(jwt->issuer(), kIssuer);
  EXPECT_EQ(jwt->jwt_id(), "token-1");
  EXPECT_EQ(jwt->kid(), "k1");
  EXPECT_EQ(jwt->algorithm(), Algorithm::kEs256);
  EXPECT_EQ(jwt->expiration(), static_cast<double>(kNow + 600));
  EXPECT_EQ(jwt->header().at("typ"), "at+jwt");
}

TEST_F(ValidatorTest, Verify_RejectsExpired) {
  auto claims = ValidClaims();
  claims["exp"] = kNow - 30;  // exactly at the leeway boundary: now >= exp + leeway
  EXPECT_EQ(Reject(claims), Errc::kExpired);
  claims["exp"] = kNow - 29;
  EXPECT_TRUE(Check(Mint(claims)));
}

TEST_F(ValidatorTest, Verify_RejectsMissingExp) {
  auto claims = ValidClaims();
  claims.erase("exp");
  EXPECT_EQ(Reject(claims), Errc::kMissingClaim);
}

TEST_F(ValidatorTest, Verify_RejectsExpThatIsNotANumber) {
  auto claims = ValidClaims();
  claims["exp"] = std::to_string(kNow + 600);
  EXPECT_EQ(Reject(claims), Errc::kClaimWrongType);
}

TEST_F(ValidatorTest, Verify_AcceptsFractionalNumericDate) {
  auto claims = ValidClaims();
  claims["exp"] = static_cast<double>(kNow) + 0.5;
  EXPECT_TRUE(Check(Mint(claims)));
}

TEST_F(ValidatorTest, Verify_RejectsNotYetValid) {
  auto claims = ValidClaims();
  claims["nbf"] = kNow + 31;
  EXPECT_EQ(Reject(claims), Errc::kNotYetValid);
  claims["nbf"] = kNow + 30;  // within leeway
  EXPECT_TRUE(Check(Mint(claims)));
}

TEST_F(ValidatorTest, Verify_RejectsIssuedInFuture) {
  auto claims = ValidClaims();
  claims["iat"] = kNow + 31;
  EXPECT_EQ(Reject(claims), Errc::kIssuedInFuture);
}

TEST_F(ValidatorTest, Verify_RejectsWrongIssuer) {
  auto claims = ValidClaims();
  claims["iss"] = "https://id.example.com/";  // exact comparison: no URL normalisation
  EXPECT_EQ(Reject(claims), Errc::kIssuerMismatch);
  claims.erase("iss");
  EXPECT_EQ(Reject(claims), Errc::kMissingClaim);
  claims["iss"] = 7;
  EXPECT_EQ(Reject(claims), Errc::kClaimWrongType);
}

TEST_F(ValidatorTest, Verify_RejectsAudienceNotAllowed) {
  auto claims = ValidClaims();
  claims["aud"] = "https://other.example.com";
  EXPECT_EQ(Reject(claims), Errc::kAudienceNotAllowed);
  claims["aud"] = nlohmann::json::array({"https://a.example", "https://b.example"});
  EXPECT_EQ(Reject(claims), Errc::kAudienceNotAllowed);
  claims["aud"] = nlohmann::json::array();
  EXPECT_EQ(Reject(claims), Errc::kAudienceNotAllowed);
}

TEST_F(ValidatorTest, Verify_AcceptsAudienceArrayContainingAcceptedOne) {
  auto claims = ValidClaims();
  claims["aud"] = nlohmann::json::array({"https://other.example", kApi});
  EXPECT_TRUE(Check(Mint(claims)));
}

TEST_F(ValidatorTest, Verify_RejectsMissingOrMistypedAudience) {
  auto claims = ValidClaims();
  claims.erase("aud");
  EXPECT_EQ(Reject(claims), Errc::kMissingClaim);
  claims["aud"] = nlohmann::json::array({kApi, 3});
  EXPECT_EQ(Reject(claims), Errc::kClaimWrongType);
}

TEST_F(ValidatorTest, Verify_RejectsTypMismatch) {
  EXPECT_EQ(Reject(ValidClaims(), "JWT"), Errc::kTypMismatch);
  EXPECT_EQ(Reject(ValidClaims(), ""), Errc::kTypMismatch);  // typ absent
}

TEST_F(ValidatorTest, Verify_TypComparedAsMediaType) {
  EXPECT_TRUE(Check(Mint(ValidClaims(), "application/at+jwt")));
  EXPECT_TRUE(Check(Mint(ValidClaims(), "AT+JWT")));
}

TEST_F(ValidatorTest, Verify_RejectsPayloadThatIsNotAnObject) {
  auto set = jwks::JwkSet::FromVerifiers({key_->verifier});
  auto compact = SignCompact(key_->signer, "at+jwt", std::string_view("[1,2]"));
  auto result = MakeValidator().Verify(*compact, *set);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), Errc::kPayloadNotJson);
}

TEST_F(ValidatorTest, Verify_SkipsIssuerAudienceAndTypWhenNotConfigured) {
  ValidatorOptions options;
  auto claims = nlohmann::json{{"exp", kNow + 60}};
  EXPECT_TRUE(Check(Mint(claims, ""), MakeValidator(options)));
}

TEST_F(ValidatorTest, Verify_RejectsBadSignatureBeforeClaims) {
  std::string token = Mint(ValidClaims());
  token.back() = token.back() == 'A' ? 'Q' : 'A';
  auto result = Check(token);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), Errc::kSignatureInvalid);
}

TEST_F(ValidatorTest, Create_RejectsNegativeLeewayAndEmptyClock) {
  ValidatorOptions options;
  options.leeway = seconds(-1);
  auto negative = Validator::Create(options);
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error(), Errc::kInvalidOptions);
  auto no_clock = Validator::Create(ValidatorOptions{}, Clock{});
  ASSERT_FALSE(no_clock);
  EXPECT_EQ(no_clock.error(), Errc::kInvalidOptions);
}

TEST_F(ValidatorTest, MintJwt_RejectsClaimsThatAreNotAnObject) {
  auto jwt = MintJwt(key_->signer, "JWT", nlohmann::json::array());
  ASSERT_FALSE(jwt);
  EXPECT_EQ(jwt.error(), Errc::kPayloadNotJson);
}

TEST(JwtHelpersTest, ToNumericDateTruncatesToSeconds) {
  EXPECT_EQ(ToNumericDate(At(kNow) + std::chrono::milliseconds(999)), kNow);
}

}  // namespace
}  // namespace signet::token

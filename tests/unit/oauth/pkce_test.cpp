#include "oauth/pkce.hpp"

#include <string>

#include <gtest/gtest.h>

namespace signet::oauth {
namespace {

// RFC 7636 Appendix B.
constexpr std::string_view kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr std::string_view kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

TEST(Pkce, S256Challenge_MatchesRfc7636AppendixB) {
  EXPECT_EQ(S256Challenge(kVerifier), std::string(kChallenge));
}

TEST(Pkce, VerifyCodeVerifier_AcceptsTheAppendixBPair) {
  EXPECT_TRUE(VerifyCodeVerifier(kVerifier, kChallenge).has_value());
}

TEST(Pkce, VerifyCodeVerifier_WrongVerifierIsInvalidGrant) {
  std::string other(kVerifier);
  other.back() = other.back() == 'k' ? 'j' : 'k';
  auto result = VerifyCodeVerifier(other, kChallenge);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidGrant);
}

TEST(Pkce, VerifyCodeVerifier_PlainComparisonDoesNotPass) {
  // The challenge itself is a well-formed verifier, but S256 of it is not the challenge.
  auto result = VerifyCodeVerifier(kChallenge, kChallenge);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidGrant);
}

TEST(Pkce, VerifyCodeVerifier_MalformedVerifierIsInvalidRequest) {
  for (const std::string& verifier :
       {std::string(42, 'a'), std::string(129, 'a'), std::string(kVerifier) + "+",
        std::string(kVerifier.substr(1)) + "=", std::string(kVerifier.substr(1)) + " "}) {
    SCOPED_TRACE(verifier);
    auto result = VerifyCodeVerifier(verifier, kChallenge);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidRequest);
  }
}

TEST(Pkce, VerifyCodeVerifier_MissingVerifierForABoundCodeIsInvalidGrant) {
  auto result = VerifyCodeVerifier(std::nullopt, kChallenge);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidGrant);
}

TEST(Pkce, VerifyCodeVerifier_VerifierForACodeWithoutChallengeIsInvalidGrant) {
  auto result = VerifyCodeVerifier(kVerifier, std::nullopt);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidGrant);
}

TEST(Pkce, VerifyCodeVerifier_NeitherVerifierNorChallengeIsFine) {
  EXPECT_TRUE(VerifyCodeVerifier(std::nullopt, std::nullopt).has_value());
}

TEST(Pkce, IsValidPkceString_FollowsRfc7636Section41) {
  EXPECT_TRUE(IsValidPkceString(std::string(43, 'a')));
  EXPECT_TRUE(IsValidPkceString(std::string(128, '~')));
  EXPECT_TRUE(
      IsValidPkceString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"));
  EXPECT_FALSE(IsValidPkceString(std::string(42, 'a')));
  EXPECT_FALSE(IsValidPkceString(std::string(129, 'a')));
  EXPECT_FALSE(IsValidPkceString(std::string(42, 'a') + "/"));
  EXPECT_FALSE(IsValidPkceString(std::string(42, 'a') + "%"));
  EXPECT_FALSE(IsValidPkceString(std::string(42, 'a') + "\xC3"));
}

}  // namespace
}  // namespace signet::oauth

// signet token verify against a JWKS file and through the fetch hook.

#include <chrono>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "jwks/jwk_set.hpp"
#include "keys/private_key.hpp"
#include "keys/signer.hpp"
#include "keys/verifier.hpp"
#include "tests/unit/cli/cli_runner.hpp"
#include "token/jwt.hpp"

namespace signet::cli {
namespace {

using testing::CliRunner;
using testing::TempDir;

constexpr const char* kIssuer = "https://id.example.com";
constexpr const char* kAudience = "https://api.example.com";

class TokenVerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = keys::PrivateKey::Generate(keys::Algorithm::kEs256);
    ASSERT_TRUE(key);
    auto signer = keys::Signer::Create(*key, "kid-1");
    ASSERT_TRUE(signer);
    signer_.emplace(std::move(*signer));
    auto verifier = keys::Verifier::Create(key->public_key(), "kid-1");
    ASSERT_TRUE(verifier);
    std::vector<keys::Verifier> verifiers{*verifier};
    auto document = jwks::BuildJwksDocument(verifiers);
    ASSERT_TRUE(document);
    jwks_document_ = *document;
    jwks_file_ = dir_.Write("jwks.json", jwks_document_);
  }

  std::string Mint(std::chrono::seconds lifetime, const std::string& aud = kAudience) const {
    const auto now = std::chrono::system_clock::now();
    nlohmann::json claims = {{"iss", kIssuer},
                             {"sub", "alice"},
                             {"aud", aud},
                             {"iat", token::ToNumericDate(now)},
                             {"exp", token::ToNumericDate(now + lifetime)}};
    auto jwt = token::MintJwt(*signer_, token::kTypAccessToken, claims);
    EXPECT_TRUE(jwt);
    return jwt ? *jwt : std::string();
  }

  TempDir dir_;
  std::optional<keys::Signer> signer_;
  std::string jwks_document_;
  std::string jwks_file_;
};

TEST_F(TokenVerifyTest, ValidTokenPrintsClaimsAndExitsZero) {
  auto run = CliRunner().Run({"token", "verify", "--jwks", jwks_file_, "--aud", kAudience, "--iss",
                              kIssuer, Mint(std::chrono::minutes(5))});
  ASSERT_EQ(run.status, kExitOk) << run.err;
  const auto claims = nlohmann::json::parse(run.out);
  EXPECT_EQ(claims["sub"], "alice");
  EXPECT_NE(run.out.find("\n  \"sub\""), std::string::npos) << "claims are pretty-printed";
}

TEST_F(TokenVerifyTest, TokenFromStdinWithDash) {
  auto run = CliRunner()
                 .Stdin(Mint(std::chrono::minutes(5)) + "\n")
                 .Run({"token", "verify", "--jwks", jwks_file_, "-"});
  EXPECT_EQ(run.status, kExitOk) << run.err;
}

TEST_F(TokenVerifyTest, WrongAudienceExitsOneWithReason) {
  auto run = CliRunner().Run({"token", "verify", "--jwks", jwks_file_, "--aud",
                              "https://other.example.com", Mint(std::chrono::minutes(5))});
  EXPECT_EQ(run.status, kExitFailure);
  EXPECT_NE(run.err.find("token rejected"), std::string::npos);
  EXPECT_NE(run.err.find(token::make_error_code(token::Errc::kAudienceNotAllowed).message()),
            std::string::npos)
      << run.err;
  EXPECT_TRUE(run.out.empty());
}

TEST_F(TokenVerifyTest, WrongIssuerExitsOne) {
  auto run = CliRunner().Run({"token", "verify", "--jwks", jwks_file_, "--iss",
                              "https://evil.example.com", Mint(std::chrono::minutes(5))});
  EXPECT_EQ(run.status, kExitFailure);
  EXPECT_NE(run.err.find(token::make_error_code(token::Errc::kIssuerMismatch).message()),
            std::string::npos);
}

TEST_F(TokenVerifyTest, ExpiredTokenExitsOne) {
  auto run =
      CliRunner().Run({"token", "verify", "--jwks", jwks_file_, Mint(std::chrono::seconds(-3600))});
  EXPECT_EQ(run.status, kExitFailure);
  EXPECT_NE(run.err.find(token::make_error_code(token::Errc::kExpired).message()),
            std::string::npos);
}

TEST_F(TokenVerifyTest, TamperedTokenExitsOne) {
  std::string jwt = Mint(std::chrono::minutes(5));
  jwt.back() = jwt.back() == 'A' ? 'B' : 'A';
  auto run = CliRunner().Run({"token", "verify", "--jwks", jwks_file_, jwt});
  EXPECT_EQ(run.status, kExitFailure);
}

TEST_F(TokenVerifyTest, JwksUrlIsFetchedThroughHook) {
  CliRunner runner;
  std::string fetched;
  runner.hooks().fetch_url = [&](const std::string& url) -> boost::system::result<std::string> {
    fetched = url;
    return jwks_document_;
  };
  auto run =
      runner.Run({"token", "verify", "--jwks", "https://id.example.com/.well-known/jwks.json",
                  Mint(std::chrono::minutes(5))});
  EXPECT_EQ(run.status, kExitOk) << run.err;
  EXPECT_EQ(fetched, "https://id.example.com/.well-known/jwks.json");
}

TEST_F(TokenVerifyTest, JwksUrlWithoutFetchHookExitsTwo) {
  auto run = CliRunner().Run(
      {"token", "verify", "--jwks", "https://id.example.com/jwks", Mint(std::chrono::minutes(5))});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_NE(run.err.find("fetching URLs is not available"), std::string::npos);
}

TEST_F(TokenVerifyTest, UnreadableOrInvalidJwksExitsTwo) {
  EXPECT_EQ(CliRunner().Run({"token", "verify", "--jwks", "/nonexistent.json", "x.y.z"}).status,
            kExitUsage);
  const std::string bad = dir_.Write("bad.json", "{\"keys\": 5}");
  EXPECT_EQ(CliRunner().Run({"token", "verify", "--jwks", bad, "x.y.z"}).status, kExitUsage);
}

// More on --revocations in token_verify_revocations_test.cpp.
TEST_F(TokenVerifyTest, RevocationsUrlWithoutFetchHookExitsTwo) {
  auto run =
      CliRunner().Run({"token", "verify", "--jwks", jwks_file_, "--revocations",
                       "https://id.example.com/oauth2/revocations", Mint(std::chrono::minutes(5))});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_NE(run.err.find("revocation feed: fetching URLs is not available"), std::string::npos);
}

TEST_F(TokenVerifyTest, MissingTokenOrJwksIsUsageError) {
  EXPECT_EQ(CliRunner().Run({"token", "verify", "--jwks", jwks_file_}).status, kExitUsage);
  EXPECT_EQ(CliRunner().Run({"token", "verify", "x.y.z"}).status, kExitUsage);
}

}  // namespace
}  // namespace signet::cli

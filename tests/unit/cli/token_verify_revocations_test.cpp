// signet token verify --revocations: the feed is verified against the JWKS (signature, typ,
// iss, exp) and a token it lists is refused; a feed that fails verification never reads as
// "not revoked".

#include <chrono>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "jwks/jwk_set.hpp"
#include "keys/private_key.hpp"
#include "keys/signer.hpp"
#include "keys/verifier.hpp"
#include "oauth/revocation_list.hpp"
#include "tests/unit/cli/cli_runner.hpp"
#include "token/jwt.hpp"

namespace signet::cli {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using testing::CliRun;
using testing::CliRunner;
using testing::TempDir;

constexpr const char* kIssuer = "https://id.example.com";
constexpr const char* kJwksUrl = "https://id.example.com/.well-known/jwks.json";
constexpr const char* kFeedUrl = "https://id.example.com/oauth2/revocations";

keys::Signer NewSigner(const std::string& kid) {
  auto key = keys::PrivateKey::Generate(keys::Algorithm::kEs256);
  EXPECT_TRUE(key);
  auto signer = keys::Signer::Create(*key, kid);
  EXPECT_TRUE(signer);
  return std::move(*signer);
}

class TokenVerifyRevocationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = keys::PrivateKey::Generate(keys::Algorithm::kEs256);
    ASSERT_TRUE(key);
    auto signer = keys::Signer::Create(*key, "kid-1");
    ASSERT_TRUE(signer);
    signer_.emplace(std::move(*signer));
    auto public_key = keys::Verifier::Create(key->public_key(), "kid-1");
    ASSERT_TRUE(public_key);
    std::vector<keys::Verifier> verifiers{*public_key};
    auto document = jwks::BuildJwksDocument(verifiers);
    ASSERT_TRUE(document);
    jwks_document_ = *document;
    jwks_file_ = dir_.Write("jwks.json", jwks_document_);
  }

  static std::int64_t Now() { return token::ToNumericDate(std::chrono::system_clock::now()); }

  // An access token of `sub` with this jti, issued `age` ago.
  std::string Token(const std::string& jti, const std::string& sub = "alice",
                    seconds age = seconds(0)) const {
    nlohmann::json claims = {{"iss", kIssuer},
                             {"sub", sub},
                             {"aud", "https://api.example.com"},
                             {"jti", jti},
                             {"iat", Now() - age.count()},
                             {"exp", Now() + 600}};
    auto jwt = token::MintJwt(*signer_, token::kTypAccessToken, claims);
    EXPECT_TRUE(jwt);
    return jwt ? *jwt : std::string();
  }

  static oauth::RevocationList List() {
    oauth::RevocationList list;
    list.issuer = kIssuer;
    list.issued_at = Now();
    list.expires_at = Now() + 300;
    list.revision = 7;
    list.jtis = {{"revoked-jti", Now() + 900}};
    list.subjects = {{"bob", Now() - 60, Now() + 900}};
    return list;
  }

  // The feed as signet signs it, by `signer` (default: the JWKS key) with `typ`.
  std::string Feed(const oauth::RevocationList& list, const keys::Signer* signer = nullptr,
                   std::string_view typ = oauth::kTypRevocationList) const {
    auto jwt = token::MintJwt(signer != nullptr ? *signer : *signer_, typ,
                              nlohmann::json::parse(oauth::RevocationListPayload(list)));
    EXPECT_TRUE(jwt);
    return jwt ? *jwt : std::string();
  }

  CliRun Verify(const std::string& feed_text, const std::string& token,
                std::vector<std::string> extra = {}) {
    const std::string feed_file = dir_.Write("feed.jwt", feed_text + "\n");
    std::vector<std::string> args{"token",    "verify",        "--jwks",
                                  jwks_file_, "--revocations", feed_file};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(token);
    return CliRunner().Run(args);
  }

  static void ExpectRejectedFeed(const CliRun& run, std::string_view reason) {
    EXPECT_EQ(run.status, kExitFailure) << run.err;
    EXPECT_TRUE(run.out.empty()) << "never printed as valid: " << run.out;
    EXPECT_NE(run.err.find("revocation feed rejected: " + std::string(reason)), std::string::npos)
        << run.err;
  }

  TempDir dir_;
  std::optional<keys::Signer> signer_;
  std::string jwks_document_;
  std::string jwks_file_;
};

TEST_F(TokenVerifyRevocationsTest, TokenNotListed_ExitsZeroWithClaims) {
  const CliRun run = Verify(Feed(List()), Token("fresh-jti"));
  ASSERT_EQ(run.status, kExitOk) << run.err;
  EXPECT_EQ(nlohmann::json::parse(run.out)["jti"], "fresh-jti");
}

TEST_F(TokenVerifyRevocationsTest, JtiListed_ExitsOneTokenRevoked) {
  const CliRun run = Verify(Feed(List()), Token("revoked-jti"));
  EXPECT_EQ(run.status, kExitFailure);
  EXPECT_TRUE(run.out.empty());
  EXPECT_NE(run.err.find("token revoked (jti listed in the revocation feed)"), std::string::npos)
      << run.err;
}

TEST_F(TokenVerifyRevocationsTest, SubjectCutOff_RefusesEarlierTokensOnly) {
  const CliRun earlier = Verify(Feed(List()), Token("jti-1", "bob", seconds(120)));
  EXPECT_EQ(earlier.status, kExitFailure);
  EXPECT_NE(earlier.err.find("token revoked (subject cut-off"), std::string::npos) << earlier.err;
  const CliRun later = Verify(Feed(List()), Token("jti-2", "bob"));
  EXPECT_EQ(later.status, kExitOk) << later.err;
}

TEST_F(TokenVerifyRevocationsTest, FeedAndJwksUrlsAreFetchedThroughHook) {
  CliRunner runner;
  std::vector<std::string> fetched;
  const std::string feed = Feed(List());
  runner.hooks().fetch_url = [&](const std::string& url) -> boost::system::result<std::string> {
    fetched.push_back(url);
    return url == kFeedUrl ? feed : jwks_document_;
  };
  const CliRun run = runner.Run(
      {"token", "verify", "--jwks", kJwksUrl, "--revocations", kFeedUrl, Token("revoked-jti")});
  EXPECT_EQ(run.status, kExitFailure);
  EXPECT_NE(run.err.find("token revoked"), std::string::npos) << run.err;
  EXPECT_EQ(fetched, (std::vector<std::string>{kJwksUrl, kFeedUrl}));
}

TEST_F(TokenVerifyRevocationsTest, FeedWithAccessTokenTyp_IsRejected) {
  ExpectRejectedFeed(Verify(Feed(List(), nullptr, token::kTypAccessToken), Token("fresh-jti")),
                     token::make_error_code(token::Errc::kTypMismatch).message());
}

TEST_F(TokenVerifyRevocationsTest, AccessTokenPassedAsFeed_IsRejected) {
  ExpectRejectedFeed(Verify(Token("other"), Token("fresh-jti")),
                     token::make_error_code(token::Errc::kTypMismatch).message());
}

TEST_F(TokenVerifyRevocationsTest, FeedOfAnotherIssuer_IsRejected) {
  oauth::RevocationList list = List();
  list.issuer = "https://evil.example.com";
  const std::string feed = Feed(list);
  const std::string issuer_mismatch =
      token::make_error_code(token::Errc::kIssuerMismatch).message();
  ExpectRejectedFeed(Verify(feed, Token("fresh-jti")), issuer_mismatch);
  ExpectRejectedFeed(Verify(feed, Token("fresh-jti"), {"--iss", kIssuer}), issuer_mismatch);
}

TEST_F(TokenVerifyRevocationsTest, ExpiredFeed_IsRejected) {
  oauth::RevocationList list = List();
  list.issued_at = Now() - 3600;
  list.expires_at = Now() - 3300;
  ExpectRejectedFeed(Verify(Feed(list), Token("fresh-jti")),
                     token::make_error_code(token::Errc::kExpired).message());
}

TEST_F(TokenVerifyRevocationsTest, FeedSignedByKeyOutsideJwks_IsRejected) {
  const keys::Signer stranger = NewSigner("kid-1");  // same kid, other key
  ExpectRejectedFeed(Verify(Feed(List(), &stranger), Token("fresh-jti")),
                     token::make_error_code(token::Errc::kSignatureInvalid).message());
}

TEST_F(TokenVerifyRevocationsTest, TamperedFeed_IsRejected) {
  std::string feed = Feed(List());
  feed[feed.find('.') + 5] = feed[feed.find('.') + 5] == 'A' ? 'B' : 'A';
  const CliRun run = Verify(feed, Token("fresh-jti"));
  EXPECT_EQ(run.status, kExitFailure);
  EXPECT_TRUE(run.out.empty());
  EXPECT_NE(run.err.find("revocation feed rejected"), std::string::npos) << run.err;
}

TEST_F(TokenVerifyRevocationsTest, FeedWithoutJtisClaim_IsRejected) {
  nlohmann::json claims = nlohmann::json::parse(oauth::RevocationListPayload(List()));
  claims.erase("jtis");
  auto feed = token::MintJwt(*signer_, oauth::kTypRevocationList, claims);
  ASSERT_TRUE(feed);
  ExpectRejectedFeed(Verify(*feed, Token("fresh-jti")),
                     oauth::make_error_code(oauth::RevocationListErrc::kMissingClaim).message());
}

TEST_F(TokenVerifyRevocationsTest, UnreadableFeed_ExitsTwo) {
  const CliRun run = CliRunner().Run({"token", "verify", "--jwks", jwks_file_, "--revocations",
                                      "/nonexistent/feed.jwt", Token("fresh-jti")});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_NE(run.err.find("revocation feed: cannot open"), std::string::npos) << run.err;
}

TEST_F(TokenVerifyRevocationsTest, FeedFetchFailure_ExitsTwoNeverValid) {
  CliRunner runner;
  runner.hooks().fetch_url = [&](const std::string& url) -> boost::system::result<std::string> {
    if (url == kFeedUrl)
      return boost::system::errc::make_error_code(boost::system::errc::timed_out);
    return jwks_document_;
  };
  const CliRun run = runner.Run(
      {"token", "verify", "--jwks", kJwksUrl, "--revocations", kFeedUrl, Token("fresh-jti")});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_TRUE(run.out.empty());
}

TEST_F(TokenVerifyRevocationsTest, HelpDescribesRevocations) {
  const CliRun run = CliRunner().Run({"token", "verify", "--help"});
  EXPECT_EQ(run.status, kExitOk);
  EXPECT_NE(run.out.find("--revocations URL_OR_FILE"), std::string::npos);
  EXPECT_NE(run.out.find("revocation-list+jwt"), std::string::npos);
  EXPECT_EQ(run.out.find("not supported"), std::string::npos);
}

}  // namespace
}  // namespace signet::cli

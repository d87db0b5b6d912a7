// oauth::IdTokenIssuer (OIDC Core §2, §3.1.3.6) and oauth::TokenHash, verified with the key
// ring's keys::Verifier.
#include "oauth/id_token_issuer.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "keys/base64url.hpp"
#include "keys/key_ring.hpp"
#include "keys/private_key.hpp"
#include "oauth/access_token_verifier.hpp"
#include "oauth/token_hash.hpp"
#include "token/jws.hpp"
#include "token/jwt.hpp"

namespace signet::oauth {
namespace {

using std::chrono::seconds;
using TimePoint = std::chrono::system_clock::time_point;

constexpr std::int64_t kNow = 1'700'000'000;
constexpr std::int64_t kLogin = kNow - 120;
constexpr std::string_view kIssuer = "https://id.example.com";
constexpr std::string_view kAccessToken = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

// One key per algorithm, generated once for the whole suite (RSA generation is slow).
const keys::KeyRing& SharedRing() {
  static const std::unique_ptr<keys::KeyRing> ring = [] {
    auto built = std::make_unique<keys::KeyRing>();
    const TimePoint start(seconds(kNow - 3600));
    std::vector<keys::KeyEntry> entries;
    for (keys::Algorithm alg : {keys::Algorithm::kEs256, keys::Algorithm::kEs384,
                                keys::Algorithm::kEdDsa, keys::Algorithm::kRs256}) {
      auto key = keys::PrivateKey::Generate(alg);
      EXPECT_TRUE(key);
      auto entry = keys::MakeKeyEntry(std::move(*key), keys::KeyState::kActive, start, start,
                                      start + std::chrono::hours(48));
      EXPECT_TRUE(entry);
      entries.push_back(std::move(*entry));
    }
    EXPECT_TRUE(built->Replace(std::move(entries)));
    return built;
  }();
  return *ring;
}

config::Client ClientWith(std::string id, std::optional<keys::Algorithm> id_alg) {
  config::Client client;
  client.client_id = std::move(id);
  client.grant_types = {config::GrantType::kAuthorizationCode};
  client.id_token_signed_response_alg = id_alg;
  return client;
}

config::Config IdConfig() {
  config::Config config;
  config.issuer = std::string(kIssuer);
  config.tokens.id_token_ttl = seconds(600);
  config.tokens.access_token_ttl = seconds(900);
  config.tokens.signing_alg = keys::Algorithm::kEs256;
  config.keys.algorithms = {keys::Algorithm::kEs256, keys::Algorithm::kEs384,
                            keys::Algorithm::kEdDsa, keys::Algorithm::kRs256};
  config.clients = {ClientWith("web", std::nullopt), ClientWith("es384", keys::Algorithm::kEs384),
                    ClientWith("ed", keys::Algorithm::kEdDsa),
                    ClientWith("rsa", keys::Algorithm::kRs256)};
  config::User alice;
  alice.username = "alice";
  alice.password = "pw";
  alice.claims_json = R"({"name":"Alice","email":"alice@example.com","email_verified":true,)"
                      R"("groups":["admins"]})";
  config.users = {alice};
  return config;
}

// The left half of `md`(value), base64url: computed here with OpenSSL, independently of
// oauth::TokenHash.
std::string LeftHalfHash(std::string_view value, const EVP_MD* md) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EXPECT_EQ(EVP_Digest(value.data(), value.size(), digest, &length, md, nullptr), 1);
  return keys::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest), length / 2));
}

class IdTokenIssuerTest : public ::testing::Test {
 protected:
  IdTokenIssuerTest()
      : config_(IdConfig()),
        users_(*UserClaimsRegistry::Create(config_.users)),
        issuer_(config_, KeyRingSigners(SharedRing()), users_,
                [] { return TimePoint(seconds(kNow)); }) {}

  const config::Client& Client(std::string_view id) const {
    for (const config::Client& client : config_.clients) {
      if (client.client_id == id) return client;
    }
    throw std::logic_error("no such client");
  }

  IdTokenClaims Claims(std::string_view client_id) const {
    return {.subject = "alice",
            .client = &Client(client_id),
            .auth_time = TimePoint(seconds(kLogin)),
            .nonce = "n-0S6_WzA2Mj",
            .access_token = kAccessToken,
            .sid = "08a5019c-17e1-4977-8f42-65a12843ea02",
            .scope = scope_};
  }

  // Verifies the signature with the ring's keys::Verifier for the token's kid.
  token::VerifiedJws Verified(const IssuedIdToken& issued) const {
    const auto snapshot = SharedRing().Snapshot();
    const keys::Verifier* verifier = snapshot->FindVerifier(issued.kid);
    EXPECT_NE(verifier, nullptr);
    auto verified = token::VerifyCompact(issued.token, *verifier);
    EXPECT_TRUE(verified) << (verified ? "" : verified.error().message());
    return std::move(*verified);
  }

  nlohmann::json PayloadOf(const IssuedIdToken& issued) const {
    return nlohmann::json::parse(Verified(issued).payload);
  }

  IssuedIdToken IssueOk(const IdTokenClaims& claims) const {
    auto issued = issuer_.Issue(claims);
    EXPECT_TRUE(issued) << (issued ? "" : issued.error().debug);
    return std::move(*issued);
  }

  config::Config config_;
  UserClaimsRegistry users_;
  IdTokenIssuer issuer_;
  std::vector<std::string> scope_{"openid", "profile"};
};

TEST_F(IdTokenIssuerTest, Issue_Header_HasAlgKidOfActiveKeyAndTypJwt) {
  const IssuedIdToken issued = IssueOk(Claims("web"));
  const token::VerifiedJws jws = Verified(issued);
  EXPECT_EQ(issued.alg, keys::Algorithm::kEs256);  // tokens.signing_alg
  const nlohmann::json expected = {{"alg", "ES256"}, {"kid", issued.kid}, {"typ", "JWT"}};
  EXPECT_EQ(jws.header, expected);
  EXPECT_EQ(SharedRing().Snapshot()->ActiveSigner(keys::Algorithm::kEs256)->kid(), issued.kid);
}

TEST_F(IdTokenIssuerTest, Issue_Claims_AreTheOidcCoreSection2Set) {
  const IssuedIdToken issued = IssueOk(Claims("web"));
  const nlohmann::json expected = {{"iss", kIssuer},
                                   {"sub", "alice"},
                                   {"aud", "web"},
                                   {"exp", kNow + 600},
                                   {"iat", kNow},
                                   {"auth_time", kLogin},
                                   {"nonce", "n-0S6_WzA2Mj"},
                                   {"at_hash", LeftHalfHash(kAccessToken, EVP_sha256())},
                                   {"sid", "08a5019c-17e1-4977-8f42-65a12843ea02"},
                                   {"name", "Alice"}};
  EXPECT_EQ(PayloadOf(issued), expected);
}

TEST_F(IdTokenIssuerTest, Issue_AudIsAString_NotAnArray) {
  EXPECT_TRUE(PayloadOf(IssueOk(Claims("web"))).at("aud").is_string());
}

TEST_F(IdTokenIssuerTest, Issue_WithoutNonceSidOrAccessToken_OmitsThem) {
  IdTokenClaims claims = Claims("web");
  claims.nonce = "";
  claims.sid = "";
  claims.access_token = "";
  const nlohmann::json payload = PayloadOf(IssueOk(claims));
  EXPECT_FALSE(payload.contains("nonce"));
  EXPECT_FALSE(payload.contains("sid"));
  EXPECT_FALSE(payload.contains("at_hash"));
  EXPECT_EQ(payload.at("sub"), "alice");
}

TEST_F(IdTokenIssuerTest, Issue_NonceWithQuotes_IsEscapedVerbatim) {
  IdTokenClaims claims = Claims("web");
  claims.nonce = "a\"b\\c";
  EXPECT_EQ(PayloadOf(IssueOk(claims)).at("nonce"), "a\"b\\c");
}

TEST_F(IdTokenIssuerTest, Issue_ScopeSelectsReleasedClaims) {
  scope_ = {"openid", "email"};
  const nlohmann::json payload = PayloadOf(IssueOk(Claims("web")));
  EXPECT_EQ(payload.at("email"), "alice@example.com");
  EXPECT_EQ(payload.at("email_verified"), true);
  EXPECT_FALSE(payload.contains("name"));    // profile not granted
  EXPECT_FALSE(payload.contains("groups"));  // never released
  scope_ = {"openid"};
  const nlohmann::json bare = PayloadOf(IssueOk(Claims("web")));
  EXPECT_FALSE(bare.contains("email"));
  EXPECT_FALSE(bare.contains("name"));
}

TEST_F(IdTokenIssuerTest, Issue_ClientIdTokenAlg_Es384SignsAndHashesWithSha384) {
  const IssuedIdToken issued = IssueOk(Claims("es384"));
  EXPECT_EQ(issued.alg, keys::Algorithm::kEs384);
  EXPECT_EQ(Verified(issued).header.at("alg"), "ES384");
  const std::string at_hash = PayloadOf(issued).at("at_hash");
  EXPECT_EQ(at_hash, LeftHalfHash(kAccessToken, EVP_sha384()));
  EXPECT_EQ(at_hash.size(), 32U);  // 24 bytes, base64url
}

TEST_F(IdTokenIssuerTest, Issue_EdDsaClient_HashesWithSha512) {
  const IssuedIdToken issued = IssueOk(Claims("ed"));
  EXPECT_EQ(Verified(issued).header.at("alg"), "EdDSA");
  EXPECT_EQ(PayloadOf(issued).at("at_hash"), LeftHalfHash(kAccessToken, EVP_sha512()));
}

TEST_F(IdTokenIssuerTest, Issue_Rs256Client_HashesWithSha256) {
  const IssuedIdToken issued = IssueOk(Claims("rsa"));
  EXPECT_EQ(Verified(issued).header.at("alg"), "RS256");
  EXPECT_EQ(PayloadOf(issued).at("at_hash"), LeftHalfHash(kAccessToken, EVP_sha256()));
}

TEST_F(IdTokenIssuerTest, Issue_IsNotAcceptedAsAnAccessToken) {
  const IssuedIdToken issued = IssueOk(Claims("web"));
  auto verifier = AccessTokenVerifier::Create(config_, KeyRingSnapshots(SharedRing()),
                                              [] { return TimePoint(seconds(kNow)); });
  ASSERT_TRUE(verifier);
  auto verified = verifier->Verify(issued.token);
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error(), token::Errc::kTypMismatch);
}

TEST_F(IdTokenIssuerTest, Issue_UnknownSubject_IsServerError) {
  IdTokenClaims claims = Claims("web");
  claims.subject = "mallory";
  const auto issued = issuer_.Issue(claims);
  ASSERT_FALSE(issued);
  EXPECT_EQ(issued.error().code, ErrorCode::kServerError);
}

TEST_F(IdTokenIssuerTest, Issue_WithoutClient_IsServerError) {
  IdTokenClaims claims = Claims("web");
  claims.client = nullptr;
  const auto issued = issuer_.Issue(claims);
  ASSERT_FALSE(issued);
  EXPECT_EQ(issued.error().code, ErrorCode::kServerError);
}

TEST_F(IdTokenIssuerTest, Issue_NoActiveKeyForAlgorithm_IsServerError) {
  const keys::KeyRing empty;
  const IdTokenIssuer issuer(config_, KeyRingSigners(empty), users_,
                             [] { return TimePoint(seconds(kNow)); });
  const auto issued = issuer.Issue(Claims("web"));
  ASSERT_FALSE(issued);
  EXPECT_EQ(issued.error().code, ErrorCode::kServerError);
  EXPECT_NE(issued.error().debug.find("ES256"), std::string::npos);
}

TEST_F(IdTokenIssuerTest, AlgorithmFor_PrefersClientsIdTokenAlg) {
  EXPECT_EQ(issuer_.AlgorithmFor(Client("web")), keys::Algorithm::kEs256);
  EXPECT_EQ(issuer_.AlgorithmFor(Client("es384")), keys::Algorithm::kEs384);
  EXPECT_EQ(issuer_.ttl(), seconds(600));
}

// OIDC Core 1.0 Appendix A.3 (response_type=id_token token, RS256): the access token
// "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y" has at_hash "77QmUPtjPfzWtF2AnpK9RQ".
TEST(TokenHashTest, TokenHash_OidcCoreAppendixA3Vector) {
  EXPECT_EQ(TokenHash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", keys::Algorithm::kRs256),
            std::optional<std::string>("77QmUPtjPfzWtF2AnpK9RQ"));
}

TEST(TokenHashTest, TokenHash_HashFollowsAlgorithm) {
  const std::string value = "some.access.token";
  EXPECT_EQ(*TokenHash(value, keys::Algorithm::kPs256), LeftHalfHash(value, EVP_sha256()));
  EXPECT_EQ(*TokenHash(value, keys::Algorithm::kEs256), LeftHalfHash(value, EVP_sha256()));
  EXPECT_EQ(*TokenHash(value, keys::Algorithm::kEs384), LeftHalfHash(value, EVP_sha384()));
  EXPECT_EQ(*TokenHash(value, keys::Algorithm::kEdDsa), LeftHalfHash(value, EVP_sha512()));
  EXPECT_EQ(TokenHash(value, keys::Algorithm::kEs256)->size(), 22U);  // 16 bytes
  EXPECT_EQ(TokenHash(value, keys::Algorithm::kEdDsa)->size(), 43U);  // 32 bytes
}

}  // namespace
}  // namespace signet::oauth

// oauth::AccessTokenVerifier and oauth::RevocationService (RFC 7009) on the in-memory store
// with a settable clock.
#include "oauth/revocation_service.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keys/base64url.hpp"
#include "keys/signer.hpp"
#include "oauth/form.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"
#include "tests/unit/oauth/token_lifecycle_fixture.hpp"
#include "token/jwt.hpp"

namespace signet::oauth {
namespace {

using std::chrono::seconds;
using testing::kLifecycleAudience;
using testing::kLifecycleIssuer;
using testing::kLifecycleStart;

class AccessTokenVerifierTest : public testing::TokenLifecycleFixture {
 protected:
  AccessTokenVerifier MakeVerifier() {
    auto verifier = AccessTokenVerifier::Create(config_, KeyRingSnapshots(ring_), Clock());
    EXPECT_TRUE(verifier);
    return std::move(*verifier);
  }

  // A JWT signed by the ring's active key with any header typ and claims.
  std::string SignWithRingKey(std::string_view typ, const nlohmann::json& claims) {
    const keys::Signer* signer = ring_.Snapshot()->ActiveSigner(keys::Algorithm::kEs256);
    EXPECT_NE(signer, nullptr);
    auto jwt = token::MintJwt(*signer, typ, claims);
    EXPECT_TRUE(jwt);
    return *jwt;
  }

  nlohmann::json Claims() const {
    return {{"iss", kLifecycleIssuer},
            {"sub", "svc"},
            {"aud", kLifecycleAudience},
            {"iat", kLifecycleStart},
            {"exp", kLifecycleStart + 900},
            {"jti", "jti-1"},
            {"client_id", "svc"}};
  }
};

TEST_F(AccessTokenVerifierTest, Verify_AcceptsAnIssuedAccessToken) {
  auto jwt = MakeVerifier().Verify(IssueFor("svc"));
  ASSERT_TRUE(jwt) << jwt.error().message();
  EXPECT_EQ(jwt->StringClaim("client_id"), "svc");
}

TEST_F(AccessTokenVerifierTest, Verify_RejectsATokenOfAKeyNotInTheRing) {
  auto key = keys::PrivateKey::Generate(keys::Algorithm::kEs256);
  ASSERT_TRUE(key);
  auto signer = keys::Signer::Create(*key, "stranger");
  ASSERT_TRUE(signer);
  auto jwt = token::MintJwt(*signer, "at+jwt", Claims());
  ASSERT_TRUE(jwt);
  EXPECT_EQ(MakeVerifier().Verify(*jwt).error(), token::Errc::kUnknownKid);
}

TEST_F(AccessTokenVerifierTest, Verify_RejectsAnotherIssuer) {
  auto claims = Claims();
  claims["iss"] = "https://evil.example.com";
  EXPECT_EQ(MakeVerifier().Verify(SignWithRingKey("at+jwt", claims)).error(),
            token::Errc::kIssuerMismatch);
}

TEST_F(AccessTokenVerifierTest, Verify_RejectsATokenThatIsNotAnAccessToken) {
  EXPECT_EQ(MakeVerifier().Verify(SignWithRingKey("JWT", Claims())).error(),
            token::Errc::kTypMismatch);
}

TEST_F(AccessTokenVerifierTest, Verify_AcceptsWithinLeewayRejectsAfter) {
  const std::string token = IssueFor("svc");
  Advance(seconds(900 + 29));
  EXPECT_TRUE(MakeVerifier().Verify(token));
  Advance(seconds(1));
  EXPECT_EQ(MakeVerifier().Verify(token).error(), token::Errc::kExpired);
}

TEST_F(AccessTokenVerifierTest, Verify_RejectsOpaqueAndMalformedText) {
  EXPECT_EQ(MakeVerifier().Verify("opaque-refresh-token").error(), token::Errc::kMalformed);
  EXPECT_EQ(MakeVerifier().Verify("!!!.e30.sig").error(), token::Errc::kBadBase64url);
  const std::string no_kid = keys::Base64UrlEncode(R"({"alg":"ES256"})") + ".e30.c2ln";
  EXPECT_EQ(MakeVerifier().Verify(no_kid).error(), token::Errc::kKidMissing);
}

TEST_F(AccessTokenVerifierTest, Verify_RejectsATamperedPayload) {
  const std::string token = IssueFor("svc");
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  auto claims = Claims();
  claims["client_id"] = "poster";
  const std::string forged =
      token.substr(0, first + 1) + keys::Base64UrlEncode(claims.dump()) + token.substr(second);
  EXPECT_EQ(MakeVerifier().Verify(forged).error(), token::Errc::kSignatureInvalid);
}

TEST_F(AccessTokenVerifierTest, Create_RefusesMissingKeys) {
  EXPECT_FALSE(AccessTokenVerifier::Create(config_, nullptr, Clock()));
}

class RevocationServiceTest : public testing::TokenLifecycleFixture {
 protected:
  std::unique_ptr<RevocationService> MakeService(store::RevocationStore& store) {
    auto service = RevocationService::Create(config_, {.authenticator = authenticator_.get(),
                                                       .verification_keys = KeyRingSnapshots(ring_),
                                                       .store = &store,
                                                       .clock = Clock()});
    EXPECT_TRUE(service);
    return std::move(*service);
  }

  RevocationOutcome Revoke(std::string body, std::string authorization,
                           store::RevocationStore* store = nullptr) {
    auto service = MakeService(store != nullptr ? *store : store_);
    return RunAwaitable(service->HandleForm(body, std::move(authorization), "198.51.100.7"));
  }

  template <class T>
  static T RunAwaitable(boost::asio::awaitable<T> operation) {
    return signet::testing::RunAwaitable(std::move(operation));
  }

  std::vector<store::RevokedJti> RevokedJtis() {
    auto snapshot = RunAwaitable(store_.Snapshot(Now()));
    EXPECT_TRUE(snapshot);
    return snapshot ? snapshot->jtis : std::vector<store::RevokedJti>{};
  }

  static std::string JtiOf(const std::string& token) {
    const auto first = token.find('.');
    const auto second = token.find('.', first + 1);
    auto payload = keys::Base64UrlDecode(token.substr(first + 1, second - first - 1));
    return nlohmann::json::parse(*payload).at("jti").get<std::string>();
  }

  static ErrorCode CodeOf(const RevocationOutcome& outcome) {
    EXPECT_FALSE(outcome.response);
    return outcome.response ? ErrorCode::kServerError : outcome.response.error().code;
  }
};

TEST_F(RevocationServiceTest, Revoke_OwnToken_KeepsTheJtiUntilExpiryPlusLeeway) {
  const std::string token = IssueFor("svc");
  const auto outcome = Revoke("token=" + token, Basic("svc", "svc-secret"));
  ASSERT_TRUE(outcome.response) << outcome.response.error().debug;
  EXPECT_EQ(outcome.client_id, "svc");
  EXPECT_EQ(outcome.jti, JtiOf(token));
  const std::vector<store::RevokedJti> expected{
      {JtiOf(token), store::FromUnixSeconds(testing::kLifecycleStart + 900 + 30)}};
  EXPECT_EQ(RevokedJtis(), expected);
}

TEST_F(RevocationServiceTest, Revoke_ClientSecretPost_Works) {
  const std::string token = IssueFor("poster");
  const auto outcome =
      Revoke("client_id=poster&client_secret=poster-secret&token=" + token, std::string());
  ASSERT_TRUE(outcome.response);
  EXPECT_EQ(RevokedJtis().size(), 1u);
}

TEST_F(RevocationServiceTest, Revoke_TwiceIsHarmless) {
  const std::string token = IssueFor("svc");
  ASSERT_TRUE(Revoke("token=" + token, Basic("svc", "svc-secret")).response);
  ASSERT_TRUE(Revoke("token=" + token, Basic("svc", "svc-secret")).response);
  EXPECT_EQ(RevokedJtis().size(), 1u);
}

TEST_F(RevocationServiceTest, Revoke_TokenOfAnotherClient_Answers200AndRevokesNothing) {
  const std::string token = IssueFor("poster");
  const auto outcome = Revoke("token=" + token, Basic("svc", "svc-secret"));
  ASSERT_TRUE(outcome.response);
  EXPECT_TRUE(outcome.jti.empty());
  EXPECT_EQ(outcome.nothing_revoked_reason, "token issued to another client");
  EXPECT_TRUE(RevokedJtis().empty());
}

TEST_F(RevocationServiceTest, Revoke_UnknownOrOpaqueToken_Answers200AndRevokesNothing) {
  for (const char* token : {"opaque-refresh-token", "a.b.c", "eyJhbGciOiJub25lIn0.e30."}) {
    const auto outcome = Revoke("token=" + FormUrlEncode(token), Basic("svc", "svc-secret"));
    EXPECT_TRUE(outcome.response) << token;
    EXPECT_TRUE(outcome.jti.empty()) << token;
  }
  EXPECT_TRUE(RevokedJtis().empty());
}

TEST_F(RevocationServiceTest, Revoke_ExpiredToken_NeedsNoRevocation) {
  const std::string token = IssueFor("svc");
  Advance(seconds(900 + 30));
  const auto outcome = Revoke("token=" + token, Basic("svc", "svc-secret"));
  ASSERT_TRUE(outcome.response);
  EXPECT_EQ(outcome.nothing_revoked_reason, "token already expired");
  EXPECT_TRUE(RevokedJtis().empty());
}

TEST_F(RevocationServiceTest, Revoke_HintIsNotTrusted_AnyHintStillRevokesTheAccessToken) {
  for (const char* hint : {"access_token", "refresh_token", "no_such_type"}) {
    const std::string token = IssueFor("svc");
    const auto outcome = Revoke("token_type_hint=" + std::string(hint) + "&token=" + token,
                                Basic("svc", "svc-secret"));
    ASSERT_TRUE(outcome.response) << hint;
    EXPECT_EQ(outcome.jti, JtiOf(token)) << hint;
  }
  EXPECT_EQ(RevokedJtis().size(), 3u);
}

TEST_F(RevocationServiceTest, Revoke_MissingToken_IsInvalidRequest) {
  EXPECT_EQ(CodeOf(Revoke("token_type_hint=access_token", Basic("svc", "svc-secret"))),
            ErrorCode::kInvalidRequest);
}

TEST_F(RevocationServiceTest, Revoke_RepeatedParameter_IsInvalidRequest) {
  const std::string token = IssueFor("svc");
  EXPECT_EQ(CodeOf(Revoke("token=" + token + "&token=" + token, Basic("svc", "svc-secret"))),
            ErrorCode::kInvalidRequest);
  EXPECT_TRUE(RevokedJtis().empty());
}

TEST_F(RevocationServiceTest, Revoke_WithoutClientAuthentication_IsInvalidClientWithChallenge) {
  const auto outcome = Revoke("token=" + IssueFor("svc"), std::string());
  ASSERT_EQ(CodeOf(outcome), ErrorCode::kInvalidClient);
  EXPECT_EQ(HttpStatus(outcome.response.error()), 401);
  EXPECT_TRUE(WwwAuthenticate(outcome.response.error()));
  EXPECT_TRUE(RevokedJtis().empty());
}

TEST_F(RevocationServiceTest, Revoke_WrongSecret_IsInvalidClientAndRevokesNothing) {
  const auto outcome = Revoke("token=" + IssueFor("svc"), Basic("svc", "wrong"));
  EXPECT_EQ(CodeOf(outcome), ErrorCode::kInvalidClient);
  EXPECT_TRUE(RevokedJtis().empty());
}

TEST_F(RevocationServiceTest, Revoke_StoreUnavailable_IsTemporarilyUnavailable) {
  const auto outcome =
      Revoke("token=" + IssueFor("svc"), Basic("svc", "svc-secret"), &unavailable_store_);
  EXPECT_EQ(CodeOf(outcome), ErrorCode::kTemporarilyUnavailable);
  EXPECT_EQ(HttpStatus(outcome.response.error()), 503);
}

TEST_F(RevocationServiceTest, Create_RefusesMissingDependencies) {
  EXPECT_FALSE(RevocationService::Create(config_, {.authenticator = nullptr,
                                                   .verification_keys = KeyRingSnapshots(ring_),
                                                   .store = &store_,
                                                   .clock = Clock()}));
  EXPECT_FALSE(RevocationService::Create(config_, {.authenticator = authenticator_.get(),
                                                   .verification_keys = KeyRingSnapshots(ring_),
                                                   .store = nullptr,
                                                   .clock = Clock()}));
}

}  // namespace
}  // namespace signet::oauth

// The oauth module wired to the real keys module: argon2id client secrets and the key ring.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keys/key_ring.hpp"
#include "keys/password_hash.hpp"
#include "oauth/access_token_issuer.hpp"
#include "oauth/client_authenticator.hpp"
#include "oauth/internal/basic_credentials.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"
#include "token/jws.hpp"

namespace signet::oauth {
namespace {

using std::chrono::system_clock;

TEST(Argon2SecretVerifier, AcceptsTheHashedSecretOnly) {
  auto encoded = keys::HashPassword("s3cret");
  ASSERT_TRUE(encoded);
  const SecretHashVerifier verify = Argon2SecretVerifier();
  EXPECT_TRUE(verify(*encoded, "s3cret"));
  EXPECT_FALSE(verify(*encoded, "s3creT"));
  EXPECT_FALSE(verify("not-an-argon2-encoding", "s3cret"));
}

TEST(ClientAuthenticator, RealArgon2HashedClientAuthenticatesRepeatedly) {
  auto encoded = keys::HashPassword("hashed-secret");
  ASSERT_TRUE(encoded);
  config::Client client;
  client.client_id = "hashed";
  client.client_secret_hash = *encoded;
  const std::vector<config::Client> clients{client};
  const ClientRegistry registry(clients);
  auto auth = ClientAuthenticator::Create(registry, InlineVerifier(Argon2SecretVerifier()));
  ASSERT_TRUE(auth);
  const auto good =
      TokenRequest::FromParams({}, internal::MakeBasicAuthorization("hashed", "hashed-secret"), "");
  const auto bad =
      TokenRequest::FromParams({}, internal::MakeBasicAuthorization("hashed", "hashed-secreT"), "");
  EXPECT_TRUE(testing::RunAwaitable((*auth)->Authenticate(good)));
  EXPECT_TRUE(testing::RunAwaitable((*auth)->Authenticate(good)));  // from the digest cache
  auto rejected = testing::RunAwaitable((*auth)->Authenticate(bad));
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().code, ErrorCode::kInvalidClient);
}

keys::KeyEntry ActiveEntry(keys::Algorithm alg) {
  auto key = keys::PrivateKey::Generate(alg);
  EXPECT_TRUE(key);
  const auto now = system_clock::now();
  auto entry =
      keys::MakeKeyEntry(*key, keys::KeyState::kActive, now, now, now + std::chrono::hours(48));
  EXPECT_TRUE(entry);
  return *entry;
}

TEST(KeyRingSigners, EmptyRingHasNoSigner) {
  keys::KeyRing ring;
  EXPECT_EQ(KeyRingSigners(ring)(keys::Algorithm::kEs256), nullptr);
}

TEST(KeyRingSigners, IssuesWithTheActiveKeyAndSurvivesRotation) {
  keys::KeyRing ring;
  const keys::KeyEntry first = ActiveEntry(keys::Algorithm::kEs256);
  ASSERT_TRUE(ring.Replace({first}));
  const ActiveSignerFn signers = KeyRingSigners(ring);
  const auto held = signers(keys::Algorithm::kEs256);
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->kid(), first.kid);
  EXPECT_EQ(signers(keys::Algorithm::kRs256), nullptr);

  config::Config config;
  config.issuer = "https://id.example.com";
  config.tokens.signing_alg = keys::Algorithm::kEs256;
  config::Client client;
  client.client_id = "svc";
  const std::vector<std::string> audience{"https://api.example.com"};
  AccessTokenIssuer issuer(config, signers, SystemClock());
  auto issued =
      issuer.Issue({.subject = "svc", .client = &client, .audience = audience, .scope = {}});
  ASSERT_TRUE(issued);
  EXPECT_EQ(issued->kid, first.kid);
  auto verified = token::VerifyCompact(issued->token, first.verifier);
  ASSERT_TRUE(verified);
  EXPECT_FALSE(nlohmann::json::parse(verified->payload).contains("scope"));

  // Rotation replaces the snapshot; the signer taken before stays usable.
  const keys::KeyEntry second = ActiveEntry(keys::Algorithm::kEs256);
  ASSERT_TRUE(ring.Replace({second}));
  EXPECT_EQ(signers(keys::Algorithm::kEs256)->kid(), second.kid);
  EXPECT_TRUE(held->Sign("still alive"));
}

}  // namespace
}  // namespace signet::oauth

// clients: and users: sections of the loader.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "config/loader.hpp"
#include "tests/unit/config/problem_matchers.hpp"

namespace signet::config {
namespace {

using testing::FailsWith;
using testing::FindProblem;
using testing::Loads;

// Syntactically valid argon2id encoding (salt "somesaltsomesalt", 32-byte tag).
constexpr const char* kHash =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
    "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY";

std::string WithClients(const std::string& clients) { return "clients:\n" + clients; }

TEST(LoaderClientsTest, FullClientLoads) {
  const std::string yaml = WithClients(std::string(R"(
  - client_id: "orders-service"
    client_secret_hash: ")") + kHash + R"("
    token_endpoint_auth_method: client_secret_post
    grant_types: [client_credentials, authorization_code, refresh_token, password]
    redirect_uris: ["https://app.example.com/callback", "com.example.app:/cb"]
    post_logout_redirect_uris: ["https://app.example.com/"]
    scope: "openid profile  email orders.read"
    audience: ["https://api.example.com"]
    access_token_signed_response_alg: ES256
    id_token_signed_response_alg: RS256
  - client_id: spa
    token_endpoint_auth_method: none
    grant_types: [authorization_code]
    redirect_uris: ["http://127.0.0.1:3000/cb"]
    audience: "https://api.example.com"
)");
  auto loaded = LoadConfigText(yaml, "t.yaml");
  ASSERT_TRUE(loaded) << loaded.error().Format();
  ASSERT_EQ(loaded->clients.size(), 2u);
  const Client& c = loaded->clients[0];
  EXPECT_EQ(c.client_id, "orders-service");
  EXPECT_EQ(c.token_endpoint_auth_method, TokenEndpointAuthMethod::kClientSecretPost);
  EXPECT_EQ(c.grant_types.size(), 4u);
  EXPECT_EQ(c.scope, (std::vector<std::string>{"openid", "profile", "email", "orders.read"}));
  EXPECT_EQ(c.access_token_signed_response_alg, keys::Algorithm::kEs256);
  EXPECT_EQ(loaded->clients[1].token_endpoint_auth_method, TokenEndpointAuthMethod::kNone);
  EXPECT_EQ(loaded->clients[1].audience, std::vector<std::string>{"https://api.example.com"});
}

TEST(LoaderClientsTest, SecretAloneDefaultsToClientSecretBasic) {
  auto loaded = LoadConfigText(WithClients("  - { client_id: a, client_secret: s3cret }\n"), "t");
  ASSERT_TRUE(loaded) << loaded.error().Format();
  EXPECT_EQ(loaded->clients[0].token_endpoint_auth_method,
            TokenEndpointAuthMethod::kClientSecretBasic);
  EXPECT_EQ(loaded->clients[0].grant_types, std::vector<GrantType>{GrantType::kClientCredentials});
}

TEST(LoaderClientsTest, InvalidGrantType_NamesClientAndElementIndex) {
  const std::string yaml = WithClients(R"(
  - { client_id: a, client_secret: x }
  - { client_id: b, client_secret: x }
  - { client_id: c, client_secret: x, grant_types: [implicit, password] }
)");
  EXPECT_TRUE(FailsWith(yaml, "clients[2].grant_types[0]", Errc::kBadEnumValue));
}

TEST(LoaderClientsTest, MissingClientId_IsReported) {
  EXPECT_TRUE(FailsWith(WithClients("  - { client_secret: x }\n"), "clients[0].client_id",
                        Errc::kMissingValue));
}

TEST(LoaderClientsTest, DuplicateClientId_NamesBothIndexes) {
  auto loaded = LoadConfigText(WithClients(R"(
  - { client_id: dup, client_secret: x }
  - { client_id: other, client_secret: x }
  - { client_id: dup, client_secret: y }
)"),
                               "t");
  ASSERT_FALSE(loaded);
  const std::optional<Problem> p =
      FindProblem(loaded.error(), "clients[2].client_id", Errc::kDuplicateValue);
  ASSERT_TRUE(p) << loaded.error().Format();
  EXPECT_NE(p->detail.find("clients[0]"), std::string::npos) << p->detail;
  EXPECT_NE(p->detail.find("clients[2]"), std::string::npos) << p->detail;
}

TEST(LoaderClientsTest, NoSecretAndNoMethod_HasNoUsableAuthMethod) {
  EXPECT_TRUE(
      FailsWith(WithClients("  - { client_id: a }\n"), "clients[0]", Errc::kNoUsableAuthMethod));
  EXPECT_TRUE(FailsWith(
      WithClients("  - { client_id: a, token_endpoint_auth_method: client_secret_post }\n"),
      "clients[0]", Errc::kNoUsableAuthMethod));
}

TEST(LoaderClientsTest, PublicClientWithSecret_IsConflicting) {
  EXPECT_TRUE(
      FailsWith(WithClients("  - { client_id: a, client_secret: x, "
                            "token_endpoint_auth_method: none, grant_types: [password] }\n"),
                "clients[0].token_endpoint_auth_method", Errc::kConflictingSettings));
}

TEST(LoaderClientsTest, PublicClientWithClientCredentials_IsConflicting) {
  EXPECT_TRUE(FailsWith(WithClients("  - { client_id: a, token_endpoint_auth_method: none, "
                                    "grant_types: [client_credentials] }\n"),
                        "clients[0].grant_types", Errc::kConflictingSettings));
}

TEST(LoaderClientsTest, BothSecretForms_AreConflicting) {
  EXPECT_TRUE(FailsWith(WithClients(std::string("  - { client_id: a, client_secret: x, "
                                                "client_secret_hash: '") +
                                    kHash + "' }\n"),
                        "clients[0].client_secret", Errc::kConflictingSettings));
}

TEST(LoaderClientsTest, PrivateKeyJwt_IsNotSupportedYet) {
  auto loaded = LoadConfigText(
      WithClients("  - { client_id: a, token_endpoint_auth_method: private_key_jwt }\n"), "t");
  ASSERT_FALSE(loaded);
  const std::optional<Problem> p =
      FindProblem(loaded.error(), "clients[0].token_endpoint_auth_method", Errc::kNotSupportedYet);
  ASSERT_TRUE(p) << loaded.error().Format();
  EXPECT_NE(p->detail.find("not supported yet"), std::string::npos);
}

TEST(LoaderClientsTest, UnknownAuthMethod_IsBadEnumValue) {
  EXPECT_TRUE(FailsWith(
      WithClients("  - { client_id: a, client_secret: x, token_endpoint_auth_method: basic }\n"),
      "clients[0].token_endpoint_auth_method", Errc::kBadEnumValue));
}

TEST(LoaderClientsTest, MalformedSecretHash_IsRejected) {
  for (const char* bad : {"plaintext", "$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$YWJj",
                          "$argon2id$v=16$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$YWJjZGVmZ2hp",
                          "$argon2id$v=19$m=19456,t=0,p=1$c29tZXNhbHRzb21lc2FsdA$YWJjZGVmZ2hp",
                          "$argon2id$v=19$m=19456,t=2,p=1$!!!$YWJjZGVmZ2hp"}) {
    EXPECT_TRUE(FailsWith(
        WithClients(std::string("  - { client_id: a, client_secret_hash: '") + bad + "' }\n"),
        "clients[0].client_secret_hash", Errc::kBadSecretHash))
        << bad;
  }
}

TEST(LoaderClientsTest, RedirectUris_MustBeAbsoluteWithoutFragment) {
  const std::string base =
      "  - { client_id: a, client_secret: x, grant_types: [authorization_code], ";
  EXPECT_TRUE(FailsWith(WithClients(base + "redirect_uris: [\"/callback\"] }\n"),
                        "clients[0].redirect_uris[0]", Errc::kBadUrl));
  EXPECT_TRUE(FailsWith(
      WithClients(base +
                  "redirect_uris: [\"https://a.example/ok\", \"https://a.example/cb#x\"] }\n"),
      "clients[0].redirect_uris[1]", Errc::kBadUrl));
}

TEST(LoaderClientsTest, AuthorizationCode_RequiresRedirectUris) {
  EXPECT_TRUE(FailsWith(WithClients("  - { client_id: a, client_secret: x, "
                                    "grant_types: [authorization_code] }\n"),
                        "clients[0].redirect_uris", Errc::kMissingValue));
  EXPECT_TRUE(FailsWith(WithClients("  - { client_id: a, client_secret: x, "
                                    "grant_types: [authorization_code], redirect_uris: [] }\n"),
                        "clients[0].redirect_uris", Errc::kMissingValue));
}

TEST(LoaderClientsTest, ClientAlgorithms_MustBeInKeysAlgorithms) {
  const std::string yaml =
      "keys: { algorithms: [RS256] }\n" + WithClients(
                                              "  - { client_id: a, client_secret: x, "
                                              "access_token_signed_response_alg: ES384, "
                                              "id_token_signed_response_alg: EdDSA }\n");
  EXPECT_TRUE(
      FailsWith(yaml, "clients[0].access_token_signed_response_alg", Errc::kAlgorithmNotEnabled));
  EXPECT_TRUE(
      FailsWith(yaml, "clients[0].id_token_signed_response_alg", Errc::kAlgorithmNotEnabled));
}

TEST(LoaderClientsTest, ClientUnknownKey_SuggestsRfc7591Name) {
  auto loaded = LoadConfigText(
      WithClients("  - { client_id: a, client_secret: x, redirect_uri: [] }\n"), "t");
  ASSERT_FALSE(loaded);
  const std::optional<Problem> p =
      FindProblem(loaded.error(), "clients[0].redirect_uri", Errc::kUnknownKey);
  ASSERT_TRUE(p);
  EXPECT_NE(p->detail.find("did you mean 'redirect_uris'?"), std::string::npos);
}

TEST(LoaderClientsTest, Scope_RejectsForbiddenCharacters) {
  EXPECT_TRUE(FailsWith(WithClients("  - { client_id: a, client_secret: x, scope: 'a \"b' }\n"),
                        "clients[0].scope", Errc::kBadScope));
}

TEST(LoaderClientsTest, ClientsNotAList_IsWrongType) {
  EXPECT_TRUE(FailsWith("clients: { client_id: a }\n", "clients", Errc::kWrongType));
}

TEST(LoaderUsersTest, UserWithClaims_ConvertsYamlTypesToJson) {
  const std::string yaml = std::string(R"(
users:
  - username: alice
    password_hash: ")") + kHash +
                           R"("
    claims: { email: "alice@example.com", email_verified: true, age: 42, zip: "01234",
              groups: [admin, dev], address: { country: FR } }
)";
  auto loaded = LoadConfigText(yaml, "t");
  ASSERT_TRUE(loaded) << loaded.error().Format();
  const auto claims = nlohmann::json::parse(loaded->users.at(0).claims_json);
  EXPECT_EQ(claims["email"], "alice@example.com");
  EXPECT_EQ(claims["email_verified"], true);
  EXPECT_EQ(claims["age"], 42);
  EXPECT_EQ(claims["zip"], "01234");
  EXPECT_EQ(claims["groups"], nlohmann::json::array({"admin", "dev"}));
  EXPECT_EQ(claims["address"]["country"], "FR");
}

TEST(LoaderUsersTest, DuplicateUsername_NamesBothIndexes) {
  auto loaded = LoadConfigText(
      "users:\n  - { username: bob, password: a }\n  - { username: bob, password: b }\n", "t");
  ASSERT_FALSE(loaded);
  const std::optional<Problem> p =
      FindProblem(loaded.error(), "users[1].username", Errc::kDuplicateValue);
  ASSERT_TRUE(p);
  EXPECT_NE(p->detail.find("users[0]"), std::string::npos);
}

TEST(LoaderUsersTest, UserWithoutPassword_IsReported) {
  EXPECT_TRUE(
      FailsWith("users:\n  - { username: bob }\n", "users[0].password_hash", Errc::kMissingValue));
  EXPECT_TRUE(FailsWith("users:\n  - { password: x }\n", "users[0].username", Errc::kMissingValue));
}

TEST(LoaderUsersTest, ClaimsMustBeAMappingWithoutReservedNames) {
  EXPECT_TRUE(FailsWith("users:\n  - { username: bob, password: a, claims: [x] }\n",
                        "users[0].claims", Errc::kWrongType));
  EXPECT_TRUE(FailsWith("users:\n  - { username: bob, password: a, claims: { sub: root } }\n",
                        "users[0].claims.sub", Errc::kReservedClaim));
}

TEST(LoaderUsersTest, DeeplyNestedClaims_AreRejectedNotRecursedForever) {
  std::string nested = "x";
  for (int i = 0; i < 40; ++i) nested = "[" + nested + "]";
  EXPECT_TRUE(
      FailsWith("users:\n  - { username: bob, password: a, claims: { deep: " + nested + " } }\n",
                "users[0].claims", Errc::kTooComplex));
}

TEST(LoaderUsersTest, AliasExpansion_IsBounded) {
  // "Billion laughs": each alias level triples the expanded size; the claim budget stops it.
  std::string doc =
      "users:\n  - username: bob\n    password: a\n    claims:\n"
      "      a0: &a0 [x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 14; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    doc += "      a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev + ", " + prev +
           ", " + prev + "]\n";
  }
  EXPECT_TRUE(FailsWith(doc, "users[0].claims", Errc::kTooComplex));
}

}  // namespace
}  // namespace signet::config

#include "oauth/token_service.hpp"

#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keys/base64url.hpp"
#include "keys/private_key.hpp"
#include "keys/signer.hpp"
#include "keys/verifier.hpp"
#include "oauth/internal/basic_credentials.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"
#include "token/jws.hpp"

namespace signet::oauth {
namespace {

using config::GrantType;
using config::TokenEndpointAuthMethod;
using internal::MakeBasicAuthorization;

constexpr std::int64_t kNow = 1'700'000'000;

config::Client MakeClient(std::string id, TokenEndpointAuthMethod method, std::string secret) {
  config::Client client;
  client.client_id = std::move(id);
  client.client_secret = std::move(secret);
  client.token_endpoint_auth_method = method;
  client.grant_types = {GrantType::kClientCredentials};
  return client;
}

config::Config MakeConfig() {
  config::Config config;
  config.issuer = "https://id.example.com";
  config.tokens.access_token_ttl = std::chrono::seconds(900);
  config.tokens.signing_alg = keys::Algorithm::kEs256;

  auto svc = MakeClient("svc", TokenEndpointAuthMethod::kClientSecretBasic, "svc-secret");
  svc.scope = {"orders.read", "orders.write"};
  svc.audience = {"https://api.example.com"};
  config.clients.push_back(svc);

  auto multi = MakeClient("multi", TokenEndpointAuthMethod::kClientSecretPost, "multi-secret");
  multi.audience = {"https://a.example.com", "https://b.example.com", "billing"};
  multi.access_token_signed_response_alg = keys::Algorithm::kEdDsa;
  config.clients.push_back(multi);

  auto nogrant = MakeClient("nogrant", TokenEndpointAuthMethod::kClientSecretBasic, "ng-secret");
  nogrant.grant_types = {GrantType::kAuthorizationCode};
  nogrant.audience = {"https://api.example.com"};
  config.clients.push_back(nogrant);

  auto pub = MakeClient("public", TokenEndpointAuthMethod::kNone, "");
  pub.audience = {"https://api.example.com"};
  config.clients.push_back(pub);

  config.clients.push_back(
      MakeClient("noaud", TokenEndpointAuthMethod::kClientSecretBasic, "noaud-secret"));

  auto ps = MakeClient("ps-client", TokenEndpointAuthMethod::kClientSecretBasic, "ps-secret");
  ps.audience = {"https://api.example.com"};
  ps.access_token_signed_response_alg = keys::Algorithm::kPs256;  // no active PS256 key
  config.clients.push_back(ps);
  return config;
}

struct DecodedToken {
  nlohmann::json header;
  nlohmann::json claims;
};

class TokenServiceTest : public ::testing::Test {
 protected:
  TokenServiceTest() : config_(MakeConfig()) {
    AddKey(keys::Algorithm::kEs256, "es-1");
    AddKey(keys::Algorithm::kEdDsa, "ed-1");
    auto service = TokenService::Create(
        config_,
        TokenServiceDeps{
            .active_signer = [this](keys::Algorithm alg) -> std::shared_ptr<const keys::Signer> {
              const auto it = signers_.find(alg);
              if (it == signers_.end()) return nullptr;
              return std::make_shared<const keys::Signer>(it->second);
            },
            .verify_hash = InlineVerifier([](std::string_view, std::string_view) { return false; }),
            .clock =
                [] { return std::chrono::system_clock::time_point(std::chrono::seconds(kNow)); }});
    EXPECT_TRUE(service);
    service_ = std::move(*service);
  }

  void AddKey(keys::Algorithm alg, const std::string& kid) {
    auto key = keys::PrivateKey::Generate(alg);
    ASSERT_TRUE(key);
    auto signer = keys::Signer::Create(*key, kid);
    auto verifier = keys::Verifier::Create(key->public_key(), kid);
    ASSERT_TRUE(signer && verifier);
    signers_.emplace(alg, *signer);
    verifiers_.emplace(alg, *verifier);
  }

  TokenOutcome Post(std::string_view body, std::string authorization = {}) {
    return testing::RunAwaitable(
        service_->HandleForm(body, std::move(authorization), "198.51.100.7"));
  }

  TokenOutcome PostSvc(std::string_view body) {
    return Post(body, MakeBasicAuthorization("svc", "svc-secret"));
  }

  static ErrorCode CodeOf(const TokenOutcome& outcome) {
    EXPECT_FALSE(outcome.response);
    return outcome.response ? ErrorCode::kServerError : outcome.response.error().code;
  }

  DecodedToken Verify(const std::string& token, keys::Algorithm alg) {
    auto verified = token::VerifyCompact(token, verifiers_.at(alg));
    EXPECT_TRUE(verified) << (verified ? "" : verified.error().message());
    if (!verified) return {};
    return {verified->header, nlohmann::json::parse(verified->payload)};
  }

  config::Config config_;
  std::map<keys::Algorithm, keys::Signer> signers_;
  std::map<keys::Algorithm, keys::Verifier> verifiers_;
  std::unique_ptr<TokenService> service_;
};

TEST_F(TokenServiceTest, Handle_MissingGrantTypeIsInvalidRequest) {
  EXPECT_EQ(CodeOf(PostSvc("scope=orders.read")), ErrorCode::kInvalidRequest);
  EXPECT_EQ(CodeOf(PostSvc("grant_type=")), ErrorCode::kInvalidRequest);
}

TEST_F(TokenServiceTest, Handle_UnknownGrantTypeIsUnsupportedGrantType) {
  EXPECT_EQ(CodeOf(PostSvc("grant_type=urn%3Aexample%3Amagic")), ErrorCode::kUnsupportedGrantType);
  EXPECT_EQ(CodeOf(Post("grant_type=implicit")), ErrorCode::kUnsupportedGrantType);
}

TEST_F(TokenServiceTest, Handle_RepeatedParameterIsInvalidRequest) {
  EXPECT_EQ(CodeOf(PostSvc("grant_type=client_credentials&scope=orders.read&scope=orders.read")),
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(CodeOf(PostSvc("grant_type=client_credentials&grant_type=client_credentials")),
            ErrorCode::kInvalidRequest);
}

TEST_F(TokenServiceTest, Handle_MalformedBodyIsInvalidRequest) {
  EXPECT_EQ(CodeOf(PostSvc("grant_type=client_credentials&scope=%E0%80")),
            ErrorCode::kInvalidRequest);
}

TEST_F(TokenServiceTest, Handle_RepeatedResourceIsAllowed) {
  auto outcome = Post(
      "grant_type=client_credentials&client_id=multi&client_secret=multi-secret"
      "&resource=https%3A%2F%2Fa.example.com&resource=https%3A%2F%2Fb.example.com");
  ASSERT_TRUE(outcome.response) << outcome.response.error().debug;
  const auto token = Verify(outcome.response->access_token, keys::Algorithm::kEdDsa);
  EXPECT_EQ(token.claims.at("aud"),
            nlohmann::json({"https://a.example.com", "https://b.example.com"}));
}

TEST_F(TokenServiceTest, Handle_UnknownClientIsInvalidClient) {
  auto outcome = Post("grant_type=client_credentials", MakeBasicAuthorization("x", "y"));
  EXPECT_EQ(CodeOf(outcome), ErrorCode::kInvalidClient);
  EXPECT_EQ(HttpStatus(outcome.response.error()), 401);
  EXPECT_TRUE(outcome.client_id.empty());
}

TEST_F(TokenServiceTest, Handle_WrongSecretIsInvalidClientAndNamesTheClientForLogs) {
  auto outcome = Post("grant_type=client_credentials", MakeBasicAuthorization("svc", "nope"));
  EXPECT_EQ(CodeOf(outcome), ErrorCode::kInvalidClient);
  EXPECT_EQ(outcome.client_id, "svc");
  EXPECT_EQ(outcome.grant_type, "client_credentials");
}

TEST_F(TokenServiceTest, Handle_ClientWithoutGrantIsUnauthorizedClient) {
  EXPECT_EQ(
      CodeOf(Post("grant_type=client_credentials", MakeBasicAuthorization("nogrant", "ng-secret"))),
      ErrorCode::kUnauthorizedClient);
}

TEST_F(TokenServiceTest, Handle_PublicClientIsUnauthorizedClient) {
  EXPECT_EQ(CodeOf(Post("grant_type=client_credentials&client_id=public")),
            ErrorCode::kUnauthorizedClient);
}

TEST_F(TokenServiceTest, Handle_ScopeBeyondRegisteredIsInvalidScope) {
  EXPECT_EQ(CodeOf(PostSvc("grant_type=client_credentials&scope=orders.read+admin")),
            ErrorCode::kInvalidScope);
}

TEST_F(TokenServiceTest, Handle_MalformedScopeIsInvalidScope) {
  EXPECT_EQ(CodeOf(PostSvc("grant_type=client_credentials&scope=orders.read++orders.write")),
            ErrorCode::kInvalidScope);
  EXPECT_EQ(CodeOf(PostSvc("grant_type=client_credentials&scope=%22quoted%22")),
            ErrorCode::kInvalidScope);
}

TEST_F(TokenServiceTest, Handle_UnregisteredResourceIsInvalidTarget) {
  EXPECT_EQ(CodeOf(PostSvc("grant_type=client_credentials&resource=https%3A%2F%2Fevil.example")),
            ErrorCode::kInvalidTarget);
}

TEST_F(TokenServiceTest, Handle_ResourceWithFragmentOrRelativeIsInvalidTarget) {
  EXPECT_EQ(CodeOf(PostSvc(
                "grant_type=client_credentials&resource=https%3A%2F%2Fapi.example.com%23frag")),
            ErrorCode::kInvalidTarget);
  EXPECT_EQ(CodeOf(PostSvc("grant_type=client_credentials&resource=%2Fapi")),
            ErrorCode::kInvalidTarget);
}

TEST_F(TokenServiceTest, Handle_UnregisteredAudienceIsInvalidTarget) {
  EXPECT_EQ(CodeOf(PostSvc("grant_type=client_credentials&audience=billing")),
            ErrorCode::kInvalidTarget);
}

TEST_F(TokenServiceTest, Handle_ClientWithoutAudienceIsInvalidTarget) {
  EXPECT_EQ(CodeOf(Post("grant_type=client_credentials",
                        MakeBasicAuthorization("noaud", "noaud-secret"))),
            ErrorCode::kInvalidTarget);
}

TEST_F(TokenServiceTest, Handle_NoActiveKeyIsServerErrorWithoutDetailForTheClient) {
  auto outcome =
      Post("grant_type=client_credentials", MakeBasicAuthorization("ps-client", "ps-secret"));
  EXPECT_EQ(CodeOf(outcome), ErrorCode::kServerError);
  EXPECT_EQ(ToJson(outcome.response.error()), R"({"error":"server_error"})");
  EXPECT_NE(outcome.response.error().debug.find("PS256"), std::string::npos);
}

TEST_F(TokenServiceTest, Issue_TokenHasEveryRfc9068ClaimAndVerifies) {
  auto outcome = PostSvc("grant_type=client_credentials");
  ASSERT_TRUE(outcome.response) << outcome.response.error().debug;
  EXPECT_EQ(outcome.client_id, "svc");
  const auto token = Verify(outcome.response->access_token, keys::Algorithm::kEs256);
  EXPECT_EQ(token.header.at("typ"), "at+jwt");
  EXPECT_EQ(token.header.at("alg"), "ES256");
  EXPECT_EQ(token.header.at("kid"), "es-1");
  const auto& claims = token.claims;
  EXPECT_EQ(claims.at("iss"), "https://id.example.com");
  EXPECT_EQ(claims.at("sub"), "svc");
  EXPECT_EQ(claims.at("client_id"), "svc");
  EXPECT_EQ(claims.at("aud"), "https://api.example.com");  // one audience: a string
  EXPECT_EQ(claims.at("iat"), kNow);
  EXPECT_EQ(claims.at("exp"), kNow + 900);
  EXPECT_EQ(claims.at("scope"), "orders.read orders.write");  // default: registered scope
  EXPECT_TRUE(claims.at("jti").is_string());
  EXPECT_EQ(outcome.response->jti, claims.at("jti"));
  EXPECT_EQ(outcome.response->kid, "es-1");
}

TEST_F(TokenServiceTest, Issue_GrantsTheRequestedSubsetOfScope) {
  auto outcome = PostSvc("grant_type=client_credentials&scope=orders.write");
  ASSERT_TRUE(outcome.response);
  EXPECT_EQ(outcome.response->scope, "orders.write");
  const auto token = Verify(outcome.response->access_token, keys::Algorithm::kEs256);
  EXPECT_EQ(token.claims.at("scope"), "orders.write");
}

TEST_F(TokenServiceTest, Issue_UsesTheClientsAlgorithmAndAudienceList) {
  auto outcome = Post("grant_type=client_credentials&client_id=multi&client_secret=multi-secret");
  ASSERT_TRUE(outcome.response) << outcome.response.error().debug;
  const auto token = Verify(outcome.response->access_token, keys::Algorithm::kEdDsa);
  EXPECT_EQ(token.header.at("alg"), "EdDSA");
  EXPECT_EQ(token.header.at("kid"), "ed-1");
  EXPECT_EQ(token.claims.at("aud"),
            nlohmann::json({"https://a.example.com", "https://b.example.com", "billing"}));
  EXPECT_FALSE(token.claims.contains("scope"));  // nothing registered, nothing granted
}

TEST_F(TokenServiceTest, Issue_AudienceParameterNarrowsTheAudience) {
  auto outcome = Post(
      "grant_type=client_credentials&client_id=multi&client_secret=multi-secret"
      "&audience=billing");
  ASSERT_TRUE(outcome.response);
  const auto token = Verify(outcome.response->access_token, keys::Algorithm::kEdDsa);
  EXPECT_EQ(token.claims.at("aud"), "billing");
}

TEST_F(TokenServiceTest, Issue_JtiIsUniqueAndCarries128Bits) {
  auto first = PostSvc("grant_type=client_credentials");
  auto second = PostSvc("grant_type=client_credentials");
  ASSERT_TRUE(first.response && second.response);
  EXPECT_NE(first.response->jti, second.response->jti);
  const auto bytes = keys::Base64UrlDecode(first.response->jti);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_GE(bytes->size() * 8, 128u);
}

TEST_F(TokenServiceTest, Response_ToJsonHasTheRfc6749Members) {
  auto outcome = PostSvc("grant_type=client_credentials&scope=orders.read");
  ASSERT_TRUE(outcome.response);
  const auto json = nlohmann::json::parse(ToJson(*outcome.response));
  EXPECT_EQ(json.at("access_token"), outcome.response->access_token);
  EXPECT_EQ(json.at("token_type"), "Bearer");
  EXPECT_EQ(json.at("expires_in"), 900);
  EXPECT_EQ(json.at("scope"), "orders.read");
  EXPECT_FALSE(json.contains("refresh_token"));  // RFC 6749 §4.4.3
  EXPECT_FALSE(json.contains("jti"));
  EXPECT_FALSE(json.contains("kid"));
}

TEST(TokenServiceCreate, RejectsMissingDependencies) {
  const config::Config config = MakeConfig();
  auto service = TokenService::Create(config, TokenServiceDeps{});
  ASSERT_FALSE(service);
  EXPECT_EQ(service.error().code, ErrorCode::kServerError);
}

}  // namespace
}  // namespace signet::oauth

#include "oauth/client_authenticator.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "oauth/internal/basic_credentials.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"

namespace signet::oauth {
namespace {

using config::TokenEndpointAuthMethod;
using internal::MakeBasicAuthorization;

config::Client MakeClient(std::string id, TokenEndpointAuthMethod method) {
  config::Client client;
  client.client_id = std::move(id);
  client.token_endpoint_auth_method = method;
  return client;
}

// Stands in for argon2id (keys::VerifyPassword): "fake$<secret>" verifies <secret>, and
// every run is counted so tests can see when the slow path is taken.
class ClientAuthenticatorTest : public ::testing::Test {
 protected:
  ClientAuthenticatorTest() {
    clients_.push_back(MakeClient("basic-client", TokenEndpointAuthMethod::kClientSecretBasic));
    clients_.back().client_secret = "basic-secret";
    clients_.push_back(MakeClient("post-client", TokenEndpointAuthMethod::kClientSecretPost));
    clients_.back().client_secret = "post-secret";
    clients_.push_back(MakeClient("hashed-client", TokenEndpointAuthMethod::kClientSecretBasic));
    clients_.back().client_secret_hash = "fake$hashed-secret";
    clients_.push_back(MakeClient("public-client", TokenEndpointAuthMethod::kNone));
    clients_.push_back(MakeClient("no-secret", TokenEndpointAuthMethod::kClientSecretBasic));
    registry_ = std::make_unique<ClientRegistry>(clients_);
    auto auth = ClientAuthenticator::Create(
        *registry_, InlineVerifier([this](std::string_view encoded, std::string_view secret) {
          ++argon2_runs_;
          return encoded == "fake$" + std::string(secret);
        }));
    EXPECT_TRUE(auth);
    auth_ = std::move(*auth);
  }

  Expected<AuthenticatedClient> Authenticate(std::string_view body,
                                             std::string authorization = {}) {
    auto request = TokenRequest::FromForm(body, std::move(authorization), "192.0.2.1");
    EXPECT_TRUE(request);
    return testing::RunAwaitable(auth_->Authenticate(*request));
  }

  std::vector<config::Client> clients_;
  std::unique_ptr<ClientRegistry> registry_;
  std::unique_ptr<ClientAuthenticator> auth_;
  std::atomic<int> argon2_runs_{0};
};

TEST_F(ClientAuthenticatorTest, Authenticate_AcceptsClientSecretBasic) {
  auto client = Authenticate("", MakeBasicAuthorization("basic-client", "basic-secret"));
  ASSERT_TRUE(client);
  EXPECT_EQ(client->client->client_id, "basic-client");
  EXPECT_EQ(client->method, TokenEndpointAuthMethod::kClientSecretBasic);
}

TEST_F(ClientAuthenticatorTest, Authenticate_AcceptsClientSecretPost) {
  auto client = Authenticate("client_id=post-client&client_secret=post-secret");
  ASSERT_TRUE(client);
  EXPECT_EQ(client->client->client_id, "post-client");
  EXPECT_EQ(client->method, TokenEndpointAuthMethod::kClientSecretPost);
}

TEST_F(ClientAuthenticatorTest, Authenticate_AcceptsMatchingClientIdInBodyWithBasic) {
  auto client = Authenticate("client_id=basic-client",
                             MakeBasicAuthorization("basic-client", "basic-secret"));
  ASSERT_TRUE(client);
}

TEST_F(ClientAuthenticatorTest, Authenticate_PublicClientWithClientIdOnly) {
  auto client = Authenticate("client_id=public-client");
  ASSERT_TRUE(client);
  EXPECT_EQ(client->method, TokenEndpointAuthMethod::kNone);
}

TEST_F(ClientAuthenticatorTest, Authenticate_UnknownClientAndWrongSecretLookTheSame) {
  auto unknown = Authenticate("", MakeBasicAuthorization("nobody", "basic-secret"));
  auto wrong = Authenticate("", MakeBasicAuthorization("basic-client", "wrong"));
  ASSERT_FALSE(unknown);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidClient);
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidClient);
  EXPECT_EQ(unknown.error().description, wrong.error().description);
  EXPECT_EQ(ToJson(unknown.error()), ToJson(wrong.error()));
  EXPECT_NE(unknown.error().debug, wrong.error().debug);  // the log still tells them apart
}

TEST_F(ClientAuthenticatorTest, Authenticate_BasicFailureIsFlaggedFor401) {
  auto wrong = Authenticate("", MakeBasicAuthorization("basic-client", "wrong"));
  ASSERT_FALSE(wrong);
  EXPECT_TRUE(wrong.error().client_used_basic_auth);
  EXPECT_EQ(HttpStatus(wrong.error()), 401);
}

TEST_F(ClientAuthenticatorTest, Authenticate_PostFailureIsNotFlagged) {
  auto wrong = Authenticate("client_id=post-client&client_secret=wrong");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidClient);
  EXPECT_FALSE(wrong.error().client_used_basic_auth);
  EXPECT_EQ(HttpStatus(wrong.error()), 400);
}

TEST_F(ClientAuthenticatorTest, Authenticate_RejectsMethodOtherThanRegistered) {
  // Right secret, wrong method: basic-client is registered for client_secret_basic.
  auto client = Authenticate("client_id=basic-client&client_secret=basic-secret");
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, ErrorCode::kInvalidClient);
  auto post_via_basic = Authenticate("", MakeBasicAuthorization("post-client", "post-secret"));
  ASSERT_FALSE(post_via_basic);
  EXPECT_EQ(post_via_basic.error().code, ErrorCode::kInvalidClient);
}

TEST_F(ClientAuthenticatorTest, Authenticate_ConfidentialClientWithoutSecretFails) {
  auto client = Authenticate("client_id=basic-client");
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, ErrorCode::kInvalidClient);
}

TEST_F(ClientAuthenticatorTest, Authenticate_ClientWithNoConfiguredSecretFails) {
  auto client = Authenticate("", MakeBasicAuthorization("no-secret", ""));
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, ErrorCode::kInvalidClient);
}

TEST_F(ClientAuthenticatorTest, Authenticate_RejectsTwoMethodsAtOnce) {
  auto client = Authenticate("client_id=basic-client&client_secret=basic-secret",
                             MakeBasicAuthorization("basic-client", "basic-secret"));
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, ErrorCode::kInvalidRequest);
  EXPECT_TRUE(client.error().client_used_basic_auth);
}

TEST_F(ClientAuthenticatorTest, Authenticate_RejectsBodyClientIdDifferentFromBasic) {
  auto client =
      Authenticate("client_id=post-client", MakeBasicAuthorization("basic-client", "basic-secret"));
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, ErrorCode::kInvalidRequest);
}

TEST_F(ClientAuthenticatorTest, Authenticate_RequiresSomeCredentials) {
  auto client = Authenticate("grant_type=client_credentials");
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, ErrorCode::kInvalidClient);
  EXPECT_FALSE(client.error().client_used_basic_auth);
}

TEST_F(ClientAuthenticatorTest, Authenticate_ClientAssertionIsNotSupportedYet) {
  auto client = Authenticate(
      "client_id=basic-client&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3A"
      "client-assertion-type%3Ajwt-bearer&client_assertion=x.y.z");
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, ErrorCode::kInvalidClient);
}

TEST_F(ClientAuthenticatorTest, Authenticate_MalformedBasicHeaderIsInvalidClient) {
  auto client = Authenticate("", "Basic !!!");
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, ErrorCode::kInvalidClient);
  EXPECT_EQ(HttpStatus(client.error()), 401);
}

TEST_F(ClientAuthenticatorTest, HashedSecret_SecondRequestSkipsArgon2) {
  const std::string header = MakeBasicAuthorization("hashed-client", "hashed-secret");
  ASSERT_TRUE(Authenticate("", header));
  EXPECT_EQ(argon2_runs_, 1);
  ASSERT_TRUE(Authenticate("", header));
  ASSERT_TRUE(Authenticate("", header));
  EXPECT_EQ(argon2_runs_, 1);
}

TEST_F(ClientAuthenticatorTest, HashedSecret_WrongSecretAfterCachingStillFailsWithArgon2Run) {
  ASSERT_TRUE(Authenticate("", MakeBasicAuthorization("hashed-client", "hashed-secret")));
  const int before = argon2_runs_;
  auto wrong = Authenticate("", MakeBasicAuthorization("hashed-client", "hashed-secreT"));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidClient);
  EXPECT_EQ(argon2_runs_, before + 1);  // same cost as an unknown client
}

TEST_F(ClientAuthenticatorTest, HashedSecret_UnknownClientCostsOneArgon2Run) {
  auto unknown = Authenticate("", MakeBasicAuthorization("nobody", "hashed-secret"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidClient);
  EXPECT_EQ(argon2_runs_, 1);
}

TEST_F(ClientAuthenticatorTest, HashedSecret_CacheIsPerClient) {
  // A digest remembered for one client never authenticates another.
  ASSERT_TRUE(Authenticate("", MakeBasicAuthorization("hashed-client", "hashed-secret")));
  auto other = Authenticate("", MakeBasicAuthorization("basic-client", "hashed-secret"));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kInvalidClient);
}

TEST_F(ClientAuthenticatorTest, HashedSecret_ConcurrentRequestsAllSucceed) {
  // Runs under the sanitizer builds to exercise the cache's locking.
  const std::string header = MakeBasicAuthorization("hashed-client", "hashed-secret");
  auto request = TokenRequest::FromForm("", header, "");
  ASSERT_TRUE(request);
  constexpr int kThreads = 4;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (!testing::RunAwaitable(auth_->Authenticate(*request))) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  // Only threads racing on the very first request can run argon2.
  EXPECT_LE(argon2_runs_, kThreads);
}

TEST_F(ClientAuthenticatorTest, ClaimedClient_OnlyNamesRegisteredClients) {
  auto known = TokenRequest::FromForm("client_id=post-client", "", "");
  auto unknown = TokenRequest::FromForm("client_id=my-secret-pasted-here", "", "");
  ASSERT_TRUE(known && unknown);
  ASSERT_NE(auth_->ClaimedClient(*known), nullptr);
  EXPECT_EQ(auth_->ClaimedClient(*known)->client_id, "post-client");
  EXPECT_EQ(auth_->ClaimedClient(*unknown), nullptr);
}

}  // namespace
}  // namespace signet::oauth

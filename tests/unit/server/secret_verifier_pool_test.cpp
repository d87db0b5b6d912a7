// argon2 off the I/O thread (issue 3): a token request whose client-secret check is running
// on the SecretVerifierPool must not stop a single-I/O-thread server from answering other
// connections, and past the pool's bound a request gets 503 temporarily_unavailable at once.
// The injected verifier blocks on a gate the test opens, so nothing here depends on timing.
#include "server/secret_verifier_pool.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keys/private_key.hpp"
#include "keys/signer.hpp"
#include "oauth/token_service.hpp"
#include "server/health_endpoint.hpp"
#include "server/server.hpp"
#include "server/token_endpoint.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"
#include "tests/unit/server/raw_client.hpp"

namespace signet::server {
namespace {

using testing_support::RawClient;
using testing_support::StartsWith;

constexpr std::string_view kGetHealthz = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";
constexpr std::string_view kFakeHash = "fake$s3cret";  // the test verifier accepts "s3cret"

// Blocks every verification until Open(); counts the ones that have started.
class Gate {
 public:
  bool Pass(std::string_view encoded_hash, std::string_view secret) {
    std::unique_lock lock(mutex_);
    ++entered_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
    return encoded_hash == "fake$" + std::string(secret);
  }
  void WaitUntilEntered(int count) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return entered_ >= count; });
  }
  void Open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  int entered() {
    std::lock_guard lock(mutex_);
    return entered_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int entered_ = 0;
  bool open_ = false;
};

std::string TokenPost(std::string_view client_id, std::string_view secret) {
  const std::string form = "grant_type=client_credentials&client_id=" + std::string(client_id) +
                           "&client_secret=" + std::string(secret);
  return "POST /oauth2/token HTTP/1.1\r\nHost: t\r\n"
         "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
         std::to_string(form.size()) + "\r\n\r\n" + form;
}

std::string Body(const std::string& response) {
  const auto end = response.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : response.substr(end + 4);
}

class SecretVerifierPoolTest : public ::testing::Test {
 protected:
  void Start(std::size_t max_pending) {
    config_.issuer = "http://127.0.0.1";
    config_.tokens.signing_alg = keys::Algorithm::kEs256;
    config_.keys.algorithms = {keys::Algorithm::kEs256};
    config::Client client;
    client.client_id = "hashed";
    client.client_secret_hash = std::string(kFakeHash);
    client.token_endpoint_auth_method = config::TokenEndpointAuthMethod::kClientSecretPost;
    client.audience = {"https://api.example.com"};
    config_.clients = {client};

    pool_ = std::make_unique<SecretVerifierPool>(
        [this](std::string_view hash, std::string_view secret) { return gate_.Pass(hash, secret); },
        SecretVerifierPoolOptions{.threads = 1, .max_pending = max_pending});
    auto key = keys::PrivateKey::Generate(keys::Algorithm::kEs256);
    ASSERT_TRUE(key);
    auto signer = keys::Signer::Create(std::move(*key), "kid-1");
    ASSERT_TRUE(signer);
    auto shared = std::make_shared<const keys::Signer>(std::move(*signer));
    oauth::TokenServiceDeps deps;
    deps.active_signer = [shared](keys::Algorithm alg) -> std::shared_ptr<const keys::Signer> {
      return alg == shared->algorithm() ? shared : nullptr;
    };
    deps.verify_hash = pool_->Verifier();
    auto service = oauth::TokenService::Create(config_, std::move(deps));
    ASSERT_TRUE(service);
    service_ = std::move(*service);
    endpoint_ = std::make_unique<TokenEndpoint>(*service_);

    Router router;
    router.Add(http::verb::get, "/healthz", Healthz);
    router.AddAsync(http::verb::post, std::string(kTokenPath),
                    [this](const Request& request, RequestContext& context) {
                      return endpoint_->Handle(request, context);
                    });
    HttpServerOptions options;
    options.listen = "127.0.0.1:0";
    options.threads = 1;  // one I/O thread: a blocked handler would block everything
    options.handle_signals = false;
    auto server = HttpServer::Create(options, std::move(router));
    ASSERT_TRUE(server.has_value()) << server.error().message();
    server_ = std::move(*server);
    runner_ = std::thread([this] { server_->Run(); });
  }

  void TearDown() override {
    gate_.Open();
    if (server_) server_->Stop();
    if (runner_.joinable()) runner_.join();
    pool_.reset();  // after Run() returned, before the server (see secret_verifier_pool.hpp)
    server_.reset();
  }

  Gate gate_;
  config::Config config_;
  std::unique_ptr<oauth::TokenService> service_;
  std::unique_ptr<TokenEndpoint> endpoint_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<SecretVerifierPool> pool_;
  std::thread runner_;
};

TEST_F(SecretVerifierPoolTest, BlockedVerification_OtherConnectionsAreStillServed) {
  Start(64);
  RawClient token_client(server_->port());
  token_client.Send(TokenPost("hashed", "s3cret"));
  gate_.WaitUntilEntered(1);  // the check is running on the pool, the request is suspended

  RawClient health_client(server_->port());
  health_client.Send(kGetHealthz);
  EXPECT_TRUE(StartsWith(health_client.ReadResponse(), "HTTP/1.1 200"));
  EXPECT_EQ(pool_->pending(), 1U);

  gate_.Open();
  const std::string token = token_client.ReadResponse();
  ASSERT_TRUE(StartsWith(token, "HTTP/1.1 200")) << token;
  EXPECT_TRUE(nlohmann::json::parse(Body(token)).contains("access_token"));
  EXPECT_EQ(pool_->pending(), 0U);
}

TEST_F(SecretVerifierPoolTest, PastTheBound_Answers503TemporarilyUnavailableWithRetryAfter) {
  Start(1);
  RawClient first(server_->port());
  first.Send(TokenPost("hashed", "s3cret"));
  gate_.WaitUntilEntered(1);

  RawClient second(server_->port());
  second.Send(TokenPost("hashed", "wrong"));  // a wrong secret needs argon2: no slot left
  const std::string busy = second.ReadResponse();
  ASSERT_TRUE(StartsWith(busy, "HTTP/1.1 503")) << busy;
  EXPECT_NE(busy.find("Retry-After: 1\r\n"), std::string::npos);
  EXPECT_NE(busy.find("Cache-Control: no-store"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(Body(busy)).value("error", ""), "temporarily_unavailable");
  EXPECT_EQ(gate_.entered(), 1);  // the refused request never reached the verifier

  gate_.Open();
  EXPECT_TRUE(StartsWith(first.ReadResponse(), "HTTP/1.1 200"));
}

TEST_F(SecretVerifierPoolTest, PastTheBound_UnknownClientGetsTheSame503) {
  Start(1);
  RawClient first(server_->port());
  first.Send(TokenPost("hashed", "s3cret"));
  gate_.WaitUntilEntered(1);

  RawClient unknown(server_->port());
  unknown.Send(TokenPost("nobody", "whatever"));  // costs an argon2 run like a wrong secret
  const std::string busy = unknown.ReadResponse();
  ASSERT_TRUE(StartsWith(busy, "HTTP/1.1 503")) << busy;
  EXPECT_EQ(nlohmann::json::parse(Body(busy)).value("error", ""), "temporarily_unavailable");
  gate_.Open();
  EXPECT_TRUE(StartsWith(first.ReadResponse(), "HTTP/1.1 200"));
}

TEST_F(SecretVerifierPoolTest, CachedSecret_DoesNotUseThePool) {
  Start(64);
  gate_.Open();
  RawClient client(server_->port());
  client.Send(TokenPost("hashed", "s3cret"));
  ASSERT_TRUE(StartsWith(client.ReadResponse(), "HTTP/1.1 200"));
  client.Send(TokenPost("hashed", "s3cret"));
  ASSERT_TRUE(StartsWith(client.ReadResponse(), "HTTP/1.1 200"));
  EXPECT_EQ(gate_.entered(), 1);  // the second request matched the remembered digest
}

TEST(SecretVerifierPool, VerifierRunsOnAPoolThreadAndFreesItsSlot) {
  std::thread::id ran_on;
  SecretVerifierPool pool(
      [&ran_on](std::string_view hash, std::string_view secret) {
        ran_on = std::this_thread::get_id();
        return hash == secret;
      },
      SecretVerifierPoolOptions{.threads = 1, .max_pending = 2});
  EXPECT_EQ(pool.threads(), 1U);
  const auto verify = pool.Verifier();
  auto matched = testing::RunAwaitable(verify("same", "same"));
  ASSERT_TRUE(matched);
  EXPECT_TRUE(*matched);
  auto mismatched = testing::RunAwaitable(verify("same", "other"));
  ASSERT_TRUE(mismatched);
  EXPECT_FALSE(*mismatched);
  EXPECT_NE(ran_on, std::this_thread::get_id());
  EXPECT_EQ(pool.pending(), 0U);
}

TEST(SecretVerifierPool, DefaultSizeIsHalfTheCoresAtLeastOne) {
  SecretVerifierPool pool([](std::string_view, std::string_view) { return false; });
  EXPECT_EQ(pool.threads(), std::max(1U, std::thread::hardware_concurrency() / 2));
}

}  // namespace
}  // namespace signet::server

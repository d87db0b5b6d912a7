// The HTTP server over real loopback sockets, in-process: keep-alive, the 431/413 limits, the
// read timeout, max_connections and the graceful stop. A raw POSIX client is used so that the
// tests can send what a well-behaved client library would refuse to send.
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "server/app.hpp"
#include "server/health_endpoint.hpp"
#include "server/server.hpp"
#include "tests/unit/server/raw_client.hpp"

namespace signet::server {
namespace {

using testing_support::RawClient;
using testing_support::StartsWith;

constexpr std::string_view kGetHealthz = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";

class ServerSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Router router;
    router.Add(http::verb::get, "/healthz", Healthz);
    router.Add(http::verb::post, "/echo", [](const Request& request, RequestContext&) {
      return MakeResponse(request, http::status::ok, "text/plain", request.body());
    });
    router.Add(http::verb::get, "/block", [this](const Request& request, RequestContext&) {
      entered_.set_value();
      release_.get_future().wait();
      return JsonResponse(request, http::status::ok, "{}");
    });
    HttpServerOptions options;
    options.listen = "127.0.0.1:0";
    options.threads = 2;
    options.max_connections = 3;
    options.read_timeout = std::chrono::seconds(1);
    options.write_timeout = std::chrono::seconds(1);
    options.shutdown_grace = std::chrono::seconds(5);
    options.handle_signals = false;
    auto server = HttpServer::Create(options, std::move(router));
    ASSERT_TRUE(server.has_value()) << server.error().message();
    server_ = std::move(*server);
    port_ = server_->port();
    ASSERT_NE(port_, 0);
    runner_ = std::thread([this] { server_->Run(); });
  }

  void TearDown() override {
    if (server_) server_->Stop();
    if (runner_.joinable()) runner_.join();
  }

  std::unique_ptr<HttpServer> server_;
  std::uint16_t port_ = 0;
  std::thread runner_;
  std::promise<void> entered_;
  std::promise<void> release_;
};

TEST_F(ServerSocketTest, KeepAlive_ServesSeveralRequestsOnOneConnection) {
  RawClient client(port_);
  ASSERT_TRUE(client.connected());
  client.Send(kGetHealthz);
  EXPECT_TRUE(StartsWith(client.ReadResponse(), "HTTP/1.1 200"));
  client.Send(kGetHealthz);
  EXPECT_TRUE(StartsWith(client.ReadResponse(), "HTTP/1.1 200"));
}

TEST_F(ServerSocketTest, ConnectionClose_IsHonoured) {
  RawClient client(port_);
  client.Send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(StartsWith(client.ReadResponse(), "HTTP/1.1 200"));
  EXPECT_TRUE(client.WaitForClose());
}

TEST_F(ServerSocketTest, HeaderOver8KiB_Is431AndCloses) {
  RawClient client(port_);
  client.Send("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(9 * 1024, 'a') +
              "\r\n\r\n");
  EXPECT_TRUE(StartsWith(client.ReadResponse(), "HTTP/1.1 431"));
  EXPECT_TRUE(client.WaitForClose());
}

TEST_F(ServerSocketTest, HeaderUnder8KiB_IsServed) {
  RawClient client(port_);
  client.Send("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(6 * 1024, 'a') +
              "\r\n\r\n");
  EXPECT_TRUE(StartsWith(client.ReadResponse(), "HTTP/1.1 200"));
}

TEST_F(ServerSocketTest, BodyOver64KiB_Is413AndCloses) {
  RawClient client(port_);
  const std::string body(65 * 1024, 'x');
  client.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(body.size()) +
              "\r\n\r\n" + body);
  EXPECT_TRUE(StartsWith(client.ReadResponse(), "HTTP/1.1 413"));
  EXPECT_TRUE(client.WaitForClose());
}

TEST_F(ServerSocketTest, BodyUnder64KiB_IsServed) {
  RawClient client(port_);
  const std::string body(60 * 1024, 'x');
  client.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(body.size()) +
              "\r\n\r\n" + body);
  const std::string response = client.ReadResponse();
  EXPECT_TRUE(StartsWith(response, "HTTP/1.1 200"));
  EXPECT_NE(response.find(body), std::string::npos);
}

TEST_F(ServerSocketTest, ExpectContinue_Gets100BeforeTheBody) {
  RawClient client(port_);
  client.Send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
      "Content-Length: 5\r\n\r\n");
  EXPECT_TRUE(StartsWith(client.ReadResponse(), "HTTP/1.1 100"));
  client.Send("hello");
  const std::string response = client.ReadResponse();
  EXPECT_TRUE(StartsWith(response, "HTTP/1.1 200"));
  EXPECT_NE(response.find("hello"), std::string::npos);
}

TEST_F(ServerSocketTest, ExpectContinueWithOversizedLength_Is413Without100) {
  RawClient client(port_);
  client.Send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
      "Content-Length: 1000000\r\n\r\n");
  EXPECT_TRUE(StartsWith(client.ReadResponse(), "HTTP/1.1 413"));
}

TEST_F(ServerSocketTest, MalformedRequest_Is400) {
  RawClient client(port_);
  client.Send("NOT HTTP AT ALL\r\n\r\n");
  EXPECT_TRUE(StartsWith(client.ReadResponse(), "HTTP/1.1 400"));
}

TEST_F(ServerSocketTest, SlowClient_IsCutOffByReadTimeout) {
  RawClient client(port_);
  client.Send("GET /healthz HTTP/1.1\r\nHost: t\r\n");  // never finishes the header
  EXPECT_TRUE(client.WaitForClose());  // closed by the 1 s read timeout, well before the guard
}

TEST_F(ServerSocketTest, OverMaxConnections_AnswersServiceUnavailableAndCloses) {
  std::vector<std::unique_ptr<RawClient>> open;
  for (int i = 0; i < 3; ++i) {
    open.push_back(std::make_unique<RawClient>(port_));
    open.back()->Send(kGetHealthz);  // answered: the connection has been admitted
    ASSERT_TRUE(StartsWith(open.back()->ReadResponse(), "HTTP/1.1 200"));
  }
  RawClient extra(port_);
  EXPECT_TRUE(StartsWith(extra.ReadResponse(), "HTTP/1.1 503"));
  EXPECT_TRUE(extra.WaitForClose());
}

TEST_F(ServerSocketTest, Stop_ClosesIdleConnectionsAndRunReturns) {
  RawClient idle(port_);
  idle.Send(kGetHealthz);
  ASSERT_TRUE(StartsWith(idle.ReadResponse(), "HTTP/1.1 200"));
  server_->Stop();
  runner_.join();
  EXPECT_TRUE(idle.WaitForClose());
}

TEST_F(ServerSocketTest, Stop_LetsInFlightRequestFinishWithConnectionClose) {
  RawClient busy(port_);
  busy.Send("GET /block HTTP/1.1\r\nHost: t\r\n\r\n");
  entered_.get_future().wait();
  server_->Stop();
  release_.set_value();
  const std::string response = busy.ReadResponse();
  EXPECT_TRUE(StartsWith(response, "HTTP/1.1 200"));
  EXPECT_NE(response.find("Connection: close"), std::string::npos);
  runner_.join();
}

// The whole `serve` wiring on an ephemeral port: keys generated into a temporary keys.dir,
// discovery derived from the issuer, a client_credentials token over HTTP.
TEST(AppSocketTest, ServesDiscoveryAndIssuesTokenOnEphemeralPort) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("signet-server-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  config::Config config;
  config.issuer = "http://127.0.0.1:8080";
  config.listen = "127.0.0.1:0";
  config.threads = 1;
  config.tokens.signing_alg = keys::Algorithm::kEs256;
  config.keys.algorithms = {keys::Algorithm::kEs256};
  config.keys.dir = (dir / "keys").string();
  config::Client client;
  client.client_id = "svc";
  client.client_secret = "s3cret";
  client.token_endpoint_auth_method = config::TokenEndpointAuthMethod::kClientSecretPost;
  client.audience = {"https://api.example.com"};
  config.clients = {client};

  auto app = App::Create(config, {.handle_signals = false});
  ASSERT_TRUE(app.has_value()) << app.error();
  std::thread runner([&] { (*app)->Run(); });

  RawClient http((*app)->port());
  http.Send("GET /.well-known/openid-configuration HTTP/1.1\r\nHost: t\r\n\r\n");
  const std::string discovery = http.ReadResponse();
  EXPECT_TRUE(StartsWith(discovery, "HTTP/1.1 200"));
  EXPECT_NE(discovery.find(R"("token_endpoint":"http://127.0.0.1:8080/oauth2/token")"),
            std::string::npos);

  const std::string form = "grant_type=client_credentials&client_id=svc&client_secret=s3cret";
  http.Send(
      "POST /oauth2/token HTTP/1.1\r\nHost: t\r\n"
      "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
      std::to_string(form.size()) + "\r\n\r\n" + form);
  const std::string token = http.ReadResponse();
  EXPECT_TRUE(StartsWith(token, "HTTP/1.1 200")) << token;
  EXPECT_NE(token.find("Cache-Control: no-store"), std::string::npos);
  EXPECT_NE(token.find(R"("access_token":")"), std::string::npos);

  http.Send("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_TRUE(StartsWith(http.ReadResponse(), "HTTP/1.1 200"));

  (*app)->Stop();
  runner.join();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace signet::server

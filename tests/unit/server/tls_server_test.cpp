// HTTPS over real loopback sockets, in-process: TLS 1.2/1.3 served and TLS 1.1 refused, ALPN,
// plain HTTP refused on the TLS port, the handshake under read_timeout, and certificate
// rotation: new connections get the new pair while open ones keep theirs.
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "server/health_endpoint.hpp"
#include "server/server.hpp"
#include "server/tls_reloader.hpp"
#include "tests/support/test_certificates.hpp"
#include "tests/unit/server/raw_client.hpp"
#include "tests/unit/server/tls_client.hpp"

namespace signet::server {
namespace {

using test_support::KeyKind;
using test_support::TempDir;
using test_support::TestCertificate;
using testing_support::RawClient;
using testing_support::StartsWith;
using testing_support::TlsClient;

constexpr std::string_view kGetHealthz = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";

class TlsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("cert.pem", first_.CertPem());
    dir_.Write("key.pem", first_.KeyPem());
    auto reloader = TlsReloader::Create({dir_.File("cert.pem"), dir_.File("key.pem")});
    ASSERT_TRUE(reloader.has_value()) << reloader.error();
    reloader_ = *reloader;
    Router router;
    router.Add(http::verb::get, "/healthz", Healthz);
    HttpServerOptions options;
    options.listen = "127.0.0.1:0";
    options.threads = 2;
    options.read_timeout = std::chrono::seconds(1);
    options.write_timeout = std::chrono::seconds(1);
    options.handle_signals = false;
    options.tls = reloader_;
    options.tls_check_interval = std::chrono::milliseconds(50);
    auto server = HttpServer::Create(options, std::move(router));
    ASSERT_TRUE(server.has_value()) << server.error().message();
    server_ = std::move(*server);
    port_ = server_->port();
    runner_ = std::thread([this] { server_->Run(); });
  }

  void TearDown() override {
    if (server_) server_->Stop();
    if (runner_.joinable()) runner_.join();
  }

  static std::string Fingerprint(const TestCertificate& cert) {
    return tls::DescribeCertificate(cert.cert()).sha256_fingerprint;
  }

  TempDir dir_;
  TestCertificate first_ = TestCertificate::SelfSigned(KeyKind::kEcP256, "first");
  TestCertificate second_ = TestCertificate::SelfSigned(KeyKind::kRsa2048, "second");
  std::shared_ptr<TlsReloader> reloader_;
  std::unique_ptr<HttpServer> server_;
  std::uint16_t port_ = 0;
  std::thread runner_;
};

TEST_F(TlsServerTest, Tls13_ServesHealthz) {
  TlsClient client(port_, {.min_version = TLS1_3_VERSION});
  ASSERT_TRUE(client.handshake_ok());
  EXPECT_EQ(client.version(), "TLSv1.3");
  EXPECT_TRUE(StartsWith(client.RoundTrip(kGetHealthz), "HTTP/1.1 200"));
}

TEST_F(TlsServerTest, Tls12_ServesHealthzOnKeepAlive) {
  TlsClient client(port_, {.min_version = TLS1_2_VERSION, .max_version = TLS1_2_VERSION});
  ASSERT_TRUE(client.handshake_ok());
  EXPECT_EQ(client.version(), "TLSv1.2");
  EXPECT_TRUE(StartsWith(client.RoundTrip(kGetHealthz), "HTTP/1.1 200"));
  EXPECT_TRUE(StartsWith(client.RoundTrip(kGetHealthz), "HTTP/1.1 200"));
}

TEST_F(TlsServerTest, Tls11_IsRefused) {
  TlsClient client(port_, {.min_version = TLS1_VERSION, .max_version = TLS1_1_VERSION});
  EXPECT_FALSE(client.handshake_ok());
}

TEST_F(TlsServerTest, Alpn_SelectsHttp11) {
  TlsClient client(port_, {});
  ASSERT_TRUE(client.handshake_ok());
  EXPECT_EQ(client.alpn(), "http/1.1");
}

TEST_F(TlsServerTest, NoAlpn_IsStillServed) {
  TlsClient client(port_, {.offer_alpn = false});
  ASSERT_TRUE(client.handshake_ok());
  EXPECT_EQ(client.alpn(), "");
  EXPECT_TRUE(StartsWith(client.RoundTrip(kGetHealthz), "HTTP/1.1 200"));
}

TEST_F(TlsServerTest, PlainHttp_GetsNoHttpAnswer) {
  RawClient client(port_);
  client.Send(kGetHealthz);
  EXPECT_EQ(client.ReadResponse(), "");
  EXPECT_TRUE(client.WaitForClose());
}

TEST_F(TlsServerTest, SilentClient_IsCutOffByReadTimeout) {
  RawClient client(port_);             // connects, never sends a ClientHello
  EXPECT_TRUE(client.WaitForClose());  // closed by the 1 s read timeout, well before the guard
}

TEST_F(TlsServerTest, Reload_NewConnectionsGetNewPairOpenOnesKeepTheirs) {
  TlsClient before(port_, {});
  ASSERT_TRUE(before.handshake_ok());
  ASSERT_EQ(before.peer_fingerprint(), Fingerprint(first_));
  dir_.Write("cert.pem", second_.CertPem());
  dir_.Write("key.pem", second_.KeyPem());
  ASSERT_EQ(reloader_->Reload("test"), TlsReloader::Outcome::kReloaded);

  TlsClient after(port_, {});
  ASSERT_TRUE(after.handshake_ok());
  EXPECT_EQ(after.peer_fingerprint(), Fingerprint(second_));
  EXPECT_TRUE(StartsWith(after.RoundTrip(kGetHealthz), "HTTP/1.1 200"));
  // The connection opened before the reload still works on its own pair.
  EXPECT_TRUE(StartsWith(before.RoundTrip(kGetHealthz), "HTTP/1.1 200"));
}

TEST_F(TlsServerTest, FileWatch_PicksUpReplacedPairWithoutSignal) {
  dir_.Write("cert.pem", second_.CertPem());
  dir_.Write("key.pem", second_.KeyPem());
  // The watcher checks every 50 ms here; poll for its effect up to the guard time.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::string seen;
  while (std::chrono::steady_clock::now() < deadline) {
    TlsClient client(port_, {});
    seen = client.peer_fingerprint();
    if (seen == Fingerprint(second_)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(seen, Fingerprint(second_));
}

}  // namespace
}  // namespace signet::server

#pragma once
// Test helper: a blocking OpenSSL TLS client for the in-process HTTPS tests, with a chosen
// protocol range and ALPN, that reports the server certificate it saw. Every wait is bounded
// by kGuardMillis (socket timeouts), so a broken server fails a test instead of hanging it.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/unit/server/raw_client.hpp"
#include "tls/server_credentials.hpp"  // SslPtr<SSL_CTX>

namespace signet::server::testing_support {

struct SslDeleterForSsl {
  void operator()(SSL* ssl) const noexcept { SSL_free(ssl); }
};

class TlsClient {
 public:
  struct Options {
    int min_version = TLS1_2_VERSION;
    int max_version = 0;  // 0: the highest the library supports
    bool offer_alpn = true;
  };

  TlsClient(std::uint16_t port, Options options) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    timeval guard{kGuardMillis / 1000, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &guard, sizeof guard);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) return;
    ctx_.reset(SSL_CTX_new(TLS_client_method()));
    SSL_CTX_set_security_level(ctx_.get(), 0);  // let the client offer TLS 1.0/1.1 at all
    SSL_CTX_set_min_proto_version(ctx_.get(), options.min_version);
    SSL_CTX_set_max_proto_version(ctx_.get(), options.max_version);
    ssl_.reset(SSL_new(ctx_.get()));
    SSL_set_fd(ssl_.get(), fd_);
    if (options.offer_alpn) {
      static constexpr std::array<unsigned char, 12> kAlpn{2,   'h', '2', 8,   'h', 't',
                                                           't', 'p', '/', '1', '.', '1'};
      SSL_set_alpn_protos(ssl_.get(), kAlpn.data(), kAlpn.size());
    }
    handshake_ok_ = SSL_connect(ssl_.get()) == 1;
  }
  ~TlsClient() {
    ssl_.reset();
    ::close(fd_);
  }
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  bool handshake_ok() const { return handshake_ok_; }
  std::string version() const { return handshake_ok_ ? SSL_get_version(ssl_.get()) : ""; }
  std::string alpn() const {
    const unsigned char* data = nullptr;
    unsigned int size = 0;
    SSL_get0_alpn_selected(ssl_.get(), &data, &size);
    return std::string(reinterpret_cast<const char*>(data), size);
  }
  // SHA-256 of the server certificate's DER, lower-case hex (as tls::CertificateInfo).
  std::string peer_fingerprint() const {
    if (!handshake_ok_) return {};
    X509* peer = SSL_get0_peer_certificate(ssl_.get());
    if (peer == nullptr) return {};
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    X509_digest(peer, EVP_sha256(), digest.data(), &size);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < size; ++i) {
      hex.push_back(kHex[digest[i] >> 4]);
      hex.push_back(kHex[digest[i] & 0x0f]);
    }
    return hex;
  }

  // Sends `request` and returns one response (head + Content-Length body), "" on failure.
  std::string RoundTrip(std::string_view request) {
    if (!handshake_ok_) return {};
    if (SSL_write(ssl_.get(), request.data(), static_cast<int>(request.size())) <= 0) return {};
    std::string buffer;
    for (;;) {
      const auto head_end = buffer.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const auto at = buffer.find("Content-Length: ");
        const std::size_t length = at == std::string::npos ? 0 : std::stoul(buffer.substr(at + 16));
        if (buffer.size() >= head_end + 4 + length) return buffer;
      }
      char chunk[4096];
      const int n = SSL_read(ssl_.get(), chunk, sizeof chunk);
      if (n <= 0) return {};
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_;
  keys::internal::SslPtr<SSL_CTX> ctx_;
  std::unique_ptr<SSL, SslDeleterForSsl> ssl_;
  bool handshake_ok_ = false;
};

}  // namespace signet::server::testing_support

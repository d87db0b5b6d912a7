#pragma once
// Test helper: a blocking POSIX HTTP/1.1 client for in-process server tests, able to send what
// a well-behaved client library would refuse to send. Every wait is bounded by kGuardMillis,
// so a broken server fails a test instead of hanging it.

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace signet::server::testing_support {

// Upper bound for any wait, so that a broken server fails a test instead of hanging it.
inline constexpr int kGuardMillis = 10000;

class RawClient {
 public:
  explicit RawClient(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }

  void Send(std::string_view data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }

  // One response (head + Content-Length body), or "" when the connection ended first.
  std::string ReadResponse() {
    for (;;) {
      const auto head_end = buffer_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const std::size_t total = head_end + 4 + ContentLength(buffer_.substr(0, head_end));
        if (buffer_.size() >= total) {
          std::string response = buffer_.substr(0, total);
          buffer_.erase(0, total);
          return response;
        }
      }
      if (!Fill()) return {};
    }
  }

  // True when the server closed (EOF or reset) within the guard time.
  bool WaitForClose() {
    while (Fill()) {
    }
    return !timed_out_;
  }

 private:
  static std::size_t ContentLength(std::string head) {
    std::transform(head.begin(), head.end(), head.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto at = head.find("content-length:");
    if (at == std::string::npos) return 0;
    return std::stoul(head.substr(at + 15));
  }

  bool Fill() {
    pollfd poll_fd{fd_, POLLIN, 0};
    if (::poll(&poll_fd, 1, kGuardMillis) <= 0) {
      timed_out_ = true;
      return false;
    }
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_;
  bool connected_ = false;
  bool timed_out_ = false;
  std::string buffer_;
};

inline bool StartsWith(const std::string& text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace signet::server::testing_support

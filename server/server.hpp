#pragma once
// The HTTP server: a listening socket, N threads running one io_context, and the graceful
// shutdown. Asio stays behind the pimpl, so users of this header do not compile it.
//
// HTTPS: with options.tls set, `listen` speaks TLS only; the files are re-checked every second
// and on SIGHUP (when handle_signals), see server/tls_reloader.hpp.
//
// Shutdown (SIGTERM/SIGINT, or Stop()): stop accepting, close idle keep-alive connections,
// let in-flight requests finish for up to `shutdown_grace`, then cancel the rest and return
// from Run().
//
// Usage:
//   auto server = server::HttpServer::Create(options, std::move(router));
//   if (!server) ...;                      // bind failure: address in use, permission, ...
//   spdlog::info("listening on {}", (*server)->local_address());
//   (*server)->Run();                      // blocks until shutdown completes

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/system/result.hpp>

#include "config/config.hpp"
#include "server/router.hpp"

namespace signet::server {

class TlsReloader;

struct HttpServerOptions {
  std::string listen = "127.0.0.1:8080";  // "host:port", "[v6]:port"; port 0 = ephemeral
  unsigned threads = 0;                   // 0 = std::thread::hardware_concurrency()
  std::size_t max_connections = 10000;
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds write_timeout{30};
  std::chrono::seconds shutdown_grace{10};
  bool handle_signals = true;        // SIGTERM/SIGINT start the shutdown (off in in-process tests)
  std::shared_ptr<TlsReloader> tls;  // null: plain HTTP; else HTTPS only (app.cpp sets it)
  std::chrono::milliseconds tls_check_interval{1000};  // stat() of the TLS files
};

HttpServerOptions OptionsFromConfig(const config::Config& config);

class HttpServer {
 public:
  // Resolves and binds `listen` (blocking; start-up only) and starts listening.
  [[nodiscard]] static boost::system::result<std::unique_ptr<HttpServer>> Create(
      HttpServerOptions options, Router router);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound port (the ephemeral one when listen asked for port 0).
  std::uint16_t port() const noexcept;
  // "127.0.0.1:PORT" or "[::1]:PORT".
  std::string local_address() const;

  // The io_context's executor, for components that must run on the I/O threads (the Redis
  // client of the revocation store). Valid until the server is destroyed.
  boost::asio::any_io_executor executor() const;

  // Serves until the shutdown completes; the calling thread is one of the I/O threads.
  void Run();
  // Starts the graceful shutdown; thread-safe, idempotent, may be called before Run().
  void Stop();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace signet::server

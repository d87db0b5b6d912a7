#pragma once
// The composition root of `signet serve`: keys, JWKS, token service, router and HTTP server,
// wired from one immutable Config. No Asio or Beast in this header (main.cpp includes it).
//
// Start-up (App::Create): open keys.dir and make sure every configured algorithm has an
// active key (generating and saving missing ones), publish the JWKS, build the token service,
// bind `listen` and log "listening on HOST:PORT" (with the real port when listen asked for
// port 0; tests and scripts read it from there).
//
// Usage:
//   auto app = server::App::Create(config);
//   if (!app) { std::cerr << app.error(); return 1; }
//   (*app)->Run();                  // until SIGTERM/SIGINT or Stop(); then exit 0
//   // or simply: return server::Serve(config);

#include <cstdint>
#include <memory>
#include <string>

#include <boost/system/result.hpp>

#include "config/config.hpp"

namespace signet::server {

struct AppOptions {
  bool handle_signals = true;  // off for in-process tests, which call Stop()
};

class App {
 public:
  // The error is a one-line reason for stderr/log (never a secret).
  [[nodiscard]] static boost::system::result<std::unique_ptr<App>, std::string> Create(
      const config::Config& config, const AppOptions& options = {});
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  std::uint16_t port() const noexcept;
  void Run();   // blocks until the graceful shutdown completes
  void Stop();  // thread-safe

 private:
  struct Parts;
  explicit App(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

// InitLogging + App::Create + Run: the `serve` command. 0 after a clean shutdown, 1 when
// start-up fails (the reason is logged).
int Serve(const config::Config& config);

}  // namespace signet::server

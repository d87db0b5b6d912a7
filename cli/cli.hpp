#pragma once
// The `signet` command line (interface.md, "Command line"), as a library so that tests drive
// it with string streams and server/main.cpp stays one call:
//
//   int main(int argc, char** argv) {
//     std::vector<std::string> args(argv + 1, argv + argc);
//     cli::CliIo io{std::cin, std::cout, std::cerr, [](const char* n) { return std::getenv(n); }};
//     return cli::RunCli(args, io, hooks);
//   }
//
// Exit status: 0 success; 1 the operation ran and failed (token rejected, key could not be
// written, hashing failed); 2 the command could not run as asked (usage error, invalid
// configuration, feature not built yet, JWKS unreadable). Errors go to `err` as one line per
// problem; no exception escapes RunCli.

#include <functional>
#include <iosfwd>
#include <span>
#include <string>

#include <boost/system/result.hpp>

#include "config/config.hpp"

namespace signet::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct CliIo {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  // Environment lookup with std::getenv's contract (nullptr when unset); injectable for tests.
  std::function<const char*(const char*)> getenv;
};

struct CliHooks {
  // Runs the server with a validated config until shutdown; returns the exit status.
  // Provided by server/main.cpp (the CLI library never links Beast or the HTTP server).
  std::function<int(const config::Config&)> serve;
  // Fetches an http(s) URL's body (for `token verify --jwks https://...`). Empty: URLs are
  // refused with a clear message. jku/x5u are never fetched, only URLs the user typed.
  std::function<boost::system::result<std::string>(const std::string& url)> fetch_url;
};

// `args` excludes argv[0]. Never throws.
int RunCli(std::span<const std::string> args, CliIo& io, const CliHooks& hooks);

}  // namespace signet::cli

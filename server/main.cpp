// The `signet` binary: builds the hooks the CLI library cannot provide itself (the server and
// the HTTP client, which need Boost.Asio) and runs the command line. All logic lives in
// libraries that tests link (house style rule 2).
//
// Exit status: whatever the command returns (cli/cli.hpp: 0 ok, 1 failed, 2 usage/config);
// 1 if anything escapes, with a one-line message and never a stack trace.

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "server/app.hpp"
#include "server/http_fetch.hpp"

int main(int argc, char** argv) {
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    signet::cli::CliIo io{std::cin, std::cout, std::cerr,
                          [](const char* name) { return std::getenv(name); }};
    signet::cli::CliHooks hooks;
    hooks.serve = [](const signet::config::Config& config) {
      return signet::server::Serve(config);
    };
    hooks.fetch_url = [](const std::string& url) { return signet::server::HttpGet(url); };
    return signet::cli::RunCli(args, io, hooks);
  } catch (const std::exception& e) {
    std::cerr << "signet: internal error: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "signet: internal error\n";
  }
  return 1;
}

// signet serve [--config FILE] / signet config check --config FILE

#include <array>
#include <optional>
#include <ostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/config_source.hpp"
#include "config/key_names.hpp"
#include "config/loader.hpp"
#include "tls/server_credentials.hpp"

namespace signet::cli {
namespace {

constexpr std::array<FlagSpec, 1> kConfigFlags{{{"config"}}};

constexpr std::string_view kServeHelp =
    "usage: signet serve [--config FILE]\n"
    "\n"
    "Runs the issuer. The configuration comes from --config, else from the file named by\n"
    "SIGNET_CONFIG, else the embedded development default (issuer http://127.0.0.1:8080,\n"
    "in-memory store, keys under ./var/keys, one demo client and one demo user).\n"
    "SIGNET_ISSUER, SIGNET_LISTEN, SIGNET_REDIS_URL, SIGNET_LOG_LEVEL and SIGNET_LOG_FORMAT\n"
    "override the file. An invalid configuration is reported in full and exits 2.\n";

constexpr std::string_view kConfigCheckHelp =
    "usage: signet config check --config FILE\n"
    "\n"
    "Validates a configuration file together with the SIGNET_* environment overrides.\n"
    "Prints \"ok: FILE\" and exits 0, or prints every problem (key path and reason) on\n"
    "stderr and exits 2. SIGNET_CONFIG is used when --config is absent.\n";

}  // namespace

int RunServe(std::span<const std::string> args, CliIo& io, const CliHooks& hooks) {
  auto parsed = ParseArgs(args, kConfigFlags);
  if (!parsed) return Fail(io, "serve", parsed.error().message, kExitUsage);
  if (parsed->help()) {
    io.out << kServeHelp;
    return kExitOk;
  }
  if (!parsed->positionals().empty()) {
    return Fail(io, "serve", "unexpected argument '" + parsed->positionals()[0] + "'", kExitUsage);
  }
  const std::optional<std::string> path = ConfigPath(*parsed, io);
  auto config = LoadCommandConfig(path, io);
  if (!config) return kExitUsage;
  // With JSON logs every line on the stream must be a JSON object, so the plain-text notice is
  // left out; the server's own startup log names the demo client and user in either format.
  if (!path && config->log_format == config::LogFormat::kText) {
    io.err << "signet serve: no --config and no SIGNET_CONFIG: running the embedded development "
              "default (demo credentials; not for production)\n";
  }
  if (!hooks.serve) return Fail(io, "serve", "this build has no server", kExitUsage);
  return hooks.serve(*config);
}

int RunConfigCheck(std::span<const std::string> args, CliIo& io) {
  auto parsed = ParseArgs(args, kConfigFlags);
  if (!parsed) return Fail(io, "config check", parsed.error().message, kExitUsage);
  if (parsed->help()) {
    io.out << kConfigCheckHelp;
    return kExitOk;
  }
  if (!parsed->positionals().empty()) {
    return Fail(io, "config check", "unexpected argument '" + parsed->positionals()[0] + "'",
                kExitUsage);
  }
  const std::optional<std::string> path = ConfigPath(*parsed, io);
  if (!path) return Fail(io, "config check", "--config FILE is required", kExitUsage);
  const auto config = LoadCommandConfig(path, io);
  if (!config) return kExitUsage;
  // The TLS pair is checked as `serve` checks it (files, PEM, key matches certificate).
  if (config->tls) {
    auto credentials = tls::LoadServerCredentials(*config->tls);
    if (!credentials) {
      io.err << *path << ": " << credentials.error().Format() << "\n"
             << "signet: configuration invalid (1 problem)\n";
      return kExitUsage;
    }
  }
  io.out << "ok: " << *path << "\n";
  return kExitOk;
}

}  // namespace signet::cli

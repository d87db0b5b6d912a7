#pragma once
// Where a command's configuration comes from, the same for every command that reads one
// (serve, config check, keys list/rotate, revoke): --config FILE, else $SIGNET_CONFIG, else the
// embedded development default; then the SIGNET_* environment overrides.

#include <optional>
#include <string>

#include "cli/args.hpp"
#include "cli/cli.hpp"
#include "config/config.hpp"

namespace signet::cli {

// --config, else $SIGNET_CONFIG (through io.getenv), else nullopt (the embedded default).
std::optional<std::string> ConfigPath(const ParsedArgs& parsed, const CliIo& io);

// Loads the file (or the embedded default when `path` is nullopt) and applies the
// environment. On failure prints every problem (key path and reason) to io.err and returns
// nullopt; the caller exits with kExitUsage.
std::optional<config::Config> LoadCommandConfig(const std::optional<std::string>& path,
                                                CliIo& io);

}  // namespace signet::cli

#pragma once
// One function per `signet` subcommand. `args` are the arguments after the command words
// (after "serve", after "keys generate", ...). Each handles its own --help.

#include <span>
#include <string>
#include <string_view>

#include "cli/cli.hpp"

namespace signet::cli {

int RunServe(std::span<const std::string> args, CliIo& io, const CliHooks& hooks);
int RunConfigCheck(std::span<const std::string> args, CliIo& io);
int RunKeysGenerate(std::span<const std::string> args, CliIo& io);
int RunKeysList(std::span<const std::string> args, CliIo& io);
int RunKeysRotate(std::span<const std::string> args, CliIo& io);
int RunHashSecret(std::span<const std::string> args, CliIo& io);
int RunTokenVerify(std::span<const std::string> args, CliIo& io, const CliHooks& hooks);

// revoke --sub SUBJECT: a per-subject cut-off in the configuration's Redis (exit 1 without
// redis.url: a server's in-memory store cannot be reached from here).
int RunRevoke(std::span<const std::string> args, CliIo& io);

// Writes "signet <command>: <message>" to io.err and returns `status`.
int Fail(CliIo& io, std::string_view command, std::string_view message, int status);

}  // namespace signet::cli

#include "cli/cli.hpp"

#include <exception>
#include <ostream>
#include <string_view>

#include "cli/commands.hpp"

namespace signet::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: signet <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve [--config FILE]                  run the issuer\n"
    "  config check --config FILE             validate a configuration file\n"
    "  keys generate --alg ALG [--out DIR]    write a new private key (PEM, mode 0600)\n"
    "  keys list --config FILE                list keys and their states\n"
    "  keys rotate --config FILE              activate the next key now\n"
    "  revoke --sub SUBJECT --config FILE     revoke every token of a subject\n"
    "  hash-secret                            hash a secret read from stdin (argon2id)\n"
    "  token verify --jwks URL_OR_FILE TOKEN  verify a token offline\n"
    "  help [COMMAND]                         show this text or a command's help\n"
    "\n"
    "Every command takes --help.\n";

int UsageError(CliIo& io, std::string_view message) {
  io.err << "signet: " << message << "\n" << kUsage;
  return kExitUsage;
}

int Dispatch(std::span<const std::string> args, CliIo& io, const CliHooks& hooks) {
  if (args.empty()) return UsageError(io, "missing command");
  const std::string& command = args[0];
  const auto rest = args.subspan(1);
  const std::string sub = rest.empty() ? std::string() : rest[0];
  const auto sub_rest = rest.empty() ? rest : rest.subspan(1);

  if (command == "--help" || command == "-h") {
    io.out << kUsage;
    return kExitOk;
  }
  if (command == "help") {
    if (rest.empty()) {
      io.out << kUsage;
      return kExitOk;
    }
    // "help keys generate" == "keys generate --help".
    std::vector<std::string> again(rest.begin(), rest.end());
    again.emplace_back("--help");
    return Dispatch(again, io, hooks);
  }
  if (command == "serve") return RunServe(rest, io, hooks);
  if (command == "hash-secret") return RunHashSecret(rest, io);
  if (command == "revoke") return RunRevoke(rest, io);
  if (command == "config") {
    if (sub == "check") return RunConfigCheck(sub_rest, io);
    if (sub == "--help" || sub == "-h") return RunConfigCheck(rest, io);
    return UsageError(io, sub.empty() ? "config: missing subcommand (check)"
                                      : "config: unknown subcommand '" + sub + "'");
  }
  if (command == "keys") {
    if (sub == "generate") return RunKeysGenerate(sub_rest, io);
    if (sub == "list") return RunKeysList(sub_rest, io);
    if (sub == "rotate") return RunKeysRotate(sub_rest, io);
    if (sub == "--help" || sub == "-h") {
      io.out << kUsage;
      return kExitOk;
    }
    return UsageError(io, sub.empty() ? "keys: missing subcommand (generate, list, rotate)"
                                      : "keys: unknown subcommand '" + sub + "'");
  }
  if (command == "token") {
    if (sub == "verify") return RunTokenVerify(sub_rest, io, hooks);
    if (sub == "--help" || sub == "-h") return RunTokenVerify(rest, io, hooks);
    return UsageError(io, sub.empty() ? "token: missing subcommand (verify)"
                                      : "token: unknown subcommand '" + sub + "'");
  }
  return UsageError(io, "unknown command '" + command + "'");
}

}  // namespace

int Fail(CliIo& io, std::string_view command, std::string_view message, int status) {
  io.err << "signet " << command << ": " << message << "\n";
  return status;
}

int RunCli(std::span<const std::string> args, CliIo& io, const CliHooks& hooks) {
  // The last line of defence: commands report errors as values, but a std::bad_alloc or a
  // throwing hook must still end as one line and an exit status, never a stack trace.
  try {
    return Dispatch(args, io, hooks);
  } catch (const std::exception& e) {
    io.err << "signet: internal error: " << e.what() << "\n";
  } catch (...) {
    io.err << "signet: internal error\n";
  }
  return kExitUsage;
}

}  // namespace signet::cli

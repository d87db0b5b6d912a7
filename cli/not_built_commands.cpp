// revoke: part of the contract (interface.md), but it operates on the revocation store, which
// is not built yet. It fails loudly (exit 2) instead of pretending to succeed.

#include <array>
#include <ostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"

namespace signet::cli {
namespace {

constexpr std::array<FlagSpec, 2> kFlags{{{"config"}, {"sub"}}};

struct NotBuiltCommand {
  std::string_view name;
  std::string_view usage;
  std::string_view needs;
};

constexpr std::array<NotBuiltCommand, 1> kCommands{{
    {"revoke",
     "usage: signet revoke --sub SUBJECT --config FILE\n\nRevokes every token of a "
     "subject issued until now (logout everywhere).\n",
     "the token-lifecycle feature (revocation store)"},
}};

}  // namespace

int RunNotBuilt(std::string_view command, std::span<const std::string> args, CliIo& io) {
  const auto* entry = std::find_if(kCommands.begin(), kCommands.end(),
                                   [&](const NotBuiltCommand& c) { return c.name == command; });
  if (entry == kCommands.end()) return Fail(io, command, "unknown command", kExitUsage);
  auto parsed = ParseArgs(args, kFlags);
  if (parsed && parsed->help()) {
    io.out << entry->usage << "\nNot available yet: needs " << entry->needs << ".\n";
    return kExitOk;
  }
  return Fail(
      io, command,
      "not available yet: this needs " + std::string(entry->needs) + ", which is not built yet",
      kExitUsage);
}

}  // namespace signet::cli

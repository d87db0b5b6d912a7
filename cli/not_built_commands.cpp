// keys list, keys rotate, revoke: part of the contract (interface.md), but they operate on
// the key-lifecycle store and the revocation store, which are not built yet. They fail
// loudly (exit 2) instead of pretending to succeed.

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

constexpr std::array<NotBuiltCommand, 3> kCommands{{
    {"keys list",
     "usage: signet keys list --config FILE\n\nLists kid, alg, state (next / "
     "active / retiring), created, activates, expires.\n",
     "the key-lifecycle feature (key store with next/active/retiring keys)"},
    {"keys rotate",
     "usage: signet keys rotate --config FILE\n\nMakes the next key active now "
     "and creates a new next key; every replica sees it.\n",
     "the key-lifecycle feature (key store with next/active/retiring keys)"},
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

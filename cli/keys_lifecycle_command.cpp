// signet keys list [--config FILE] / signet keys rotate [--config FILE]
//
// Both open the key store the configuration names (store::OpenKeyStorage: keys.dir, or Redis
// when redis.url is set), the one the running servers use, so a rotation made here is picked
// up by every replica on its next poll.

#include <array>
#include <chrono>
#include <ctime>
#include <iomanip>
#include <ostream>
#include <string>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/config_source.hpp"
#include "cli/time_format.hpp"
#include "keys/algorithm.hpp"
#include "keys/stored_key.hpp"
#include "store/key_storage.hpp"

namespace signet::cli {
namespace {

constexpr std::array<FlagSpec, 1> kFlags{{{"config"}}};

constexpr std::string_view kListHelp =
    "usage: signet keys list [--config FILE]\n"
    "\n"
    "Lists every stored key: kid, alg, state (next / active / retiring), and when it was\n"
    "created, activates (starts signing), retires (stops signing) and expires (leaves the\n"
    "JWKS and the store). Times are UTC. The store is the one the configuration names:\n"
    "keys.dir, or Redis when redis.url is set (SIGNET_CONFIG and the SIGNET_* overrides\n"
    "apply as for serve; without a config, the embedded default's ./var/keys).\n";

constexpr std::string_view kRotateHelp =
    "usage: signet keys rotate [--config FILE]\n"
    "\n"
    "Makes the next key of every configured algorithm active now and creates a new next\n"
    "key, in the store the configuration names (see `signet keys list --help`). Running\n"
    "servers pick the change up within a poll interval (1 s at most). The former active key\n"
    "stays published until the tokens it signed have expired. Then lists the keys.\n";

void PrintKeys(const std::vector<keys::KeyMetadata>& list, std::ostream& out) {
  const auto now = std::chrono::system_clock::now();
  std::size_t kid_width = 3;
  for (const keys::KeyMetadata& key : list) kid_width = std::max(kid_width, key.kid.size());
  out << std::left << std::setw(static_cast<int>(kid_width)) << "KID" << "  " << std::setw(6)
      << "ALG" << "  " << std::setw(8) << "STATE" << "  " << std::setw(20) << "CREATED" << "  "
      << std::setw(20) << "ACTIVATES" << "  " << std::setw(20) << "RETIRES" << "  EXPIRES\n";
  const auto states = keys::EffectiveStates(list, now);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const keys::KeyMetadata& key = list[i];
    const auto& state = states[i];
    // A key past its expiry is removed by the next rotation tick; until then it is listed.
    const std::string_view state_name = state ? keys::KeyStateName(*state) : "expired";
    out << std::setw(static_cast<int>(kid_width)) << key.kid << "  " << std::setw(6)
        << keys::JwaName(key.alg) << "  " << std::setw(8) << state_name << "  " << std::setw(20)
        << FormatUtc(key.created) << "  " << std::setw(20) << FormatUtc(key.activates) << "  "
        << std::setw(20) << FormatUtc(key.retires) << "  " << FormatUtc(key.expires) << "\n";
  }
}

int Run(std::string_view command, std::string_view help, bool rotate,
        std::span<const std::string> args, CliIo& io) {
  auto parsed = ParseArgs(args, kFlags);
  if (!parsed) return Fail(io, command, parsed.error().message, kExitUsage);
  if (parsed->help()) {
    io.out << help;
    return kExitOk;
  }
  if (!parsed->positionals().empty()) {
    return Fail(io, command, "unexpected argument '" + parsed->positionals()[0] + "'",
                kExitUsage);
  }
  auto config = LoadCommandConfig(ConfigPath(*parsed, io), io);
  if (!config) return kExitUsage;

  auto storage = store::OpenKeyStorage(*config);
  if (!storage) return Fail(io, command, storage.error(), kExitFailure);
  keys::KeyManager& manager = *storage->manager;
  const auto describe_failure = [&](std::string_view what, const boost::system::error_code& ec) {
    std::string message = std::string(what) + " " + manager.Describe() + ": " + ec.message();
    if (std::string detail = manager.LastErrorDetail(); !detail.empty()) {
      message += " (" + detail + ")";
    }
    return message;
  };

  if (rotate) {
    if (auto rotated = manager.ForceRotate(std::chrono::system_clock::now()); !rotated) {
      return Fail(io, command, describe_failure("cannot rotate the keys in", rotated.error()),
                  kExitFailure);
    }
    for (const std::string& notice : manager.TakeNotices()) io.err << notice << "\n";
  }
  auto list = manager.List();
  if (!list) {
    return Fail(io, command, describe_failure("cannot read the keys in", list.error()),
                kExitFailure);
  }
  PrintKeys(*list, io.out);
  return kExitOk;
}

}  // namespace

int RunKeysList(std::span<const std::string> args, CliIo& io) {
  return Run("keys list", kListHelp, /*rotate=*/false, args, io);
}

int RunKeysRotate(std::span<const std::string> args, CliIo& io) {
  return Run("keys rotate", kRotateHelp, /*rotate=*/true, args, io);
}

}  // namespace signet::cli

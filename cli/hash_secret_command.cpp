// signet hash-secret

#include <istream>
#include <ostream>
#include <string>

#include <openssl/crypto.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "keys/password_hash.hpp"

namespace signet::cli {
namespace {

constexpr std::string_view kHelp =
    "usage: signet hash-secret < secret\n"
    "\n"
    "Reads a client secret or password from stdin (up to the first newline) and prints its\n"
    "argon2id hash for client_secret_hash / password_hash. Example:\n"
    "  printf '%s\\n' \"$SECRET\" | signet hash-secret\n";

// Long enough for any passphrase; bounds the memory a runaway pipe can make us hold.
constexpr std::size_t kMaxSecretBytes = 4096;

// Wipes the secret from memory on every return path.
struct Wiped {
  std::string text;
  ~Wiped() { OPENSSL_cleanse(text.data(), text.size()); }
};

}  // namespace

int RunHashSecret(std::span<const std::string> args, CliIo& io) {
  constexpr std::string_view kCommand = "hash-secret";
  auto parsed = ParseArgs(args, {});
  if (!parsed) return Fail(io, kCommand, parsed.error().message, kExitUsage);
  if (parsed->help()) {
    io.out << kHelp;
    return kExitOk;
  }
  if (!parsed->positionals().empty()) {
    return Fail(io, kCommand,
                "the secret is read from stdin, never from arguments (they show in `ps`)",
                kExitUsage);
  }
  Wiped secret;
  secret.text.reserve(kMaxSecretBytes + 1);
  char c = 0;
  while (secret.text.size() <= kMaxSecretBytes && io.in.get(c) && c != '\n') {
    secret.text.push_back(c);
  }
  if (secret.text.size() > kMaxSecretBytes) {
    return Fail(io, kCommand, "secret longer than 4096 bytes", kExitUsage);
  }
  if (!secret.text.empty() && secret.text.back() == '\r') secret.text.pop_back();
  if (secret.text.empty()) return Fail(io, kCommand, "empty secret on stdin", kExitUsage);

  auto encoded = keys::HashPassword(secret.text);
  if (!encoded) return Fail(io, kCommand, encoded.error().message(), kExitFailure);
  io.out << *encoded << "\n";
  return kExitOk;
}

}  // namespace signet::cli

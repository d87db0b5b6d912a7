// signet keys generate --alg ALG [--out DIR] [--bits N]

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ostream>

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "keys/jwk_thumbprint.hpp"
#include "keys/private_key.hpp"

namespace signet::cli {
namespace {

constexpr std::array<FlagSpec, 3> kFlags{{{"alg"}, {"out"}, {"bits"}}};

constexpr std::string_view kHelp =
    "usage: signet keys generate --alg RS256|PS256|ES256|ES384|EdDSA [--out DIR]\n"
    "                            [--bits 2048|3072|4096]\n"
    "\n"
    "Writes a new private key as unencrypted PKCS#8 PEM, mode 0600, to DIR/<kid>.pem\n"
    "(DIR defaults to the current directory; it must exist). The kid is the key's RFC 7638\n"
    "JWK thumbprint. Prints the file path, then the kid. --bits applies to RS256/PS256 only\n"
    "(default 2048). An existing file is never overwritten.\n";

// Writes `pem` to a new file with mode 0600. O_EXCL: never replaces an existing key (nor
// follows a planted symlink); the mode is set at creation, so the key is never readable by
// others, whatever the umask.
std::optional<std::string> WriteNewPrivateFile(const std::string& path, std::string_view pem) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot create " + path + ": " + std::strerror(errno);
  std::size_t written = 0;
  while (written < pem.size()) {
    const ssize_t n = ::write(fd, pem.data() + written, pem.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string reason = std::strerror(errno);
      ::close(fd);
      ::unlink(path.c_str());
      return "cannot write " + path + ": " + reason;
    }
    written += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (!synced || !closed) {
    ::unlink(path.c_str());
    return "cannot write " + path + ": " + std::strerror(errno);
  }
  return std::nullopt;
}

std::optional<int> ParseBits(const std::string& text) {
  int bits = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), bits);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  if (bits != 2048 && bits != 3072 && bits != 4096) return std::nullopt;
  return bits;
}

// DIR/<kid>.pem; "." when DIR is empty. Built with append() (GCC 12 -Wrestrict misfires on
// chains of operator+).
std::string KeyPath(const std::string& dir, const std::string& kid) {
  std::string path = dir.empty() ? std::string(".") : dir;
  if (path.back() != '/') path.append("/");
  path.append(kid).append(".pem");
  return path;
}

}  // namespace

int RunKeysGenerate(std::span<const std::string> args, CliIo& io) {
  constexpr std::string_view kCommand = "keys generate";
  auto parsed = ParseArgs(args, kFlags);
  if (!parsed) return Fail(io, kCommand, parsed.error().message, kExitUsage);
  if (parsed->help()) {
    io.out << kHelp;
    return kExitOk;
  }
  if (!parsed->positionals().empty()) {
    return Fail(io, kCommand, "unexpected argument '" + parsed->positionals()[0] + "'", kExitUsage);
  }
  const auto alg_name = parsed->Get("alg");
  if (!alg_name) return Fail(io, kCommand, "--alg is required", kExitUsage);
  const auto alg = keys::ParseAlgorithm(*alg_name);
  if (!alg) {
    return Fail(io, kCommand, "--alg must be RS256, PS256, ES256, ES384 or EdDSA", kExitUsage);
  }
  const bool rsa = *alg == keys::Algorithm::kRs256 || *alg == keys::Algorithm::kPs256;
  int bits = 2048;
  if (auto bits_text = parsed->Get("bits")) {
    if (!rsa) return Fail(io, kCommand, "--bits applies to RS256 and PS256 only", kExitUsage);
    const auto value = ParseBits(*bits_text);
    if (!value) return Fail(io, kCommand, "--bits must be 2048, 3072 or 4096", kExitUsage);
    bits = *value;
  }

  auto key = keys::PrivateKey::Generate(*alg, bits);
  if (!key) return Fail(io, kCommand, key.error().message(), kExitFailure);
  auto members = keys::ExportPublicMembers(key->public_key());
  if (!members) return Fail(io, kCommand, members.error().message(), kExitFailure);
  const std::string kid = keys::Rfc7638Thumbprint(*members);
  auto pem = key->ToPem();
  if (!pem) return Fail(io, kCommand, pem.error().message(), kExitFailure);

  const std::string path = KeyPath(parsed->Get("out").value_or(""), kid);
  auto write_error = WriteNewPrivateFile(path, *pem);
  OPENSSL_cleanse(pem->data(), pem->size());
  if (write_error) return Fail(io, kCommand, *write_error, kExitFailure);

  io.out << path << "\n" << kid << "\n";
  return kExitOk;
}

}  // namespace signet::cli

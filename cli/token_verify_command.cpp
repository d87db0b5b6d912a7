// signet token verify --jwks URL_OR_FILE [--revocations URL_OR_FILE] [--aud A] [--iss I] TOKEN
//
// Verifies a token offline the way a resource server would: the key comes from the given
// JWKS only (jku/x5u/jwk headers are never followed), the algorithm is the key's, then exp,
// nbf, iat and, when given, iss and aud are checked (token/validator.hpp).

#include <array>
#include <fstream>
#include <istream>
#include <ostream>
#include <sstream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "jwks/jwk_set.hpp"
#include "token/validator.hpp"

namespace signet::cli {
namespace {

constexpr std::array<FlagSpec, 4> kFlags{
    {{"jwks"}, {"revocations"}, {"aud", /*repeatable=*/true}, {"iss"}}};

constexpr std::string_view kHelp =
    "usage: signet token verify --jwks URL_OR_FILE [--revocations URL_OR_FILE]\n"
    "                           [--aud AUDIENCE]... [--iss ISSUER] TOKEN\n"
    "\n"
    "Verifies a JWT offline, as a resource server would: signature with a key of the JWK Set\n"
    "(a file, or an http(s) URL that is fetched once), then exp/nbf/iat with 30 s leeway and,\n"
    "when given, the issuer and one of the audiences. TOKEN '-' reads the token from stdin.\n"
    "Prints the claims as JSON and exits 0; prints the reason and exits 1 when the token is\n"
    "rejected; exits 2 when the JWKS cannot be read or the arguments are wrong.\n"
    "--revocations is not supported until signet's revocation feed exists (exit 2).\n";

constexpr std::size_t kMaxJwksBytes = 1024 * 1024;

bool IsUrl(std::string_view source) {
  return source.starts_with("https://") || source.starts_with("http://");
}

// The JWKS text from a file or through the fetch hook; the error is a one-line reason.
boost::system::result<std::string, UsageError> ReadJwks(const std::string& source,
                                                        const CliHooks& hooks) {
  if (IsUrl(source)) {
    if (!hooks.fetch_url) return UsageError{"fetching URLs is not available in this build"};
    auto body = hooks.fetch_url(source);
    if (!body) return UsageError{"cannot fetch " + source + ": " + body.error().message()};
    return {boost::system::in_place_value, std::move(*body)};
  }
  std::ifstream file(source, std::ios::binary);
  if (!file) return UsageError{"cannot open " + source};
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) return UsageError{"cannot read " + source};
  return {boost::system::in_place_value, text.str()};
}

std::string ReadTokenArgument(const std::string& arg, std::istream& in) {
  if (arg != "-") return arg;
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

}  // namespace

int RunTokenVerify(std::span<const std::string> args, CliIo& io, const CliHooks& hooks) {
  constexpr std::string_view kCommand = "token verify";
  auto parsed = ParseArgs(args, kFlags);
  if (!parsed) return Fail(io, kCommand, parsed.error().message, kExitUsage);
  if (parsed->help()) {
    io.out << kHelp;
    return kExitOk;
  }
  if (parsed->Has("revocations")) {
    return Fail(io, kCommand,
                "--revocations is not supported until the revocation feed "
                "(GET /oauth2/revocations) exists",
                kExitUsage);
  }
  const auto jwks_source = parsed->Get("jwks");
  if (!jwks_source) return Fail(io, kCommand, "--jwks URL_OR_FILE is required", kExitUsage);
  if (parsed->positionals().size() != 1) {
    return Fail(io, kCommand, "exactly one TOKEN argument is expected", kExitUsage);
  }

  auto jwks_text = ReadJwks(*jwks_source, hooks);
  if (!jwks_text) return Fail(io, kCommand, jwks_text.error().message, kExitUsage);
  if (jwks_text->size() > kMaxJwksBytes) {
    return Fail(io, kCommand, "JWKS larger than 1 MiB", kExitUsage);
  }
  auto key_set = jwks::JwkSet::Parse(*jwks_text);
  if (!key_set) {
    return Fail(io, kCommand, "invalid JWKS: " + key_set.error().message(), kExitUsage);
  }

  token::ValidatorOptions options;
  options.issuer = parsed->Get("iss").value_or("");
  options.audiences = parsed->GetAll("aud");
  auto validator = token::Validator::Create(options);
  if (!validator) return Fail(io, kCommand, validator.error().message(), kExitUsage);

  const std::string compact = ReadTokenArgument(parsed->positionals()[0], io.in);
  auto verified = validator->Verify(compact, *key_set);
  if (!verified) {
    std::string reason = "token rejected: " + verified.error().message();
    // A kid that the set lists but could not use deserves its own reason.
    if (verified.error() == token::Errc::kUnknownKid) {
      for (const jwks::SkippedKey& skipped : key_set->skipped()) {
        reason += "; JWKS key '" + skipped.kid + "' was skipped: " + skipped.reason.message();
      }
    }
    return Fail(io, kCommand, reason, kExitFailure);
  }
  io.out << verified->claims().dump(2) << "\n";
  return kExitOk;
}

}  // namespace signet::cli

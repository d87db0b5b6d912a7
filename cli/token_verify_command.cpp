// signet token verify --jwks URL_OR_FILE [--revocations URL_OR_FILE] [--aud A] [--iss I] TOKEN
//
// Verifies a token offline the way a resource server would: the key comes from the given
// JWKS only (jku/x5u/jwk headers are never followed), the algorithm is the key's, then exp,
// nbf, iat and, when given, iss and aud are checked (token/validator.hpp).
//
// With --revocations, signet's revocation feed (GET /oauth2/revocations, claims in
// oauth/revocation_list.hpp) is verified like a token against the same JWKS (signature with
// the key's own algorithm, typ revocation-list+jwt, iss equal to --iss or else the token's
// iss, exp with the same leeway), and the token is refused when the feed lists its jti or
// cuts off its subject. A feed that fails verification refuses the token too: an unusable
// list never reads as "not revoked".

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <istream>
#include <optional>
#include <ostream>
#include <sstream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "jwks/jwk_set.hpp"
#include "oauth/revocation_list.hpp"
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
    "\n"
    "--revocations URL_OR_FILE  signet's revocation feed (GET /oauth2/revocations, a file or a\n"
    "    URL fetched once). It is verified against the same JWKS (typ revocation-list+jwt,\n"
    "    iss equal to --iss or else the token's iss, not expired); the token is then rejected\n"
    "    (exit 1) when the feed lists its jti or cuts off its subject (iat <= the cut-off).\n"
    "    A feed that fails verification rejects the token (exit 1, with the reason); one that\n"
    "    cannot be read exits 2.\n";

constexpr std::size_t kMaxJwksBytes = 1024 * 1024;
constexpr std::size_t kMaxFeedBytes = 1024 * 1024;  // also the fetch hook's body limit

bool IsUrl(std::string_view source) {
  return source.starts_with("https://") || source.starts_with("http://");
}

// A JWKS or feed text from a file or through the fetch hook; the error is a one-line reason.
boost::system::result<std::string, UsageError> ReadSource(const std::string& source,
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

std::string_view TrimWhitespace(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

// The token's iat in whole seconds (RFC 7519 §2 allows fractions), clamped to int64; nullopt
// when absent.
std::optional<std::int64_t> IssuedAt(const token::VerifiedJwt& jwt) {
  const auto iat = jwt.claims().find("iat");
  if (iat == jwt.claims().end() || !iat->is_number()) return std::nullopt;
  if (iat->is_number_integer()) return iat->get<std::int64_t>();
  const double seconds = std::floor(iat->get<double>());
  constexpr double kLimit = 9.2e18;  // inside int64's range, so the cast below is defined
  return static_cast<std::int64_t>(std::clamp(seconds, -kLimit, kLimit));
}

// Verifies the feed (see the file comment) and looks the token up in it. The error is the
// reason the token is refused.
boost::system::result<void, std::string> CheckRevocationFeed(std::string_view feed,
                                                             const jwks::JwkSet& keys,
                                                             std::string issuer,
                                                             const token::VerifiedJwt& jwt) {
  token::ValidatorOptions options;
  options.issuer = std::move(issuer);
  options.typ = std::string(oauth::kTypRevocationList);
  auto validator = token::Validator::Create(options);
  if (!validator) return "revocation feed rejected: " + validator.error().message();
  auto verified = validator->Verify(TrimWhitespace(feed), keys);
  if (!verified) return "revocation feed rejected: " + verified.error().message();
  auto list = oauth::ParseRevocationList(verified->claims());
  if (!list) return "revocation feed rejected: " + list.error().message();

  switch (oauth::FindRevocation(*list, jwt.jwt_id().value_or(""), jwt.subject().value_or(""),
                                IssuedAt(jwt))) {
    case oauth::RevocationMatch::kJtiListed:
      return std::string("token revoked (jti listed in the revocation feed)");
    case oauth::RevocationMatch::kSubjectCutOff:
      return std::string("token revoked (subject cut-off in the revocation feed)");
    case oauth::RevocationMatch::kNotListed: break;
  }
  return {};
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
  const auto jwks_source = parsed->Get("jwks");
  if (!jwks_source) return Fail(io, kCommand, "--jwks URL_OR_FILE is required", kExitUsage);
  if (parsed->positionals().size() != 1) {
    return Fail(io, kCommand, "exactly one TOKEN argument is expected", kExitUsage);
  }

  auto jwks_text = ReadSource(*jwks_source, hooks);
  if (!jwks_text) return Fail(io, kCommand, jwks_text.error().message, kExitUsage);
  if (jwks_text->size() > kMaxJwksBytes) {
    return Fail(io, kCommand, "JWKS larger than 1 MiB", kExitUsage);
  }
  auto key_set = jwks::JwkSet::Parse(*jwks_text);
  if (!key_set) {
    return Fail(io, kCommand, "invalid JWKS: " + key_set.error().message(), kExitUsage);
  }

  std::optional<std::string> feed_text;
  if (const auto feed_source = parsed->Get("revocations")) {
    auto text = ReadSource(*feed_source, hooks);
    if (!text) return Fail(io, kCommand, "revocation feed: " + text.error().message, kExitUsage);
    if (text->size() > kMaxFeedBytes) {
      return Fail(io, kCommand, "revocation feed larger than 1 MiB", kExitUsage);
    }
    feed_text = std::move(*text);
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
  if (feed_text) {
    // The feed must come from the token's issuer: --iss when given (the token matched it),
    // else the token's own iss.
    std::string issuer = options.issuer.empty() ? verified->issuer().value_or("") : options.issuer;
    if (issuer.empty()) {
      return Fail(io, kCommand, "revocation feed rejected: the token has no iss; give --iss",
                  kExitFailure);
    }
    auto checked = CheckRevocationFeed(*feed_text, *key_set, std::move(issuer), *verified);
    if (!checked) return Fail(io, kCommand, checked.error(), kExitFailure);
  }
  io.out << verified->claims().dump(2) << "\n";
  return kExitOk;
}

}  // namespace signet::cli

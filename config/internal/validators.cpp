#include "config/internal/validators.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <vector>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "keys/password_hash.hpp"

namespace signet::config::internal {
namespace {

bool IsLoopback(const boost::urls::url_view& url) {
  switch (url.host_type()) {
    case boost::urls::host_type::ipv4: return url.host_ipv4_address().is_loopback();
    case boost::urls::host_type::ipv6: return url.host_ipv6_address().is_loopback();
    case boost::urls::host_type::name: {
      std::string host = url.host();
      std::transform(host.begin(), host.end(), host.begin(), [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      });
      return host == "localhost" || (host.size() > 10 && host.ends_with(".localhost"));
    }
    default: return false;
  }
}

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsBase64NoPad(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
  });
}

std::optional<std::uint64_t> ParseUnsigned(std::string_view text) {
  if (!AllDigits(text)) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Splits "a$b$c" into its parts.
std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t pos = text.find(sep, start);
    parts.push_back(text.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) return parts;
    start = pos + 1;
  }
}

}  // namespace

std::optional<Invalid> CheckIssuer(std::string_view issuer) {
  auto parsed = boost::urls::parse_absolute_uri(issuer);
  if (!parsed)
    return Invalid{Errc::kBadIssuer, "not an absolute URL (e.g. https://id.example.com)"};
  const boost::urls::url_view& url = *parsed;
  if (url.scheme_id() != boost::urls::scheme::https &&
      url.scheme_id() != boost::urls::scheme::http) {
    return Invalid{Errc::kBadIssuer, "must be an http(s) URL"};
  }
  if (!url.has_authority() || url.encoded_host().empty()) {
    return Invalid{Errc::kBadIssuer, "must have a host"};
  }
  if (url.has_userinfo()) return Invalid{Errc::kBadIssuer, "must not contain user information"};
  // RFC 8414 §2: "no query or fragment components".
  if (url.has_query()) return Invalid{Errc::kBadIssuer, "must not have a query ('?...')"};
  if (url.has_fragment()) return Invalid{Errc::kBadIssuer, "must not have a fragment ('#...')"};
  if (url.encoded_path().ends_with("/")) {
    return Invalid{Errc::kBadIssuer,
                   "must not end with '/': 'iss' is compared byte for byte and endpoint URLs "
                   "are derived by appending paths"};
  }
  if (url.scheme_id() == boost::urls::scheme::http && !IsLoopback(url)) {
    return Invalid{Errc::kBadIssuer,
                   "must use https unless the host is loopback (RFC 8414 §2); http is only "
                   "accepted for 127.0.0.1, ::1 and localhost"};
  }
  return std::nullopt;
}

std::optional<Invalid> CheckListen(std::string_view listen) {
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string_view::npos) {
    return Invalid{Errc::kBadListen, "expected \"host:port\" (e.g. 0.0.0.0:8080)"};
  }
  std::string_view host = listen.substr(0, colon);
  const std::string_view port = listen.substr(colon + 1);
  const auto port_value = ParseUnsigned(port);
  if (!port_value || port.size() > 5 || *port_value > 65535) {
    return Invalid{Errc::kBadListen, "port must be a number from 0 to 65535"};
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    const bool ok = !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
    });
    if (!ok) return Invalid{Errc::kBadListen, "invalid IPv6 address in brackets"};
    return std::nullopt;
  }
  const bool ok = !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
  });
  if (!ok) {
    return Invalid{Errc::kBadListen,
                   "host must be an IPv4 address, a host name or [IPv6] (e.g. 0.0.0.0:8080)"};
  }
  return std::nullopt;
}

std::optional<Invalid> CheckRedirectUri(std::string_view uri) {
  auto parsed = boost::urls::parse_absolute_uri(uri);
  // RFC 6749 §3.1.2: "The redirection endpoint URI MUST be an absolute URI" and
  // "MUST NOT include a fragment component".
  if (!parsed) return Invalid{Errc::kBadUrl, "not an absolute URI (RFC 6749 §3.1.2)"};
  if (parsed->has_fragment()) {
    return Invalid{Errc::kBadUrl, "must not contain a fragment (RFC 6749 §3.1.2)"};
  }
  return std::nullopt;
}

std::optional<Invalid> CheckRedisUrl(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return Invalid{Errc::kBadUrl, "not a URL (e.g. redis://127.0.0.1:6379/0)"};
  if (parsed->scheme() != "redis" && parsed->scheme() != "rediss") {
    return Invalid{Errc::kBadUrl, "scheme must be redis:// or rediss://"};
  }
  if (parsed->encoded_host().empty()) return Invalid{Errc::kBadUrl, "must have a host"};
  if (parsed->has_port() && (parsed->port().empty() || parsed->port_number() == 0)) {
    return Invalid{Errc::kBadUrl, "port must be a number from 1 to 65535"};
  }
  const std::string_view path = parsed->encoded_path();
  if (!path.empty() && path != "/" && !AllDigits(path.substr(1))) {
    return Invalid{Errc::kBadUrl, "path must be a database number (/0)"};
  }
  return std::nullopt;
}

std::optional<Invalid> CheckArgon2idEncoding(std::string_view encoded) {
  static constexpr std::string_view kHint =
      "not an argon2id hash; produce one with `signet hash-secret`";
  // "" $ "argon2id" $ "v=19" $ "m=...,t=...,p=..." $ salt $ hash
  const std::vector<std::string_view> parts = Split(encoded, '$');
  if (parts.size() != 6 || !parts[0].empty() || parts[1] != "argon2id") {
    return Invalid{Errc::kBadSecretHash, std::string(kHint)};
  }
  if (parts[2] != "v=19") {
    return Invalid{Errc::kBadSecretHash, "argon2id hash must be version 19 (v=19)"};
  }
  const std::vector<std::string_view> params = Split(parts[3], ',');
  if (params.size() != 3 || !params[0].starts_with("m=") || !params[1].starts_with("t=") ||
      !params[2].starts_with("p=")) {
    return Invalid{Errc::kBadSecretHash, "argon2id parameters must read m=<KiB>,t=<n>,p=<n>"};
  }
  const auto m = ParseUnsigned(params[0].substr(2));
  const auto t = ParseUnsigned(params[1].substr(2));
  const auto p = ParseUnsigned(params[2].substr(2));
  if (!m || !t || !p || *t < 1 || *p < 1 || *p > 0xFFFFFF || *m < 8 * *p ||
      *m > (std::uint64_t{1} << 32) || *t > (std::uint64_t{1} << 32)) {
    return Invalid{Errc::kBadSecretHash, "argon2id parameters out of range"};
  }
  // Salt at least 8 bytes (11 base64 chars), tag at least 4 bytes (6 chars), no padding.
  if (parts[4].size() < 11 || parts[5].size() < 6 || !IsBase64NoPad(parts[4]) ||
      !IsBase64NoPad(parts[5]) || parts[4].size() % 4 == 1 || parts[5].size() % 4 == 1) {
    return Invalid{Errc::kBadSecretHash, "argon2id salt or hash is not valid base64"};
  }
  // The structural checks above only explain what is wrong; the keys module decides what
  // VerifyPassword will accept (including its upper bounds on memory and passes).
  if (!keys::IsArgon2idEncoding(encoded)) {
    return Invalid{Errc::kBadSecretHash,
                   "argon2id hash rejected: parameters above signet's limits (m <= 1 GiB, "
                   "t <= 16, p <= 16) or a salt/hash of unusable length"};
  }
  return std::nullopt;
}

bool IsValidScopeToken(std::string_view token) {
  return !token.empty() && std::all_of(token.begin(), token.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u == 0x21 || (u >= 0x23 && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
  });
}

bool IsValidLogLevel(std::string_view level) {
  static constexpr std::array<std::string_view, 7> kLevels{"trace", "debug",    "info", "warn",
                                                           "error", "critical", "off"};
  return std::find(kLevels.begin(), kLevels.end(), level) != kLevels.end();
}

}  // namespace signet::config::internal

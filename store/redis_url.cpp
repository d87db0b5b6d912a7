#include "store/redis_url.hpp"

#include <cctype>
#include <charconv>
#include <limits>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <openssl/crypto.h>

namespace signet::store {
namespace {

std::string LowerCase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// A non-empty run of ASCII digits (no sign, no spaces) that fits in `max`.
std::optional<std::uint64_t> ParseDecimal(std::string_view text, std::uint64_t max) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  std::uint64_t value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end || value > max) return std::nullopt;
  return value;
}

Result<std::uint16_t> ParsePort(const boost::urls::url_view& url) {
  if (!url.has_port()) return kDefaultRedisPort;
  auto port = ParseDecimal(url.port(), std::numeric_limits<std::uint16_t>::max());
  if (!port || *port == 0) return Errc::kUrlPort;
  return static_cast<std::uint16_t>(*port);
}

// The path is empty, "/" or "/N" (redis-cli -u and the IANA draft of the redis scheme).
Result<std::uint32_t> ParseDatabase(const boost::urls::url_view& url) {
  std::string_view path = url.encoded_path();
  if (path.empty() || path == "/") return 0u;
  if (path.front() != '/') return Errc::kUrlDatabase;
  auto db = ParseDecimal(path.substr(1), std::numeric_limits<std::int32_t>::max());
  if (!db) return Errc::kUrlDatabase;
  return static_cast<std::uint32_t>(*db);
}

// Copies the decoded password into a SecretBytes and wipes the temporary string.
keys::SecretBytes DecodePassword(const boost::urls::url_view& url) {
  std::string decoded = url.password();
  keys::SecretBytes secret(decoded);
  OPENSSL_cleanse(decoded.data(), decoded.size());
  return secret;
}

Result<void> ParseUserinfo(const boost::urls::url_view& url, RedisUrl& out) {
  if (!url.has_userinfo()) return {};
  if (!url.has_password()) {
    // "redis://name@host" is read as a user by some clients and as a password by others.
    return Errc::kUrlMalformed;
  }
  std::string user = url.user();
  if (!user.empty()) out.user = std::move(user);
  out.password = DecodePassword(url);
  return {};
}

}  // namespace

std::string RedisUrl::Describe() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  std::string text = ipv6 ? "[" + host + "]" : host;
  text += ":" + std::to_string(port) + "/" + std::to_string(db);
  return text;
}

Result<RedisUrl> ParseRedisUrl(std::string_view text) {
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed)
    return LowerCase(text.substr(0, 7)) == "rediss:" ? Errc::kTlsNotSupported : Errc::kUrlMalformed;
  const boost::urls::url_view& url = *parsed;
  // Scheme names are case-insensitive (RFC 3986 §3.1).
  const std::string scheme = LowerCase(url.scheme());
  if (scheme == "rediss") return Errc::kTlsNotSupported;
  if (scheme != "redis") return Errc::kUrlScheme;
  if (url.has_query() || url.has_fragment()) return Errc::kUrlUnsupported;

  RedisUrl out;
  out.host = url.host_address();
  if (out.host.empty()) return Errc::kUrlHost;
  auto port = ParsePort(url);
  if (!port) return port.error();
  out.port = *port;
  auto db = ParseDatabase(url);
  if (!db) return db.error();
  out.db = *db;
  if (auto r = ParseUserinfo(url, out); !r) return r.error();
  return out;
}

}  // namespace signet::store

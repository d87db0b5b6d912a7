#include "oauth/internal/basic_credentials.hpp"

#include <algorithm>

#include "keys/base64url.hpp"
#include "oauth/form.hpp"

namespace signet::oauth::internal {
namespace {

constexpr std::string_view kScheme = "basic";

bool IsSpace(char c) noexcept { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view text) noexcept {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

// RFC 7235 §2.1: the auth-scheme is a case-insensitive token ended by SP or the value's end.
bool HasBasicScheme(std::string_view header) noexcept {
  if (header.size() < kScheme.size()) return false;
  if (header.size() > kScheme.size() && !IsSpace(header[kScheme.size()])) return false;
  return std::equal(kScheme.begin(), kScheme.end(), header.begin(), [](char a, char b) {
    return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : b);
  });
}

Error Malformed() {
  Error error = MakeError(ErrorCode::kInvalidClient, "malformed Basic authorization header");
  error.client_used_basic_auth = true;
  return error;
}

}  // namespace

std::optional<std::string> Base64StdDecode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
    ++padding;
  }
  std::string url(text.substr(0, text.size() - padding));
  for (char& c : url) {
    // Reject the base64url characters before mapping the standard ones onto them.
    if (c == '-' || c == '_') return std::nullopt;
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  // The padding must be exactly what the unpadded length implies (RFC 4648 §4), which
  // Base64UrlDecode checks together with the zero tail bits.
  if ((4 - url.size() % 4) % 4 != padding) return std::nullopt;
  return keys::Base64UrlDecode(url);
}

std::string Base64StdEncode(std::string_view bytes) {
  std::string out = keys::Base64UrlEncode(bytes);
  for (char& c : out) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  out.append((4 - out.size() % 4) % 4, '=');
  return out;
}

Expected<std::optional<BasicCredentials>> ParseBasicAuthorization(std::string_view header) {
  header = Trim(header);
  if (!HasBasicScheme(header)) return std::optional<BasicCredentials>();
  const std::string_view token68 = Trim(header.substr(kScheme.size()));
  if (token68.empty()) return Malformed();
  const auto decoded = Base64StdDecode(token68);
  if (!decoded) return Malformed();
  // RFC 7617 §2: user-id and password are separated by the first ':'; RFC 6749 §2.3.1
  // encoding guarantees a client_id never contains a raw one.
  const std::size_t colon = decoded->find(':');
  if (colon == std::string::npos) return Malformed();
  auto client_id = FormUrlDecode(std::string_view(*decoded).substr(0, colon));
  auto client_secret = FormUrlDecode(std::string_view(*decoded).substr(colon + 1));
  if (!client_id || !client_secret || client_id->empty()) return Malformed();
  return std::optional<BasicCredentials>(
      BasicCredentials{std::move(*client_id), std::move(*client_secret)});
}

std::string MakeBasicAuthorization(std::string_view client_id, std::string_view client_secret) {
  std::string joined = FormUrlEncode(client_id);
  joined += ':';
  joined += FormUrlEncode(client_secret);
  return "Basic " + Base64StdEncode(joined);
}

}  // namespace signet::oauth::internal

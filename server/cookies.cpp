#include "server/cookies.hpp"

namespace signet::server {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Our values are base64url; anything else in a cookie of our name is not ours.
bool IsTokenValue(std::string_view value) {
  if (value.empty() || value.size() > 256) return false;
  for (const char c : value) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// The config accepts the scheme in any case (RFC 3986 §3.1: schemes are case-insensitive).
bool IsHttps(std::string_view issuer) {
  constexpr std::string_view kHttps = "https://";
  if (issuer.size() < kHttps.size()) return false;
  for (std::size_t i = 0; i < kHttps.size(); ++i) {
    const char c = issuer[i];
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower != kHttps[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string_view> CookieValue(const Request& request, std::string_view name) {
  const auto [first, last] = request.equal_range(http::field::cookie);
  for (auto field = first; field != last; ++field) {
    std::string_view header(field->value().data(), field->value().size());
    while (!header.empty()) {
      const std::size_t end = header.find(';');
      const std::string_view pair = Trim(header.substr(0, end));
      header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
      const std::size_t equals = pair.find('=');
      if (equals == std::string_view::npos) continue;
      if (Trim(pair.substr(0, equals)) == name) return Trim(pair.substr(equals + 1));
    }
  }
  return std::nullopt;
}

SsoCookies::SsoCookies(std::string_view issuer)
    : secure_(IsHttps(issuer)),
      session_name_(secure_ ? "__Host-signet_session" : "signet_session"),
      binding_name_(secure_ ? "__Host-signet_login" : "signet_login") {}

oauth::BrowserCookies SsoCookies::Read(const Request& request) const {
  oauth::BrowserCookies cookies;
  const auto session = CookieValue(request, session_name_);
  if (session && IsTokenValue(*session)) cookies.session = std::string(*session);
  const auto binding = CookieValue(request, binding_name_);
  if (binding && IsTokenValue(*binding)) cookies.binding = std::string(*binding);
  return cookies;
}

void SsoCookies::Set(Response& response, std::string_view name, std::string_view value,
                     std::chrono::seconds max_age) const {
  std::string cookie(name);
  cookie += '=';
  cookie += value;
  cookie += "; Path=/; Max-Age=" + std::to_string(max_age.count());
  cookie += "; HttpOnly; SameSite=Lax";
  if (secure_) cookie += "; Secure";
  response.insert(http::field::set_cookie, cookie);
}

void SsoCookies::SetSession(Response& response, std::string_view value,
                            std::chrono::seconds max_age) const {
  Set(response, session_name_, value, max_age);
}

void SsoCookies::ClearSession(Response& response) const {
  Set(response, session_name_, "", std::chrono::seconds(0));
}

void SsoCookies::SetBinding(Response& response, std::string_view value) const {
  Set(response, binding_name_, value, kBindingCookieMaxAge);
}

}  // namespace signet::server

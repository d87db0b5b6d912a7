#include "oauth/bearer_token.hpp"

#include <optional>

#include "oauth/form.hpp"

namespace signet::oauth {
namespace {

constexpr std::string_view kScheme = "Bearer";

bool IsB64TokenChar(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
bool IsB64Token(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size() && IsB64TokenChar(text[i])) ++i;
  if (i == 0) return false;
  while (i < text.size() && text[i] == '=') ++i;
  return i == text.size();
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

Error Malformed(std::string description) {
  return MakeError(ErrorCode::kInvalidRequest, std::move(description));
}

// The Bearer credentials of the header: nullopt when the header is absent or of another
// scheme; an error when it is Bearer but malformed.
Expected<std::optional<std::string>> FromHeader(std::string_view authorization) {
  const std::size_t space = authorization.find(' ');
  const std::string_view scheme = authorization.substr(0, space);
  if (authorization.empty() || !EqualsIgnoreCase(scheme, kScheme)) {
    return std::optional<std::string>();
  }
  std::string_view credentials =
      space == std::string_view::npos ? std::string_view() : authorization.substr(space);
  while (!credentials.empty() && credentials.front() == ' ') credentials.remove_prefix(1);
  if (!IsB64Token(credentials)) return Malformed("malformed Bearer credentials");
  return std::optional<std::string>(std::string(credentials));
}

Expected<std::optional<std::string>> FromForm(std::string_view form_body) {
  if (form_body.empty()) return std::optional<std::string>();
  auto params = ParseForm(form_body);
  if (!params) return params.error();
  std::optional<std::string> token;
  for (auto& [name, value] : *params) {
    if (name != "access_token") continue;
    if (token) return Malformed("access_token repeated");
    token = std::move(value);
  }
  if (token && token->empty()) return Malformed("empty access_token");
  return token;
}

}  // namespace

Expected<std::string> ExtractBearerToken(std::string_view authorization,
                                         std::string_view form_body) {
  auto header = FromHeader(authorization);
  if (!header) return header.error();
  auto form = FromForm(form_body);
  if (!form) return form.error();
  if (*header && *form) return Malformed("more than one method used to send the access token");
  if (*header) return std::move(**header);
  if (*form) return std::move(**form);
  return MissingBearerToken();
}

}  // namespace signet::oauth

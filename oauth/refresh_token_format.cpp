#include "oauth/refresh_token_format.hpp"

namespace signet::oauth {
namespace {

bool IsBase64UrlChar(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

bool HasRefreshTokenShape(std::string_view token) noexcept {
  if (token.size() != kOpaqueSecretChars) return false;
  for (char c : token) {
    if (!IsBase64UrlChar(c)) return false;
  }
  return true;
}

std::optional<std::string> NewRefreshFamilyId() { return NewRandomId(); }

}  // namespace signet::oauth

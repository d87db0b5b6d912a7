#include "oauth/audience.hpp"

#include <algorithm>

namespace signet::oauth {
namespace {

bool IsAlpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) noexcept { return c >= '0' && c <= '9'; }

bool Contains(std::span<const std::string> list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

bool IsAbsoluteUriWithoutFragment(std::string_view text) noexcept {
  // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ':'.
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || !IsAlpha(text.front())) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    const char c = text[i];
    if (!IsAlpha(c) && !IsDigit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  if (colon + 1 == text.size()) return false;  // "https:" names nothing
  // RFC 3986 §2: no raw space, control character or non-ASCII byte in a URI.
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F) return false;
  }
  return text.find('#') == std::string_view::npos;
}

Expected<std::vector<std::string>> ResolveAudience(const TokenRequest& request,
                                                   std::span<const std::string> registered,
                                                   bool openid) {
  std::vector<std::string> audience;
  for (const std::string_view resource : request.GetAll(kResourceParam)) {
    if (!IsAbsoluteUriWithoutFragment(resource)) {
      return MakeError(ErrorCode::kInvalidTarget,
                       "resource must be an absolute URI without a fragment");
    }
    if (!Contains(registered, resource)) {
      return MakeError(ErrorCode::kInvalidTarget, "resource not allowed for this client");
    }
    if (!Contains(audience, resource)) audience.emplace_back(resource);
  }
  for (const std::string_view name : request.GetAll(kAudienceParam)) {
    if (!Contains(registered, name)) {
      return MakeError(ErrorCode::kInvalidTarget, "audience not allowed for this client");
    }
    if (!Contains(audience, name)) audience.emplace_back(name);
  }
  if (audience.empty()) audience.assign(registered.begin(), registered.end());
  if (audience.empty() && !openid) {
    return MakeError(ErrorCode::kInvalidTarget, "no audience registered for this client",
                     "client has an empty audience list and the request named none");
  }
  return audience;
}

}  // namespace signet::oauth

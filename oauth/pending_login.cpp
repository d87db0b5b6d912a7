#include "oauth/pending_login.hpp"

#include <charconv>
#include <cstdint>

#include "keys/base64url.hpp"

namespace signet::oauth {
namespace {

constexpr std::chrono::seconds kFutureTolerance{60};

std::int64_t UnixSeconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

}  // namespace

std::string EncodePendingLogin(std::string_view encoded_request,
                               std::chrono::system_clock::time_point now) {
  return std::to_string(UnixSeconds(now)) + "." + keys::Base64UrlEncode(encoded_request);
}

std::optional<std::string> DecodePendingLogin(std::string_view request_id,
                                              std::chrono::system_clock::time_point now) {
  const std::size_t dot = request_id.find('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  std::int64_t issued = 0;
  const char* first = request_id.data();
  const char* last = request_id.data() + dot;
  const auto [end, ec] = std::from_chars(first, last, issued);
  if (ec != std::errc() || end != last) return std::nullopt;
  // Compared as bounds, not as now - issued, which overflows for a forged extreme value.
  const std::int64_t now_seconds = UnixSeconds(now);
  if (issued < now_seconds - kLoginFormLifetime.count() ||
      issued > now_seconds + kFutureTolerance.count()) {
    return std::nullopt;
  }
  return keys::Base64UrlDecode(request_id.substr(dot + 1));
}

}  // namespace signet::oauth

#include "server/oauth_error_response.hpp"

#include <algorithm>
#include <string>

namespace signet::server {

void SetNoStore(Response& response) {
  response.set(http::field::cache_control, "no-store");
  response.set(http::field::pragma, "no-cache");
}

Response OAuthErrorResponse(const Request& request, const oauth::Error& error) {
  Response response = JsonResponse(request, static_cast<http::status>(oauth::HttpStatus(error)),
                                   oauth::ToJson(error));
  SetNoStore(response);
  if (auto challenge = oauth::WwwAuthenticate(error)) {
    response.set(http::field::www_authenticate, *challenge);
  }
  // RFC 9110 §10.2.3 / §15.6.4: a 503 may say when to come back; overload here is momentary
  // (a full argon2 queue drains in well under a second). A 429 (RFC 6585 §4) says when the
  // oldest counted failure leaves the guessing window.
  if (error.code == oauth::ErrorCode::kTemporarilyUnavailable) {
    const auto seconds = error.too_many_attempts ? error.retry_after.count() : 1;
    response.set(http::field::retry_after, std::to_string(std::max<long long>(seconds, 1)));
  }
  return response;
}

}  // namespace signet::server

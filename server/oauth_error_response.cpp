#include "server/oauth_error_response.hpp"

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
  return response;
}

}  // namespace signet::server

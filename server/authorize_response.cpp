#include "server/authorize_response.hpp"

#include <string>

#include "server/login_page.hpp"

namespace signet::server {

Response RedirectResponse(const Request& request, std::string_view location) {
  const http::status status =
      request.method() == http::verb::post ? http::status::see_other : http::status::found;
  Response response = MakeResponse(request, status, {}, {});
  response.set(http::field::location, location);
  response.set(http::field::cache_control, "no-store");
  response.set(http::field::pragma, "no-cache");
  response.set("Referrer-Policy", "no-referrer");
  return response;
}

bool ShouldRepostAsGet(const Request& request, std::string_view body, bool has_session_cookie) {
  return request.method() == http::verb::post && !has_session_cookie && !body.empty() &&
         body.size() <= kMaxRepostedBody;
}

Response RepostAsGet(const Request& request, std::string_view relative_path,
                     std::string_view body) {
  // The form body is application/x-www-form-urlencoded, which is a valid query as it stands.
  std::string location(relative_path);
  location.push_back('?');
  location.append(body);
  return RedirectResponse(request, location);  // 303 for a POST
}

Response AuthorizeErrorResponse(const Request& request, const oauth::AuthorizeError& error,
                                std::string_view issuer) {
  if (error.Redirectable()) {
    return RedirectResponse(request, oauth::ErrorRedirectUrl(error, issuer));
  }
  // RFC 6749 §4.1.2.1: "SHOULD inform the resource owner of the error".
  std::string message = "The application sent an invalid sign-in request (";
  message += oauth::AuthorizeErrorName(error.code);
  if (!error.description.empty()) {
    message += ": ";
    message += error.description;
  }
  message += ").";
  return ErrorPageResponse(request, http::status::bad_request, "Sign-in error", message);
}

}  // namespace signet::server

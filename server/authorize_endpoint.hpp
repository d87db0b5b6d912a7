#pragma once
// GET|POST /oauth2/authorize (issue 6, RFC 6749 §4.1, OIDC Core §3.1): HTTP around
// oauth::AuthorizeService.
//   - GET: the query is the authorization request;
//   - POST (application/x-www-form-urlencoded): the login form when it carries the form's
//     hidden fields (request_id, csrf_token), else an authorization request in the body
//     (OIDC Core §3.1.2.1 allows both methods);
//   - answers: a redirect to the client (302 after a GET, 303 after a POST so the password
//     is not posted on), the login page (200; 401/429/503 when shown again after a failed
//     attempt, 429 with Retry-After), or a 400 error page when the request cannot be sent
//     back to its client. Cookies (server/cookies.hpp) ride on these answers;
//   - a POSTed authorization request without the session cookie (a cross-site form:
//     SameSite=Lax withholds it) is sent back as a GET first, so single sign-on still sees
//     the session (server/authorize_response.hpp RepostAsGet).
// No CORS on this path (issue 6 point 7): it is for top-level browser navigation only, and
// its pages forbid framing.
//
// Usage:
//   server::AuthorizeEndpoint authorize(service, config.issuer);
//   router.AddAsync(http::verb::get, std::string(kAuthorizePath), ...authorize.Handle(rq, ctx)...);

#include <string>
#include <string_view>

#include "oauth/authorize_service.hpp"
#include "server/cookies.hpp"
#include "server/http_types.hpp"

namespace signet::server {

class ServerMetrics;

inline constexpr std::string_view kAuthorizePath = "/oauth2/authorize";

class AuthorizeEndpoint {
 public:
  // `service` (and `metrics`, which may be null) must outlive the endpoint.
  AuthorizeEndpoint(const oauth::AuthorizeService& service, std::string issuer,
                    ServerMetrics* metrics = nullptr)
      : service_(service), issuer_(std::move(issuer)), cookies_(issuer_), metrics_(metrics) {}

  // `request` and `context` must stay valid until the awaitable completes.
  boost::asio::awaitable<Response> Handle(const Request& request, RequestContext& context) const;

 private:
  Response ToResponse(const Request& request, const oauth::AuthorizeOutcome& outcome) const;
  void Count(const oauth::AuthorizeOutcome& outcome) const;

  const oauth::AuthorizeService& service_;
  std::string issuer_;
  SsoCookies cookies_;
  ServerMetrics* metrics_;
};

}  // namespace signet::server

#pragma once
// GET|POST /oauth2/logout (issue 6 point 6, OIDC RP-Initiated Logout 1.0 §2: the OP MUST
// support GET and POST): HTTP around oauth::LogoutService.
//   - a redirect (302/303) to the registered post_logout_redirect_uri with state, or the
//     "signed out" page, expiring the session cookie;
//   - the confirmation page when the request does not prove where it comes from;
//   - a 400 error page for a bad request (never a redirect), 503 when the store is down;
//   - a POST without the session cookie (a cross-site form: SameSite=Lax withholds it) is
//     sent back as a GET first (server/authorize_response.hpp RepostAsGet).
// No CORS: a top-level navigation, like /oauth2/authorize.
//
// Usage:
//   server::LogoutEndpoint logout(service, config.issuer);
//   router.AddAsync(http::verb::get, std::string(kLogoutPath), ...logout.Handle(rq, ctx)...);

#include <string>
#include <string_view>

#include "oauth/logout_service.hpp"
#include "server/cookies.hpp"
#include "server/http_types.hpp"

namespace signet::server {

class ServerMetrics;

inline constexpr std::string_view kLogoutPath = "/oauth2/logout";

class LogoutEndpoint {
 public:
  // `service` (and `metrics`, which may be null) must outlive the endpoint.
  LogoutEndpoint(const oauth::LogoutService& service, std::string_view issuer,
                 ServerMetrics* metrics = nullptr)
      : service_(service), cookies_(issuer), metrics_(metrics) {}

  boost::asio::awaitable<Response> Handle(const Request& request, RequestContext& context) const;

 private:
  Response ToResponse(const Request& request, const oauth::LogoutOutcome& outcome) const;

  const oauth::LogoutService& service_;
  SsoCookies cookies_;
  ServerMetrics* metrics_;
};

}  // namespace signet::server

#pragma once
// GET|POST /oauth2/userinfo (OIDC Core §5.3): passes the Authorization header (and, for a POST
// with Content-Type application/x-www-form-urlencoded, the body: RFC 6750 §2.2) to
// oauth::UserinfoService and answers 200 with the claims JSON, or 401 with
// WWW-Authenticate: Bearer (RFC 6750 §3.1), 400 invalid_request, 503 when the revocation store
// cannot be asked. Every answer carries Cache-Control: no-store (it describes a person).
//
// Usage:
//   server::UserinfoEndpoint userinfo(*service);
//   router.AddAsync(http::verb::get, std::string(kUserinfoPath), ...userinfo.Handle(rq, ctx)...);

#include <string_view>

#include "oauth/userinfo_service.hpp"
#include "server/http_types.hpp"

namespace signet::server {

inline constexpr std::string_view kUserinfoPath = "/oauth2/userinfo";

class UserinfoEndpoint {
 public:
  // `service` must outlive the endpoint.
  explicit UserinfoEndpoint(const oauth::UserinfoService& service) : service_(service) {}

  // `request` and `context` must stay valid until the awaitable completes.
  boost::asio::awaitable<Response> Handle(const Request& request, RequestContext& context) const;

 private:
  const oauth::UserinfoService& service_;
};

}  // namespace signet::server

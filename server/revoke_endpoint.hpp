#pragma once
// POST /oauth2/revoke (RFC 7009 §2): checks the media type, hands the form body and the
// Authorization header to oauth::RevocationService, and answers 200 with an empty body when
// the token is revoked or there was nothing to revoke (§2.2), or the RFC 6749 §5.2 error
// (400 invalid_request, 401 invalid_client with WWW-Authenticate, 503 temporarily_unavailable
// when the revocation store cannot be reached). Every answer carries Cache-Control: no-store.
//
// Usage:
//   server::RevokeEndpoint revoke(*service);
//   router.AddAsync(http::verb::post, "/oauth2/revoke",
//                   [&revoke](const auto& rq, auto& ctx) { return revoke.Handle(rq, ctx); });

#include <string_view>

#include "oauth/revocation_service.hpp"
#include "server/http_types.hpp"

namespace signet::server {

class ServerMetrics;

inline constexpr std::string_view kRevokePath = "/oauth2/revoke";

class RevokeEndpoint {
 public:
  // `service` (and `metrics` when set: revoked tokens are counted) must outlive the endpoint.
  explicit RevokeEndpoint(const oauth::RevocationService& service, ServerMetrics* metrics = nullptr)
      : service_(service), metrics_(metrics) {}

  // `request` and `context` must stay valid until the awaitable completes.
  boost::asio::awaitable<Response> Handle(const Request& request, RequestContext& context) const;

 private:
  const oauth::RevocationService& service_;
  ServerMetrics* metrics_;
};

}  // namespace signet::server

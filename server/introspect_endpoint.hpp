#pragma once
// POST /oauth2/introspect (RFC 7662 §2): checks the media type, hands the form body and the
// Authorization header to oauth::IntrospectionService, and answers 200 with the §2.2 JSON
// ({"active":true,...} or {"active":false}), or the RFC 6749 §5.2 error (400 invalid_request,
// 401 invalid_client with WWW-Authenticate, 503 temporarily_unavailable when the revocation
// store cannot be asked). Every answer carries Cache-Control: no-store (the document
// describes a credential).
//
// Usage:
//   server::IntrospectEndpoint introspect(*service);
//   router.AddAsync(http::verb::post, "/oauth2/introspect",
//                   [&introspect](const auto& rq, auto& ctx) { return introspect.Handle(rq, ctx);
//                   });

#include <string_view>

#include "oauth/introspection_service.hpp"
#include "server/http_types.hpp"

namespace signet::server {

class ServerMetrics;

inline constexpr std::string_view kIntrospectPath = "/oauth2/introspect";

class IntrospectEndpoint {
 public:
  // `service` (and `metrics` when set: answers counted as active / inactive / error) must
  // outlive the endpoint.
  explicit IntrospectEndpoint(const oauth::IntrospectionService& service,
                              ServerMetrics* metrics = nullptr)
      : service_(service), metrics_(metrics) {}

  // `request` and `context` must stay valid until the awaitable completes.
  boost::asio::awaitable<Response> Handle(const Request& request, RequestContext& context) const;

 private:
  const oauth::IntrospectionService& service_;
  ServerMetrics* metrics_;
};

}  // namespace signet::server

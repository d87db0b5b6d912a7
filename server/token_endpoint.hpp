#pragma once
// POST /oauth2/token (RFC 6749 §3.2): checks the media type, hands the form body and the
// Authorization header to oauth::TokenService, and turns the outcome into HTTP:
// 200 + RFC 6749 §5.1 JSON, or the §5.2 error (server/oauth_error_response.hpp). Both carry
// Cache-Control: no-store and Pragma: no-cache.
//
// CPU note: the first request with a client_secret_hash secret runs argon2id (~20-50 ms) on
// the I/O thread; the oauth layer caches a keyed digest so it runs once per secret. Failed
// attempts always pay argon2 (by design, see oauth/client_authenticator.hpp): a flood of wrong
// secrets occupies I/O threads. Moving verification to a worker pool is a follow-up.
//
// Usage:
//   server::TokenEndpoint token(*service);
//   router.Add(http::verb::post, "/oauth2/token",
//              [&token](const auto& rq, auto& ctx) { return token.Handle(rq, ctx); });

#include "oauth/token_service.hpp"
#include "server/http_types.hpp"

namespace signet::server {

inline constexpr std::string_view kTokenPath = "/oauth2/token";

class TokenEndpoint {
 public:
  // `service` must outlive the endpoint.
  explicit TokenEndpoint(const oauth::TokenService& service) : service_(service) {}

  Response Handle(const Request& request, RequestContext& context) const;

 private:
  const oauth::TokenService& service_;
};

// True when the Content-Type is application/x-www-form-urlencoded (case-insensitive, any
// parameters such as charset ignored; RFC 9110 §8.3.1).
bool IsFormUrlEncoded(std::string_view content_type) noexcept;

}  // namespace signet::server

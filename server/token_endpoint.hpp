#pragma once
// POST /oauth2/token (RFC 6749 §3.2): checks the media type, hands the form body and the
// Authorization header to oauth::TokenService, and turns the outcome into HTTP:
// 200 + RFC 6749 §5.1 JSON, or the §5.2 error (server/oauth_error_response.hpp). Both carry
// Cache-Control: no-store and Pragma: no-cache.
//
// CPU note: a client_secret_hash secret costs one argon2id run (~20-40 ms) the first time it
// is right and every time it is wrong (by design, see oauth/client_authenticator.hpp). The
// App injects a SecretVerifierPool (server/secret_verifier_pool.hpp), so those runs happen on
// worker threads while this handler is suspended, and the I/O thread keeps serving; past the
// pool's bound the answer is 503 temporarily_unavailable with Retry-After.
//
// Usage:
//   server::TokenEndpoint token(*service);
//   router.AddAsync(http::verb::post, "/oauth2/token",
//                   [&token](const auto& rq, auto& ctx) { return token.Handle(rq, ctx); });

#include <optional>
#include <string_view>

#include "oauth/token_service.hpp"
#include "server/http_types.hpp"

namespace signet::server {

class ServerMetrics;

inline constexpr std::string_view kTokenPath = "/oauth2/token";

class TokenEndpoint {
 public:
  // `service` (and `metrics` when set: tokens issued by grant and algorithm) must outlive
  // the endpoint.
  explicit TokenEndpoint(const oauth::TokenService& service, ServerMetrics* metrics = nullptr)
      : service_(service), metrics_(metrics) {}

  // `request` and `context` must stay valid until the awaitable completes.
  boost::asio::awaitable<Response> Handle(const Request& request, RequestContext& context) const;

 private:
  const oauth::TokenService& service_;
  ServerMetrics* metrics_;
};

// The RFC 6749 §5.2 invalid_request answer for a POST to an OAuth endpoint whose body is not
// application/x-www-form-urlencoded (RFC 6749 §3.2, RFC 7009 §2.1, RFC 7662 §2.1: JSON or
// multipart are not requests of these endpoints); nullopt when it is a form.
std::optional<Response> RejectUnlessForm(const Request& request);

}  // namespace signet::server

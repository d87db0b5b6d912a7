#pragma once
// Cross-origin resource sharing (Fetch standard, "CORS protocol") for the endpoints a
// single-page app on another origin calls directly: token, userinfo, JWKS and the two discovery
// documents. The authorize page, logout, revocation, introspection, the feed, /metrics and the
// probes get none: they are either navigations (no CORS needed) or not meant for browsers.
//
// The allowed origins are those of the registered clients' redirect_uris and
// post_logout_redirect_uris (RFC 6454 §4: scheme, host, port), serialised as browsers send
// them in `Origin` (RFC 6454 §6.2: lowercase scheme and host, no default port). Only http and
// https URIs have such an origin; a private-use scheme (com.example.app:/cb) has none.
//
//   - actual request from an allowed origin: Access-Control-Allow-Origin echoing it (never
//     `*`), Access-Control-Expose-Headers for what a SPA must read from error answers;
//   - any other Origin, or none: no CORS header at all;
//   - every response of a CORS path: `Vary: Origin`, since the answer depends on it;
//   - preflight (OPTIONS + allowed Origin + Access-Control-Request-Method): 204 with
//     Allow-Origin, Allow-Methods, Allow-Headers and Max-Age. Other OPTIONS requests are left
//     to the router (405 with Allow, as for any method a path does not serve).
//
// No Access-Control-Allow-Credentials: these endpoints read no cookie (the client and the
// user authenticate in the Authorization header or the form, which a script sets itself), and
// leaving credentials out means a response is never readable by a script that sent cookies.
//
// Usage:
//   auto cors = std::make_shared<const server::CorsPolicy>(server::CorsPolicy::FromConfig(cfg));
//   router.EnableCors(kTokenPath, cors);   // server/router.hpp applies it to every response

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "server/http_types.hpp"

namespace signet::server {

// Access-Control-Max-Age of a preflight answer: browsers cap it anyway (Chromium at 2 h,
// Firefox at 24 h); 10 minutes keeps a newly removed origin from lingering long.
inline constexpr std::string_view kCorsMaxAge = "600";
// The request headers a SPA may send (the rest are CORS-safelisted): client or bearer
// authentication, the form's media type, and the DPoP proof (RFC 9449 §4.1).
inline constexpr std::string_view kCorsAllowHeaders = "Authorization, Content-Type, DPoP";
// What a SPA must read from our error answers: the Bearer challenge (RFC 6750 §3) and Basic
// challenge of a 401, the wait of a 429/503 (RFC 9110 §10.2.3), the DPoP nonce (RFC 9449 §8).
inline constexpr std::string_view kCorsExposeHeaders = "WWW-Authenticate, Retry-After, DPoP-Nonce";

// The serialised origin of an absolute http(s) URI (RFC 6454 §6.2): "https://app.example",
// "http://127.0.0.1:4001", "http://[::1]:8080"; nullopt for other schemes, relative or
// unparseable URIs, a missing or non-ASCII host, or a port out of range.
[[nodiscard]] std::optional<std::string> SerializedOrigin(std::string_view uri);

class CorsPolicy {
 public:
  // The origins of every client's redirect_uris and post_logout_redirect_uris.
  static CorsPolicy FromConfig(const config::Config& config);
  // The origins of these URIs (those without one are skipped).
  static CorsPolicy FromUris(const std::vector<std::string>& uris);

  // Exact comparison with the serialised origins: browsers send exactly that form, and the
  // value is echoed, so nothing is normalised on the way in. `null` (opaque origins: sandboxed
  // frames, file:, data:) is never allowed.
  bool AllowsOrigin(std::string_view origin) const noexcept;

  // The request's single Origin header if it is allowed, else "" (also for repeated Origins).
  std::string_view AllowedOriginOf(const Request& request) const;

  // True for an OPTIONS request from an allowed origin carrying Access-Control-Request-Method.
  bool IsPreflight(const Request& request) const;

  // The 204 answer to a preflight; `allowed_methods` is what the path registers ("POST",
  // "GET, HEAD"). Only for requests where IsPreflight() is true.
  Response PreflightResponse(const Request& request, std::string_view allowed_methods) const;

  // Adds Vary: Origin, and for an allowed origin Access-Control-Allow-Origin and
  // Access-Control-Expose-Headers, to the response of an actual request.
  void Apply(const Request& request, Response& response) const;

  // Sorted, without duplicates.
  const std::vector<std::string>& origins() const noexcept { return origins_; }

 private:
  explicit CorsPolicy(std::vector<std::string> origins);
  std::vector<std::string> origins_;
};

}  // namespace signet::server

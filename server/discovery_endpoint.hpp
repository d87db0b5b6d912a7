#pragma once
// GET /.well-known/openid-configuration (OpenID Connect Discovery 1.0 §3) and
// GET /.well-known/oauth-authorization-server (RFC 8414 §2, §3): one JSON document served at
// both paths, built once at start from the configuration. Every URL is derived from
// `issuer` (RFC 8414 §3.3: the issuer in the document must equal the configured one).
//
// Only what works is advertised, so clients never discover a feature that fails:
//   grant_types_supported                  ["client_credentials"]
//   token_endpoint_auth_methods_supported  ["client_secret_basic","client_secret_post"]
//   revocation_endpoint, introspection_endpoint (RFC 7009, RFC 7662; RFC 8414 §2) with
//   *_auth_methods_supported               the token endpoint's methods
//   response_types_supported               [] until /oauth2/authorize exists. Both specs
//                                          list the member as REQUIRED; an empty list is the
//                                          truthful value, and clients doing discovery only
//                                          for the token endpoint (openid-client) accept it.
//   code_challenge_methods_supported       [] until authorize exists (RFC 8414: omitting it
//                                          means "no PKCE"; present but empty says the same
//                                          to clients that require the member), then ["S256"].
//   authorization_endpoint                 omitted until it exists (OIDC Discovery requires
//                                          it; we prefer no URL to a URL that answers 404).
//                                          With it: token_endpoint_auth_methods_supported
//                                          adds "none" (public clients, PKCE),
//                                          authorization_response_iss_parameter_supported
//                                          (RFC 9207 §3) and prompt_values_supported.
//   end_session_endpoint                   /oauth2/logout once served.
//   id_token_signing_alg_values_supported  keys.algorithms
//   scopes_supported                       the union of the clients' scopes, sorted
//   claims_supported                       the claims signet's tokens carry
// DiscoveryFeatures switches members on as endpoints are added.

#include <string>
#include <string_view>

#include "config/config.hpp"
#include "server/http_types.hpp"

namespace signet::server {

inline constexpr std::string_view kOpenIdConfigurationPath = "/.well-known/openid-configuration";
inline constexpr std::string_view kOAuthMetadataPath = "/.well-known/oauth-authorization-server";

// Endpoints beyond the token endpoint and the JWKS, advertised only when served.
struct DiscoveryFeatures {
  bool authorization_endpoint = false;  // /oauth2/authorize with the code flow and PKCE S256
  bool end_session_endpoint = false;    // /oauth2/logout (OIDC RP-Initiated Logout 1.0 §2.1)
};

// The JSON document (exposed for tests).
std::string BuildDiscoveryDocument(const config::Config& config,
                                   const DiscoveryFeatures& features = {});

class DiscoveryEndpoint {
 public:
  explicit DiscoveryEndpoint(const config::Config& config, const DiscoveryFeatures& features = {})
      : body_(BuildDiscoveryDocument(config, features)) {}

  Response Handle(const Request& request, RequestContext& context) const;
  const std::string& body() const noexcept { return body_; }

 private:
  std::string body_;
};

}  // namespace signet::server

#include "server/discovery_endpoint.hpp"

#include <set>

#include <nlohmann/json.hpp>

#include "keys/algorithm.hpp"

namespace signet::server {
namespace {

// Clients cache the document; it changes only with the configuration (a restart).
constexpr std::string_view kDiscoveryCacheControl = "public, max-age=300";

nlohmann::ordered_json Strings(std::initializer_list<std::string_view> values) {
  auto array = nlohmann::ordered_json::array();
  for (const auto value : values) array.push_back(value);
  return array;
}

}  // namespace

std::string BuildDiscoveryDocument(const config::Config& config,
                                   const DiscoveryFeatures& features) {
  const std::string& issuer = config.issuer;
  nlohmann::ordered_json doc;
  doc["issuer"] = issuer;
  if (features.authorization_endpoint) {
    doc["authorization_endpoint"] = issuer + "/oauth2/authorize";
  }
  doc["token_endpoint"] = issuer + "/oauth2/token";
  doc["userinfo_endpoint"] = issuer + "/oauth2/userinfo";  // OIDC Discovery §3
  doc["jwks_uri"] = issuer + "/.well-known/jwks.json";

  std::set<std::string> scopes;
  for (const config::Client& client : config.clients) {
    scopes.insert(client.scope.begin(), client.scope.end());
  }
  doc["scopes_supported"] = scopes;

  doc["response_types_supported"] =
      features.authorization_endpoint ? Strings({"code"}) : nlohmann::ordered_json::array();
  doc["grant_types_supported"] =
      features.authorization_endpoint
          ? Strings({"authorization_code", "client_credentials", "password", "refresh_token"})
          : Strings({"client_credentials", "password", "refresh_token"});
  doc["subject_types_supported"] = Strings({"public"});

  auto algs = nlohmann::ordered_json::array();
  for (const keys::Algorithm alg : config.keys.algorithms) algs.push_back(keys::JwaName(alg));
  doc["id_token_signing_alg_values_supported"] = algs;

  // Public clients (token_endpoint_auth_method: none) exist only for the code flow.
  doc["token_endpoint_auth_methods_supported"] =
      features.authorization_endpoint
          ? Strings({"client_secret_basic", "client_secret_post", "none"})
          : Strings({"client_secret_basic", "client_secret_post"});
  // RFC 8414 §2: the revocation (RFC 7009) and introspection (RFC 7662) endpoints take the
  // same client authentication as the token endpoint (oauth/revocation_service.hpp).
  doc["revocation_endpoint"] = issuer + "/oauth2/revoke";
  doc["revocation_endpoint_auth_methods_supported"] =
      Strings({"client_secret_basic", "client_secret_post"});
  doc["introspection_endpoint"] = issuer + "/oauth2/introspect";
  doc["introspection_endpoint_auth_methods_supported"] =
      Strings({"client_secret_basic", "client_secret_post"});
  // signet-specific metadata name (no RFC registers one): the signed revocation feed.
  doc["revocation_feed_endpoint"] = issuer + "/oauth2/revocations";
  doc["code_challenge_methods_supported"] =
      features.authorization_endpoint ? Strings({"S256"}) : nlohmann::ordered_json::array();
  if (features.authorization_endpoint) {
    doc["authorization_response_iss_parameter_supported"] = true;  // RFC 9207 §3
    // OIDC Core §3.1.2.1; consent and select_account force a login (authorization_request.hpp).
    doc["prompt_values_supported"] = Strings({"none", "login", "consent", "select_account"});
    doc["request_parameter_supported"] = false;
    doc["request_uri_parameter_supported"] = false;
  }
  if (features.end_session_endpoint) doc["end_session_endpoint"] = issuer + "/oauth2/logout";
  // RFC 9068 §2.2 access token claims, OIDC Core §2 ID token claims, and the user claims
  // signet hands out by scope (§5.4: profile and email).
  doc["claims_supported"] =
      Strings({"iss", "sub", "aud", "exp", "iat", "jti", "client_id", "scope", "auth_time",
               "nonce", "at_hash", "sid", "name", "given_name", "family_name", "middle_name",
               "nickname", "preferred_username", "profile", "picture", "website", "gender",
               "birthdate", "zoneinfo", "locale", "updated_at", "email", "email_verified"});
  return doc.dump();
}

Response DiscoveryEndpoint::Handle(const Request& request, RequestContext&) const {
  Response response = JsonResponse(request, http::status::ok, body_);
  response.set(http::field::cache_control, kDiscoveryCacheControl);
  return response;
}

}  // namespace signet::server

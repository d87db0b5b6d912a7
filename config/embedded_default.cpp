#include "config/embedded_default.hpp"

namespace signet::config {
namespace {

constexpr std::string_view kYaml = R"yaml(# signet embedded development default.
# DEVELOPMENT ONLY: the demo client secret and demo user password below are public.
# Start from this file for a real deployment, but replace client_secret/password with
# client_secret_hash/password_hash from `signet hash-secret`, and use an https issuer.

issuer: "http://127.0.0.1:8080"     # exact 'iss' of every token; http only on loopback
listen: "127.0.0.1:8080"
threads: 0                          # 0 = one I/O thread per core

tokens:
  access_token_ttl: 15m
  id_token_ttl: 15m
  refresh_token_ttl: 30d
  signing_alg: RS256
  leeway: 30                        # seconds of clock skew accepted when verifying

keys:
  algorithms: [RS256, ES256]
  rotate_every: 24h
  publish_ahead: 1h                 # a next key is in the JWKS this long before it signs
  dir: "./var/keys"                 # generated on start; no Redis: in-memory store

# No redis: section, so state (codes, refresh tokens, revocations) is in memory.

log:
  level: info
  format: text

clients:
  - client_id: "demo-client"
    client_secret: "demo-secret-DEVELOPMENT-ONLY"   # dev only; production: client_secret_hash
    token_endpoint_auth_method: client_secret_basic
    grant_types: [client_credentials, authorization_code, refresh_token, password]
    redirect_uris: ["http://127.0.0.1:8080/demo/callback"]
    post_logout_redirect_uris: ["http://127.0.0.1:8080/"]
    scope: "openid profile email"
    audience: ["http://127.0.0.1:8080"]

users:
  - username: "demo"
    password: "demo-password-DEVELOPMENT-ONLY"      # dev only; production: password_hash
    claims:
      name: "Demo User"
      email: "demo@example.com"
      email_verified: true
)yaml";

}  // namespace

std::string_view EmbeddedDefaultYaml() { return kYaml; }

}  // namespace signet::config

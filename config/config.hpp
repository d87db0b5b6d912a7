#pragma once
// The typed configuration of signet (../shared/spec/interface.md, "Configuration").
// Plain immutable structs: load once with config::Load* (config/loader.hpp), then pass
// `const Config&` to whoever needs it. Every duration is std::chrono::seconds.
//
// What a Config returned by the loader guarantees (so users need not re-check):
//   - issuer is an absolute http(s) URL without query/fragment/trailing '/', https unless
//     the host is loopback; listen is "host:port".
//   - tokens.signing_alg and every client's *_signed_response_alg are in keys.algorithms;
//     keys.algorithms is non-empty without duplicates; publish_ahead <= rotate_every.
//   - TTLs, rotate_every and read_timeout are > 0 and <= 3650 days; login.session_ttl is
//     > 0 and <= 30 days.
//   - redis.url set => keys.encryption_key_file set.
//   - clients: client_id non-empty and unique; at most one of client_secret /
//     client_secret_hash; kClientSecretBasic/Post => one of them is set; kNone => neither is
//     set and no client_credentials grant; kPrivateKeyJwt never appears (not supported yet);
//     grant_types non-empty without duplicates; authorization_code => redirect_uris
//     non-empty; every redirect URI absolute without fragment; scope tokens valid per
//     RFC 6749 §3.3 (deduplicated, in file order).
//   - users: username non-empty and unique; exactly one of password / password_hash;
//     hashes are well-formed argon2id (keys::IsArgon2idEncoding); claims_json is a JSON
//     object without signet-managed claims (iss, sub, aud, exp, nbf, iat, jti, ...) whose
//     standard claims have their OIDC Core §5.1 types (config/standard_claims.hpp).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keys/algorithm.hpp"

namespace signet::config {

using Seconds = std::chrono::seconds;

enum class TokenEndpointAuthMethod {
  kClientSecretBasic,  // "client_secret_basic" (default when a secret is configured)
  kClientSecretPost,   // "client_secret_post"
  kPrivateKeyJwt,      // "private_key_jwt"
  kNone,               // "none": public client, PKCE required
};

enum class GrantType {
  kClientCredentials,  // "client_credentials"
  kAuthorizationCode,  // "authorization_code"
  kRefreshToken,       // "refresh_token"
  kPassword,           // "password"
};

enum class LogFormat { kText, kJson };

struct Tls {
  std::string cert_file;
  std::string key_file;
};

struct Tokens {
  Seconds access_token_ttl{900};
  Seconds id_token_ttl{900};
  Seconds refresh_token_ttl{2592000};
  keys::Algorithm signing_alg = keys::Algorithm::kRs256;
  Seconds leeway{30};
};

struct Keys {
  std::vector<keys::Algorithm> algorithms{keys::Algorithm::kRs256, keys::Algorithm::kEs256};
  Seconds rotate_every{86400};
  Seconds publish_ahead{3600};
  std::string dir = "./var/keys";
  std::string encryption_key_file;  // empty: private keys at rest are not encrypted
};

struct Redis {
  std::string url;  // empty: in-memory single-node store
};

// HTTP server limits (signet's own keys; not in the contract's example but accepted).
struct Server {
  std::uint32_t max_connections = 10000;
  Seconds read_timeout{30};    // a client that sends a request slower than this is cut off
  Seconds shutdown_grace{10};  // on SIGTERM, in-flight requests get this long
};

// Password guessing limits (signet's own keys): the password grant and the login page count
// failed attempts per username and per client IP in a sliding window (store/
// failure_rate_limiter.hpp); past the limit they answer 429 with Retry-After.
struct Login {
  std::uint32_t max_failures_per_username = 10;
  std::uint32_t max_failures_per_ip = 100;
  Seconds failure_window{900};
  // How long a single-sign-on login session lasts, absolute, counted from the login (it is
  // not extended by use): the authorization endpoint asks for the password again after it.
  Seconds session_ttl{12 * 3600};
};

struct Client {
  std::string client_id;
  std::string client_secret;       // development only
  std::string client_secret_hash;  // argon2id encoding from `signet hash-secret`
  TokenEndpointAuthMethod token_endpoint_auth_method = TokenEndpointAuthMethod::kClientSecretBasic;
  std::vector<GrantType> grant_types{GrantType::kClientCredentials};
  std::vector<std::string> redirect_uris;
  std::vector<std::string> post_logout_redirect_uris;
  std::vector<std::string> scope;  // split on spaces
  std::vector<std::string> audience;
  std::optional<keys::Algorithm> access_token_signed_response_alg;
  std::optional<keys::Algorithm> id_token_signed_response_alg;
};

struct User {
  std::string username;
  std::string password;            // development only
  std::string password_hash;       // argon2id encoding
  std::string claims_json = "{}";  // a JSON object, serialised (keeps nlohmann out of this header)
};

struct Config {
  std::string issuer = "http://127.0.0.1:8080";
  std::string listen = "127.0.0.1:8080";
  unsigned threads = 0;  // 0 = one per core
  std::optional<Tls> tls;
  Tokens tokens;
  Keys keys;
  Redis redis;
  Server server;
  Login login;
  std::vector<Client> clients;
  std::vector<User> users;
  std::string log_level = "info";
  LogFormat log_format = LogFormat::kText;
};

}  // namespace signet::config

#pragma once
// Mints JWT access tokens in the RFC 9068 profile.
//
// Header: {"alg":<the key's>,"kid":<the key's>,"typ":"at+jwt"} (RFC 9068 §2.1).
// Claims (RFC 9068 §2.2): iss, sub, aud (a string when there is one audience, else an
// array), exp, iat, jti (128 random bits, base64url), client_id, and scope (space-separated,
// §2.2.3) when any scope was granted.
// The algorithm is the client's access_token_signed_response_alg, else tokens.signing_alg;
// the key is the key ring's active key for that algorithm.
//
// Usage:
//   oauth::AccessTokenIssuer issuer(config, oauth::KeyRingSigners(ring), oauth::SystemClock());
//   auto issued = issuer.Issue({.subject = client.client_id, .client = &client,
//                               .audience = audience, .scope = scope});

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "keys/key_ring.hpp"
#include "keys/signer.hpp"
#include "oauth/clock.hpp"
#include "oauth/error.hpp"
#include "oauth/internal/jws_signer_cache.hpp"
#include "oauth/token_response.hpp"

namespace signet::oauth {

// The signer of the active key for an algorithm, or nullptr when there is none. The
// pointer keeps whatever owns the signer alive (a key ring snapshot) for the request, so a
// concurrent rotation cannot free it. Must be thread-safe.
using ActiveSignerFn = std::function<std::shared_ptr<const keys::Signer>(keys::Algorithm)>;

// The production ActiveSignerFn: the active signer of the ring's current snapshot
// (keys::KeySetSnapshot::ActiveSigner). `ring` must outlive the returned function.
ActiveSignerFn KeyRingSigners(const keys::KeyRing& ring);

// The audience every access token with the `openid` scope carries besides the client's
// (as Auth0 does): the userinfo endpoint's URL. /oauth2/userinfo accepts only tokens naming
// it (issue 6 point 5: a token for another audience gets 401), and an OIDC client that
// registers no API audience still gets a valid RFC 9068 token (aud is required).
std::string UserinfoAudience(std::string_view issuer);

struct AccessTokenClaims {
  std::string_view subject;                // `sub`: the client_id for client_credentials
  const config::Client* client = nullptr;  // `client_id`, and the signing algorithm choice
  // `aud`; UserinfoAudience is added when `scope` has openid; the result must not be empty
  // (RFC 9068 §2.2).
  std::span<const std::string> audience;
  std::span<const std::string> scope;      // granted scope tokens; empty: no `scope` claim
};

struct IssuedAccessToken {
  std::string token;  // JWS compact serialisation
  std::string jti;    // for logs and revocation; not secret
  std::string kid;
  keys::Algorithm alg = keys::Algorithm::kRs256;
  std::chrono::seconds expires_in{0};
};

class AccessTokenIssuer {
 public:
  AccessTokenIssuer(const config::Config& config, ActiveSignerFn active_signer, Clock clock);

  // server_error when no key is active for the algorithm, the CSPRNG fails or signing
  // fails (the reason is in Error::debug). Thread-safe.
  [[nodiscard]] Expected<IssuedAccessToken> Issue(const AccessTokenClaims& claims) const;

  // access_token_signed_response_alg, else tokens.signing_alg.
  keys::Algorithm AlgorithmFor(const config::Client& client) const noexcept;

  std::chrono::seconds ttl() const noexcept { return ttl_; }

 private:
  std::string issuer_;
  std::string userinfo_audience_;  // UserinfoAudience(issuer_)
  std::chrono::seconds ttl_;
  keys::Algorithm default_alg_;
  ActiveSignerFn active_signer_;
  Clock clock_;
  // Header encoded once per active key (internal/jws_signer_cache.hpp); a pointer keeps the
  // issuer movable.
  std::unique_ptr<internal::JwsSignerCache> jws_signers_;
};

// The token endpoint's answer carrying `issued` and the granted scope; the grant adds a
// refresh token or an ID token when it has one.
TokenResponse ResponseFor(IssuedAccessToken issued, std::span<const std::string> scope);

// 16 bytes from RAND_bytes, base64url (22 characters); nullopt if the CSPRNG fails.
[[nodiscard]] std::optional<std::string> NewTokenId();

// The claims JSON text (exposed for tests and the micro-benchmark).
std::string AccessTokenPayload(std::string_view issuer, const AccessTokenClaims& claims,
                               std::int64_t iat, std::int64_t exp, std::string_view jti);

}  // namespace signet::oauth

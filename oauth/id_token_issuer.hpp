#pragma once
// Mints OpenID Connect ID tokens (OIDC Core §2, §3.1.3.6), for the authorization code grant
// (and a refresh of a grant that had scope openid, §12.2).
//
// Header: {"alg":<the key's>,"kid":<the key's>,"typ":"JWT"}; "JWT" rather than the access
// token's "at+jwt" (RFC 9068 §2.1), so neither can be taken for the other.
// Claims, in this order: iss, sub (the username), aud (the client_id, a string: one audience,
// so no azp, §2), exp (iat + tokens.id_token_ttl), iat, auth_time (when the user logged in),
// nonce (when the authentication request had one, §3.1.2.1), at_hash (when an access token is
// issued with it, §3.1.3.6; oauth/token_hash.hpp), sid (when there is a session, OIDC
// Front-Channel Logout §3 / RP-Initiated Logout), then the user's claims released by the
// granted scope (OIDC Core §5.4; oauth/user_claims.hpp).
// The algorithm is the client's id_token_signed_response_alg, else tokens.signing_alg; the key
// is the key ring's active key for it, and the header is encoded once per key
// (internal/jws_signer_cache.hpp).
//
// Usage:
//   oauth::IdTokenIssuer ids(config, oauth::KeyRingSigners(ring), users, oauth::SystemClock());
//   auto id_token = ids.Issue({.subject = "alice", .client = &client, .auth_time = login_time,
//                              .nonce = nonce, .access_token = access.token, .sid = sid,
//                              .scope = granted});

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "keys/algorithm.hpp"
#include "oauth/access_token_issuer.hpp"
#include "oauth/clock.hpp"
#include "oauth/error.hpp"
#include "oauth/internal/jws_signer_cache.hpp"
#include "oauth/user_claims.hpp"

namespace signet::oauth {

struct IdTokenClaims {
  std::string_view subject{};                         // `sub`: a configured username
  const config::Client* client = nullptr;             // `aud`, and the signing algorithm choice
  std::chrono::system_clock::time_point auth_time{};  // when the user authenticated
  std::string_view nonce{};                           // empty: no `nonce` claim
  std::string_view access_token{};                    // empty: no `at_hash` claim
  std::string_view sid{};                             // empty: no `sid` claim
  std::span<const std::string> scope{};               // granted scope: selects the released claims
};

struct IssuedIdToken {
  std::string token;  // JWS compact serialisation
  std::string kid;
  keys::Algorithm alg = keys::Algorithm::kRs256;
};

class IdTokenIssuer {
 public:
  // `users` must outlive the issuer.
  IdTokenIssuer(const config::Config& config, ActiveSignerFn active_signer,
                const UserClaimsRegistry& users, Clock clock);

  // server_error when the client is missing, the subject is not a configured user, no key is
  // active for the algorithm, or hashing or signing fails (the reason is in Error::debug).
  // Thread-safe.
  [[nodiscard]] Expected<IssuedIdToken> Issue(const IdTokenClaims& claims) const;

  // id_token_signed_response_alg, else tokens.signing_alg.
  keys::Algorithm AlgorithmFor(const config::Client& client) const noexcept;

  std::chrono::seconds ttl() const noexcept { return ttl_; }

 private:
  std::string issuer_;
  std::chrono::seconds ttl_;
  keys::Algorithm default_alg_;
  ActiveSignerFn active_signer_;
  const UserClaimsRegistry* users_;
  Clock clock_;
  std::unique_ptr<internal::JwsSignerCache> jws_signers_;  // typ "JWT"
};

// The claims JSON text without the released user claims and the closing brace, for tests:
// Issue() appends those. `at_hash` is empty when there is none.
std::string IdTokenPayloadPrefix(std::string_view issuer, const IdTokenClaims& claims,
                                 std::int64_t iat, std::int64_t exp, std::string_view at_hash);

}  // namespace signet::oauth

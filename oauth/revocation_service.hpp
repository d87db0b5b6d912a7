#pragma once
// Token revocation (RFC 7009), without HTTP: POST /oauth2/revoke's logic.
//
//   1. the request and the client (internal/token_operation_request.hpp): invalid_request,
//      invalid_client (401);
//   2. token_type_hint: "access_token" and "refresh_token" are accepted, and any other value is
//      ignored rather than answered with unsupported_token_type: RFC 7009 §2.1 lets the server
//      ignore the hint and requires it to search every token type it supports anyway, and the
//      only type signet issues (JWT access tokens) can always be revoked, so §2.2.1's
//      unsupported_token_type never applies. The hint is never trusted: the token is looked at
//      for what it is;
//   3. a JWT access token of this issuer (AccessTokenVerifier: signature against the key ring,
//      typ, iss, exp with leeway) issued to the authenticated client (RFC 7009 §2.1: "the
//      authorization server ... verifies whether the token was issued to the client making the
//      revocation request"; its client_id claim must match) has its jti stored until
//      exp + leeway, after which every verifier rejects it anyway (store::RevocationStore);
//   4. everything else answers 200 and revokes nothing (RFC 7009 §2.2: "invalid tokens do not
//      cause an error response ... the purpose of the revocation request, invalidating the
//      particular token, is already achieved"): an unknown, malformed or foreign-issuer token,
//      an already expired one (nothing left to revoke), one issued to another client (no
//      error either, so that a client cannot probe for other clients' tokens);
//   3b. a refresh token (recognised by its shape: 43 base64url characters, no dots) that is
//      current and was issued to the authenticated client: its whole family is revoked
//      (every refresh token of that login; RFC 7009 §2.1 lets revoking a refresh token
//      reach what derives from the same grant). Access tokens already minted from it live
//      until they expire (they are not tracked per family);
//   5. the store failing (Redis unreachable, timeout) is temporarily_unavailable (503): the
//      revocation did not happen and the client must retry (RFC 7009 §2.2.1 allows 503).
// Revoking twice is harmless (the store is idempotent).
//
// Usage (server/revoke_endpoint.cpp):
//   auto service = oauth::RevocationService::Create(config, {.authenticator = &auth,
//       .verification_keys = oauth::KeyRingSnapshots(ring), .store = &revocations});
//   oauth::RevocationOutcome outcome = co_await (*service)->HandleForm(body, authz, peer_ip);
//   if (outcome.response) send 200 else send the error

#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "config/config.hpp"
#include "oauth/access_token_verifier.hpp"
#include "oauth/client_authenticator.hpp"
#include "oauth/clock.hpp"
#include "oauth/error.hpp"
#include "store/refresh_token_store.hpp"
#include "store/revocation_store.hpp"

namespace signet::oauth {

struct RevocationServiceDeps {
  const ClientAuthenticator* authenticator = nullptr;  // must outlive the service
  VerificationKeysFn verification_keys;
  store::RevocationStore* store = nullptr;  // must outlive the service
  Clock clock = SystemClock();
  // Refresh tokens can be revoked too when set (must outlive the service).
  store::RefreshTokenStore* refresh_tokens = nullptr;
};

struct RevocationOutcome {
  Expected<void> response;  // success: answer 200
  // For the log line only (none of them is secret): a registered client_id, the revoked
  // token's jti or refresh family, or why nothing was revoked.
  std::string client_id;
  std::string jti;
  std::string refresh_family;
  std::string nothing_revoked_reason;
};

class RevocationService {
 public:
  // server_error when a dependency is missing.
  [[nodiscard]] static Expected<std::unique_ptr<RevocationService>> Create(
      const config::Config& config, RevocationServiceDeps deps);

  // Thread-safe. `body` must stay valid until the awaitable completes.
  [[nodiscard]] boost::asio::awaitable<RevocationOutcome> HandleForm(std::string_view body,
                                                                     std::string authorization,
                                                                     std::string client_ip) const;

 private:
  RevocationService(const ClientAuthenticator& authenticator, AccessTokenVerifier verifier,
                    store::RevocationStore& store, store::RefreshTokenStore* refresh_tokens,
                    Clock clock)
      : authenticator_(authenticator),
        verifier_(std::move(verifier)),
        store_(store),
        refresh_tokens_(refresh_tokens),
        clock_(std::move(clock)) {}

  boost::asio::awaitable<RevocationOutcome> RevokeRefreshToken(RevocationOutcome outcome,
                                                               std::string_view token,
                                                               const config::Client& client) const;

  const ClientAuthenticator& authenticator_;
  AccessTokenVerifier verifier_;
  store::RevocationStore& store_;
  store::RefreshTokenStore* refresh_tokens_;
  Clock clock_;
};

}  // namespace signet::oauth

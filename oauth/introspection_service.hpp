#pragma once
// Token introspection (RFC 7662), without HTTP: POST /oauth2/introspect's logic.
//
//   1. the request and the client (internal/token_operation_request.hpp): invalid_request,
//      invalid_client (401). RFC 7662 §2.1 requires the endpoint to be protected: a public
//      client (token_endpoint_auth_method none) proves nothing and is refused as
//      invalid_client. Any authenticated confidential client may introspect any token of this
//      issuer (it is typically a resource server checking tokens meant for it);
//   2. token_type_hint is accepted and ignored (RFC 7662 §2.1 lets the server ignore it): a
//      refresh token is recognised by its shape (43 base64url characters, no dots). It is
//      active only for the client it was issued to (refresh tokens are that client's
//      business, not a resource server's), while current, unexpired and not cut off by
//      `revoke --sub`: {"active":true, scope, client_id, sub, exp, iat (the login time),
//      "token_type":"refresh_token"};
//   3. the token is checked like a resource server would (AccessTokenVerifier: signature
//      against the key ring, typ at+jwt, iss, exp/nbf/iat with leeway), then against the
//      revocation store: its jti, and its subject's cut-off (store::RevocationStore::IsRevoked);
//   4. a token that passes: {"active":true, scope, client_id, sub, aud, iss, exp, iat, nbf
//      when present, jti, "token_type":"Bearer"} (RFC 7662 §2.2); any token that fails,
//      including one without jti or iat (signet writes both, so it is not one of ours):
//      {"active":false} and nothing else, so nothing is disclosed about why (§2.2);
//   5. the store cannot be asked (Redis unreachable, timeout): temporarily_unavailable (503),
//      never "active": true unchecked.
//
// Usage (server/introspect_endpoint.cpp):
//   auto service = oauth::IntrospectionService::Create(config, {.authenticator = &auth,
//       .verification_keys = oauth::KeyRingSnapshots(ring), .store = &revocations});
//   oauth::IntrospectionOutcome outcome = co_await (*service)->HandleForm(body, authz, ip);
//   if (outcome.response) send 200 with *outcome.response (JSON) else send the error

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

struct IntrospectionServiceDeps {
  const ClientAuthenticator* authenticator = nullptr;  // must outlive the service
  VerificationKeysFn verification_keys;
  store::RevocationStore* store = nullptr;  // must outlive the service
  Clock clock = SystemClock();
  // Refresh tokens are introspected too when set (must outlive the service).
  store::RefreshTokenStore* refresh_tokens = nullptr;
};

struct IntrospectionOutcome {
  Expected<std::string> response;  // the RFC 7662 §2.2 JSON document
  // For the log line only: a registered client_id, and whether the token was active.
  std::string client_id;
  bool active = false;
};

// The inactive answer, RFC 7662 §2.2.
inline constexpr std::string_view kInactiveJson = R"({"active":false})";

class IntrospectionService {
 public:
  // server_error when a dependency is missing.
  [[nodiscard]] static Expected<std::unique_ptr<IntrospectionService>> Create(
      const config::Config& config, IntrospectionServiceDeps deps);

  // Thread-safe. `body` must stay valid until the awaitable completes.
  [[nodiscard]] boost::asio::awaitable<IntrospectionOutcome> HandleForm(
      std::string_view body, std::string authorization, std::string client_ip) const;

 private:
  IntrospectionService(const ClientAuthenticator& authenticator, AccessTokenVerifier verifier,
                       store::RevocationStore& store, Clock clock,
                       store::RefreshTokenStore* refresh_tokens)
      : authenticator_(authenticator),
        verifier_(std::move(verifier)),
        store_(store),
        clock_(std::move(clock)),
        refresh_tokens_(refresh_tokens) {}

  boost::asio::awaitable<IntrospectionOutcome> IntrospectRefreshToken(
      IntrospectionOutcome outcome, std::string_view token, const config::Client& client) const;

  const ClientAuthenticator& authenticator_;
  AccessTokenVerifier verifier_;
  store::RevocationStore& store_;
  Clock clock_;
  store::RefreshTokenStore* refresh_tokens_;
};

}  // namespace signet::oauth

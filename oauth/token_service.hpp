#pragma once
// The logic of the token endpoint (RFC 6749 §3.2), without HTTP:
//   1. RFC 6749 §3.2: a parameter other than resource/audience repeated -> invalid_request;
//   2. no grant_type -> invalid_request; a grant_type no handler knows ->
//      unsupported_grant_type;
//   3. client authentication (ClientAuthenticator) -> invalid_client / invalid_request;
//   4. the grant handler -> TokenResponse, or unauthorized_client / invalid_scope /
//      invalid_target / invalid_grant / server_error; temporarily_unavailable (503, or 429
//      past a password-guessing limit) when a store or the argon2 pool cannot answer.
// Grants: client_credentials (grant_client_credentials.hpp), password (grant_password.hpp),
// refresh_token (grant_refresh_token.hpp) and authorization_code
// (grant_authorization_code.hpp).
//
// Thread-safe and immutable after Create(), except the authenticator's digest cache (which
// locks internally). Cost per request with a cached secret: one form parse, one HMAC, one
// signature.
//
// The handlers are coroutines (Asio awaitables): an argon2 check runs wherever the injected
// AsyncSecretHashVerifier sends it (a worker pool in the server), and later grants can
// co_await an asynchronous store. With a cached secret nothing suspends.
//
// Usage (server/token_endpoint.cpp):
//   auto service = oauth::TokenService::Create(config, {
//       .active_signer = oauth::KeyRingSigners(ring),
//       .verify_hash = oauth::InlineVerifier(oauth::Argon2SecretVerifier()),
//       .clock = oauth::SystemClock()});
//   oauth::TokenOutcome outcome = co_await (*service)->HandleForm(body, authorization, peer_ip);
//   if (outcome.response) send 200, oauth::ToJson(*outcome.response)
//   else send oauth::HttpStatus(e), oauth::WwwAuthenticate(e), oauth::ToJson(e)

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "config/config.hpp"
#include "oauth/access_token_issuer.hpp"
#include "oauth/client_authenticator.hpp"
#include "oauth/client_registry.hpp"
#include "oauth/clock.hpp"
#include "oauth/error.hpp"
#include "oauth/grant_handler.hpp"
#include "oauth/id_token_issuer.hpp"
#include "oauth/password_login.hpp"
#include "oauth/refresh_token_minter.hpp"
#include "oauth/token_request.hpp"
#include "oauth/token_response.hpp"
#include "store/authorization_code_store.hpp"
#include "store/failure_rate_limiter.hpp"
#include "store/refresh_token_store.hpp"
#include "store/revocation_store.hpp"

namespace signet::oauth {

struct TokenServiceDeps {
  ActiveSignerFn active_signer;         // the key ring's active signer per algorithm
  AsyncSecretHashVerifier verify_hash;  // argon2id check of client_secret_hash and passwords
  Clock clock = SystemClock();
  // The grants that keep state (password, refresh_token) need all three, which must outlive
  // the service; without them only client_credentials is offered (tests of the stateless
  // path). The server always passes them.
  store::RevocationStore* revocations = nullptr;
  store::RefreshTokenStore* refresh_tokens = nullptr;
  store::FailureRateLimiter* login_failures = nullptr;
  // The authorization code grant also needs the code store (must outlive the service).
  store::AuthorizationCodeStore* authorization_codes = nullptr;
};

struct TokenOutcome {
  Expected<TokenResponse> response;
  // For the log line. client_id is set only when it names a registered client (an unknown
  // value might be a secret typed into the wrong field); grant_type only when supported.
  std::string client_id;
  std::string grant_type;
};

class TokenService {
 public:
  // `config` must outlive the service (clients are referenced, not copied).
  // server_error if a dependency is empty or the CSPRNG fails.
  [[nodiscard]] static Expected<std::unique_ptr<TokenService>> Create(const config::Config& config,
                                                                      TokenServiceDeps deps);

  // `request` (and `body`) must stay valid until the awaitable completes.
  [[nodiscard]] boost::asio::awaitable<TokenOutcome> Handle(const TokenRequest& request) const;
  // Parses the application/x-www-form-urlencoded body first (invalid_request if malformed).
  [[nodiscard]] boost::asio::awaitable<TokenOutcome> HandleForm(std::string_view body,
                                                                std::string authorization,
                                                                std::string client_ip) const;

  const ClientRegistry& registry() const noexcept { return registry_; }
  const AccessTokenIssuer& access_token_issuer() const noexcept { return issuer_; }
  // Shared with /oauth2/revoke and /oauth2/introspect, so a client authenticates the same
  // way everywhere and a secret verified once is cached for all three.
  const ClientAuthenticator& authenticator() const noexcept { return *authenticator_; }
  // The configured users' claims (parsed once) and the ID token issuer, shared with
  // /oauth2/authorize and /oauth2/userinfo.
  const UserClaimsRegistry& user_claims() const noexcept { return *user_claims_; }
  const IdTokenIssuer& id_token_issuer() const noexcept { return *id_tokens_; }
  // Null when the service was created without the stores.
  const PasswordLogin* password_login() const noexcept { return password_login_.get(); }

 private:
  TokenService(const config::Config& config, TokenServiceDeps& deps);

  ClientRegistry registry_;
  AccessTokenIssuer issuer_;
  std::unique_ptr<ClientAuthenticator> authenticator_;
  std::unique_ptr<UserClaimsRegistry> user_claims_;
  std::unique_ptr<IdTokenIssuer> id_tokens_;
  std::unique_ptr<PasswordLogin> password_login_;           // null without the stores
  std::unique_ptr<RefreshTokenMinter> refresh_token_minter_;  // null without the stores
  std::vector<std::unique_ptr<GrantHandler>> handlers_;
};

}  // namespace signet::oauth

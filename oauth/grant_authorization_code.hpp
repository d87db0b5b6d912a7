#pragma once
// The authorization code grant at the token endpoint (RFC 6749 §4.1.3, RFC 7636 §4.6, OIDC
// Core §3.1.3): exchanges a code from /oauth2/authorize for an access token, an ID token when
// the scope has `openid`, and a refresh token when the client is registered for refresh_token.
//
// Checks, in order: the client is registered for authorization_code (unauthorized_client);
// code present (invalid_request); the code is consumed in the store, single use (unknown,
// expired: invalid_grant; 503 when the store is down); a reused code is refused and what its
// first exchange issued is revoked (§4.1.2: the access token's jti and the refresh family);
// the code was issued to this client; redirect_uri identical to the authorization request's
// (§4.1.3; required unless the code is bound to a PKCE challenge, which already ties it to
// the client instance, OAuth 2.1 §4.1.3); the PKCE verifier (pkce.hpp); the subject still a
// configured user and not cut off by `signet revoke --sub` after the login (invalid_grant).
// A code is burnt by a failed exchange: a stolen code is worth one guess.
//
// Usage:
//   handlers.push_back(std::make_unique<oauth::GrantAuthorizationCode>(deps));

#include "config/config.hpp"
#include "oauth/access_token_issuer.hpp"
#include "oauth/clock.hpp"
#include "oauth/grant_handler.hpp"
#include "oauth/id_token_issuer.hpp"
#include "oauth/refresh_token_minter.hpp"
#include "store/authorization_code_store.hpp"
#include "store/revocation_store.hpp"

namespace signet::oauth {

struct AuthorizationCodeGrantDeps {
  const config::Config* config = nullptr;
  const AccessTokenIssuer* access_tokens = nullptr;
  const IdTokenIssuer* id_tokens = nullptr;
  const RefreshTokenMinter* refresh_tokens = nullptr;
  store::AuthorizationCodeStore* codes = nullptr;
  store::RevocationStore* revocations = nullptr;
  Clock clock = SystemClock();
};

class GrantAuthorizationCode final : public GrantHandler {
 public:
  // Everything pointed to must outlive the handler; none may be null.
  explicit GrantAuthorizationCode(AuthorizationCodeGrantDeps deps) : deps_(std::move(deps)) {}

  bool CanHandle(std::string_view grant_type) const noexcept override;
  [[nodiscard]] boost::asio::awaitable<Expected<TokenResponse>> Handle(
      const GrantContext& context) const override;

 private:
  // Revokes what an earlier exchange of the code issued (RFC 6749 §4.1.2); invalid_grant.
  boost::asio::awaitable<Error> RefuseReuse(const std::optional<store::IssuedFromCode>& issued,
                                            std::string debug) const;

  AuthorizationCodeGrantDeps deps_;
};

}  // namespace signet::oauth

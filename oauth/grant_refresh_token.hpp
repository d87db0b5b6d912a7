#pragma once
// The refresh token grant (RFC 6749 §6) with rotation (OAuth 2.0 Security BCP §4.14.2):
// every use returns a new refresh token of the same family and retires the one presented;
// presenting a retired one again revokes the family, since one of the two parties that
// held it is not the client.
//
// Checks, in order: the client is registered for refresh_token (unauthorized_client);
// refresh_token present (invalid_request); the token rotates in the store (invalid_grant when
// unknown, expired, revoked or reused; 503 when the store is down); it was issued to this
// client (RFC 6749 §6: otherwise invalid_grant, and the family is revoked: another client
// holding it means it leaked); its subject is still a configured user and was not cut off
// by `signet revoke --sub` after the family began (invalid_grant, family revoked); scope
// within the granted scope (§6: may narrow, never widen; invalid_scope) and resource/audience
// within the granted audience (invalid_target). The new refresh token keeps the family's
// full scope (§6: "identical to that of the refresh token included by the client").
//
// When the (possibly narrowed) scope contains `openid`, the response also carries a new ID
// token (OIDC Core §12.1-12.2): the same iss, sub and aud, new iat/exp, `auth_time` of the
// family's original login (the store keeps it), an at_hash of the new access token, the
// user's claims released by that scope, no nonce (§12.2: SHOULD NOT), and the `sid` of the
// login session the family began in (authorization code families; none for the password
// grant), so a refreshed ID token still works as a logout hint for that session.
//
// Usage:
//   handlers.push_back(std::make_unique<oauth::GrantRefreshToken>(
//       config, access_tokens, id_tokens, minter, revocations, clock));

#include "config/config.hpp"
#include "oauth/access_token_issuer.hpp"
#include "oauth/clock.hpp"
#include "oauth/grant_handler.hpp"
#include "oauth/id_token_issuer.hpp"
#include "oauth/refresh_token_minter.hpp"
#include "store/revocation_store.hpp"

namespace signet::oauth {

class GrantRefreshToken final : public GrantHandler {
 public:
  // Everything referenced must outlive the handler.
  GrantRefreshToken(const config::Config& config, const AccessTokenIssuer& issuer,
                    const IdTokenIssuer& id_tokens, const RefreshTokenMinter& refresh_tokens,
                    store::RevocationStore& revocations, Clock clock)
      : config_(config),
        issuer_(issuer),
        id_tokens_(id_tokens),
        refresh_tokens_(refresh_tokens),
        revocations_(revocations),
        clock_(std::move(clock)) {}

  bool CanHandle(std::string_view grant_type) const noexcept override;
  [[nodiscard]] boost::asio::awaitable<Expected<TokenResponse>> Handle(
      const GrantContext& context) const override;

 private:
  // invalid_grant, after revoking the family (a store failure there is only logged: the
  // request fails either way).
  boost::asio::awaitable<Error> RevokeFamily(std::string family_id, std::string debug) const;

  const config::Config& config_;
  const AccessTokenIssuer& issuer_;
  const IdTokenIssuer& id_tokens_;
  const RefreshTokenMinter& refresh_tokens_;
  store::RevocationStore& revocations_;
  Clock clock_;
};

}  // namespace signet::oauth

#pragma once
// The resource owner password credentials grant (RFC 6749 §4.3), for clients that list
// `password` in grant_types: the login flow of first-party apps (the Django REST + JWT
// world). The OAuth 2.0 Security BCP advises against it for third parties; signet offers it
// only to clients registered for it.
//
// Checks, in order: the client is registered for password (unauthorized_client); username
// and password present (invalid_request); scope and resource/audience within the client's
// (invalid_scope / invalid_target); the password (oauth/password_login.hpp: invalid_grant,
// 429 past the guessing limit, 503 when the limiter's store is down). Then an access token
// with `sub` = the username and, when the client is registered for refresh_token, a new
// refresh token family (RFC 6749 §4.3.3).
//
// Usage:
//   handlers.push_back(std::make_unique<oauth::GrantPassword>(issuer, login, minter));

#include "oauth/access_token_issuer.hpp"
#include "oauth/grant_handler.hpp"
#include "oauth/password_login.hpp"
#include "oauth/refresh_token_minter.hpp"

namespace signet::oauth {

class GrantPassword final : public GrantHandler {
 public:
  // All three must outlive the handler.
  GrantPassword(const AccessTokenIssuer& issuer, const PasswordLogin& login,
                const RefreshTokenMinter& refresh_tokens)
      : issuer_(issuer), login_(login), refresh_tokens_(refresh_tokens) {}

  bool CanHandle(std::string_view grant_type) const noexcept override;
  [[nodiscard]] boost::asio::awaitable<Expected<TokenResponse>> Handle(
      const GrantContext& context) const override;

 private:
  const AccessTokenIssuer& issuer_;
  const PasswordLogin& login_;
  const RefreshTokenMinter& refresh_tokens_;
};

}  // namespace signet::oauth

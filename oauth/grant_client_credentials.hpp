#pragma once
// The client credentials grant (RFC 6749 §4.4): a confidential client obtains an access
// token for itself. `sub` and `client_id` are both the client_id (RFC 9068 §2.2); no
// refresh token is issued (§4.4.3: "A refresh token SHOULD NOT be included").
//
// Checks, in order: the client is confidential (§4.4: "MUST only be used by confidential
// clients") and registered for client_credentials (unauthorized_client); scope within the
// registered scope (invalid_scope, see scope.hpp); resource/audience within the registered
// audience (invalid_target, see audience.hpp).
//
// Usage:
//   handlers.push_back(std::make_unique<oauth::GrantClientCredentials>(issuer));

#include "oauth/access_token_issuer.hpp"
#include "oauth/grant_handler.hpp"

namespace signet::oauth {

class GrantClientCredentials final : public GrantHandler {
 public:
  // `issuer` must outlive the handler.
  explicit GrantClientCredentials(const AccessTokenIssuer& issuer) : issuer_(issuer) {}

  bool CanHandle(std::string_view grant_type) const noexcept override;
  [[nodiscard]] boost::asio::awaitable<Expected<TokenResponse>> Handle(
      const GrantContext& context) const override;

 private:
  Expected<TokenResponse> Issue(const GrantContext& context) const;

  const AccessTokenIssuer& issuer_;
};

}  // namespace signet::oauth

#pragma once
// One grant type of the token endpoint (RFC 6749 §4), as fosite's TokenEndpointHandler:
// the TokenService authenticates the client, picks the handler whose CanHandle() accepts
// the grant_type and calls Handle() with the authenticated client.
//
// Handlers are immutable after construction and called from every I/O thread at once.
//
// Usage:
//   class GrantPassword final : public oauth::GrantHandler { ... };
//   service_handlers.push_back(std::make_unique<GrantPassword>(...));

#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "oauth/client_authenticator.hpp"
#include "oauth/error.hpp"
#include "oauth/token_request.hpp"
#include "oauth/token_response.hpp"

namespace signet::oauth {

struct GrantContext {
  const TokenRequest& request;
  const AuthenticatedClient& client;  // already authenticated (RFC 6749 §3.2.1)
};

class GrantHandler {
 public:
  virtual ~GrantHandler() = default;

  // True for the grant_type value(s) this handler implements, e.g. "client_credentials".
  virtual bool CanHandle(std::string_view grant_type) const noexcept = 0;

  // The token response, or the RFC 6749 §5.2 error. Thread-safe. A coroutine so that grants
  // can wait for the store or an argon2 check; `context` must stay valid until it completes.
  [[nodiscard]] virtual boost::asio::awaitable<Expected<TokenResponse>> Handle(
      const GrantContext& context) const = 0;
};

}  // namespace signet::oauth

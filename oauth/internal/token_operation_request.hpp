#pragma once
// The common first half of the revocation (RFC 7009 §2.1) and introspection (RFC 7662 §2.1)
// endpoints: an application/x-www-form-urlencoded body with `token` and an optional
// `token_type_hint`, sent by an authenticated client.
//
// Steps, in order:
//   1. the form is parsed; a malformed one, or any parameter repeated, is invalid_request
//      (RFC 6749 §3.2, which both RFCs build on);
//   2. the client authenticates exactly as at the token endpoint (ClientAuthenticator: its
//      registered method, constant-time secrets, argon2 on the injected verifier); RFC 7009
//      §2.1: "The authorization server first validates the client credentials". A failure is
//      invalid_client answered with 401 and a Basic challenge even when no Authorization
//      header was sent: both endpoints exist only for authenticated clients, so the 401 tells
//      a client without credentials how to present them (RFC 7235 §3.1, RFC 7662 §2.3);
//   3. `token` is required (invalid_request when absent or empty).
// token_type_hint is returned as sent; the services decide what it means.
//
// Usage:
//   auto operation = co_await internal::ReadTokenOperation(authenticator, body, authz, ip);
//   if (!operation->request) co_return operation->request.error();

#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "oauth/client_authenticator.hpp"
#include "oauth/error.hpp"

namespace signet::oauth::internal {

struct TokenOperation {
  AuthenticatedClient client;
  std::string token;
  std::string token_type_hint;  // empty when not sent
};

struct TokenOperationOutcome {
  Expected<TokenOperation> request;
  // For the log line: a registered client_id only (an unknown value might be a secret typed
  // into the wrong field).
  std::string client_id;
};

// `body` must stay valid until the awaitable completes.
[[nodiscard]] boost::asio::awaitable<TokenOperationOutcome> ReadTokenOperation(
    const ClientAuthenticator& authenticator, std::string_view body, std::string authorization,
    std::string client_ip);

}  // namespace signet::oauth::internal

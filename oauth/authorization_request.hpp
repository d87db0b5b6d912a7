#pragma once
// The authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1, RFC 7636 §4.3), parsed and
// validated from its parameters (the query of a GET, the form body of a POST; OIDC Core
// §3.1.2.1 allows both). No HTTP here: the server hands over the encoded text and turns the
// result into a login page, a redirect or an error page.
//
// Two kinds of failure (RFC 6749 §4.1.2.1):
//   - before the client and its redirect URI are established (client_id missing, unknown or
//     repeated; redirect_uri missing, repeated or not registered; undecodable parameters):
//     the user gets an error *page*; the browser is never sent anywhere, so an attacker cannot
//     use signet as an open redirector;
//   - after that, every error goes *back to the client* at the validated redirect URI, as query
//     parameters error, error_description, state and iss (RFC 9207 §2).
//
// Decisions (documented here because the RFCs leave them open):
//   - PKCE (RFC 7636): only S256. A code_challenge without code_challenge_method means "plain"
//     (§4.3), which is refused like an explicit "plain": invalid_request. Public clients
//     (token_endpoint_auth_method: none) must send a challenge; confidential ones may.
//   - prompt (OIDC Core §3.1.2.1): "none" alone, or any of login, consent, select_account.
//     signet has no consent screen (clients are registered by the operator, which is their
//     consent) and one account per session, so consent and select_account are honoured the
//     safe way: like login, they force an interactive login before a code is issued. An
//     unknown value is invalid_request.
//   - Parameters sent without a value are treated as omitted (RFC 6749 §3.1); a repeated
//     parameter is invalid_request (§3.1). Unknown parameters are ignored (§3.1), as are the
//     OIDC hints signet does not use (login_hint, id_token_hint, ui_locales, display, acr_values,
//     claims_locales).
//   - request / request_uri / registration are not supported (OIDC Core §3.1.2.6, §6):
//     request_not_supported, request_uri_not_supported, registration_not_supported.
//   - response_mode: absent or "query" (the default for code, OAuth 2.0 Multiple Response Types
//     §2.1); anything else is invalid_request.
//
// Usage (server/authorize_response.hpp turns errors into HTTP):
//   auto parsed = oauth::ParseAuthorizationRequest(query_or_body, registry);
//   if (!parsed) return server::AuthorizeErrorResponse(request, parsed.error(), issuer);
//   ... session or login page ...
//   if (parsed->prompt_none && no usable session)
//     return server::AuthorizeErrorResponse(
//         request, oauth::RedirectError(*parsed, AuthorizeErrorCode::kLoginRequired, ...), issuer);
//   return server::RedirectResponse(request, oauth::CodeRedirectUrl(*parsed, code, issuer));

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include "config/config.hpp"
#include "oauth/client_registry.hpp"
#include "oauth/form.hpp"

namespace signet::oauth {

// Error codes of the authorization endpoint: RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6, and two
// page-only codes (never sent to a client) naming why no redirect was possible.
enum class AuthorizeErrorCode {
  kInvalidRequest,            // §4.1.2.1: missing, invalid or repeated parameter
  kUnauthorizedClient,        // §4.1.2.1: client not registered for authorization_code
  kAccessDenied,              // §4.1.2.1: the user or server denied the request
  kUnsupportedResponseType,   // §4.1.2.1: response_type other than "code"
  kInvalidScope,              // §4.1.2.1: scope unknown, malformed or beyond the client's
  kServerError,               // §4.1.2.1: unexpected condition
  kTemporarilyUnavailable,    // §4.1.2.1: overloaded or store unreachable
  kInteractionRequired,       // OIDC §3.1.2.6: prompt=none but the user must interact
  kLoginRequired,             // OIDC §3.1.2.6: prompt=none and no (fresh enough) session
  kConsentRequired,           // OIDC §3.1.2.6 (unused: signet has no consent screen)
  kRequestNotSupported,       // OIDC §3.1.2.6: `request` (request object) sent
  kRequestUriNotSupported,    // OIDC §3.1.2.6: `request_uri` sent
  kRegistrationNotSupported,  // OIDC §3.1.2.6: `registration` sent
  kInvalidClient,             // page only: client_id missing, repeated or unknown
  kInvalidRedirectUri,        // page only: redirect_uri missing, repeated or unregistered
};

// The wire name: "invalid_request", "login_required", ... ("invalid_redirect_uri" is the
// RFC 7591 §3.2.2 name, used only on the error page).
std::string_view AuthorizeErrorName(AuthorizeErrorCode code) noexcept;

struct AuthorizeError {
  AuthorizeErrorCode code = AuthorizeErrorCode::kServerError;
  std::string description;  // shown to the user or client; never a secret
  std::string debug;        // logged only
  // The validated redirect URI when the error goes back to the client; empty for a page error.
  std::string redirect_uri;
  std::optional<std::string> state;  // echoed as received (RFC 6749 §4.1.2.1)

  bool Redirectable() const noexcept { return !redirect_uri.empty(); }
};

// Lets AuthorizeResult::value() throw (tests and programmer errors only).
[[noreturn]] void throw_exception_from_error(const AuthorizeError& error,
                                             const boost::source_location& loc);

// A validated request: everything the rest of the flow (login, session, code) needs.
struct AuthorizationRequest {
  const config::Client* client = nullptr;  // points into the registry's configuration
  std::string redirect_uri;                // the registered URI, byte for byte
  // True when the request carried redirect_uri: then the token request must carry the same
  // value (RFC 6749 §4.1.3); false when the single registered URI was used by default.
  bool redirect_uri_in_request = false;
  std::vector<std::string> scope;  // granted (the client's registered scope if absent)
  bool openid = false;             // scope contains "openid" (OIDC Core §3.1.2.1)
  std::optional<std::string> state;
  std::optional<std::string> nonce;           // carried into the ID token (OIDC Core §3.1.2.1)
  std::optional<std::string> code_challenge;  // S256 (RFC 7636 §4.3); required for public clients
  // No UI: a code from an existing session, or login_required. With force_login as well
  // (prompt=none and max_age=0) no session qualifies: login_required.
  bool prompt_none = false;
  bool force_login = false;                     // prompt=login|consent|select_account, or max_age=0
  std::optional<std::chrono::seconds> max_age;  // OIDC Core §3.1.2.1
};

using AuthorizeResult = boost::system::result<AuthorizationRequest, AuthorizeError>;

// Limits on values that are stored with the pending request and echoed or signed later.
inline constexpr std::size_t kMaxStateLength = 1024;
inline constexpr std::size_t kMaxNonceLength = 512;

// Validates decoded parameters. `registry` (and the config behind it) must outlive the result.
[[nodiscard]] AuthorizeResult ParseAuthorizationRequest(const FormParams& params,
                                                        const ClientRegistry& registry);

// The same from the encoded query string (without '?') or form body; undecodable text is a
// page error (nothing in it can be trusted to redirect to).
[[nodiscard]] AuthorizeResult ParseAuthorizationRequest(std::string_view encoded,
                                                        const ClientRegistry& registry);

// An error for a request that was already validated (prompt=none without a session,
// access_denied, server_error...), going back to its redirect URI with its state.
[[nodiscard]] AuthorizeError RedirectError(const AuthorizationRequest& request,
                                           AuthorizeErrorCode code, std::string description,
                                           std::string debug = {});

// `redirect_uri` with `params` appended to its query component, each name and value encoded as
// application/x-www-form-urlencoded (RFC 6749 §4.1.2, Appendix B). An existing query is kept
// (RFC 6749 §3.1.2: "MUST be retained"); a fragment, which a registered URI may not have
// (§3.1.2), is dropped rather than left after the new parameters.
std::string AppendQueryParameters(
    std::string_view redirect_uri,
    std::span<const std::pair<std::string_view, std::string_view>> params);

// Location for a redirectable error: error, error_description (if any), state (if any) and
// iss = `issuer` (RFC 9207 §2). Only for errors with Redirectable().
std::string ErrorRedirectUrl(const AuthorizeError& error, std::string_view issuer);

// Location for success (RFC 6749 §4.1.2): code, state (if any), iss (RFC 9207 §2).
std::string CodeRedirectUrl(const AuthorizationRequest& request, std::string_view code,
                            std::string_view issuer);

}  // namespace signet::oauth

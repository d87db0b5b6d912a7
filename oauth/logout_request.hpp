#pragma once
// The RP-Initiated Logout request (OpenID Connect RP-Initiated Logout 1.0 §2, §3), parsed and
// validated from its parameters (the query of a GET, the form body of a POST; §2 requires
// both). No HTTP and no store here: server/ ends the session and renders the pages.
//
// Parameters (§2): id_token_hint, client_id, post_logout_redirect_uri, state, logout_hint,
// ui_locales. Every failure is an error *page*: §4 "When the OP detects errors in the
// RP-Initiated Logout request, the OP MUST NOT perform post-logout redirection to an RP", so a
// LogoutError carries no redirect target at all.
//
// Decisions (documented here because the specification leaves them open):
//   - A repeated parameter is invalid (RFC 6749 §3.1, as at the other endpoints); a parameter
//     without a value is treated as omitted; unknown parameters are ignored.
//   - id_token_hint (§2) must be an ID token signet signed: the key is chosen by the header's
//     kid among the key ring's keys (next, active and retiring: every key still in the JWKS),
//     and the algorithm is that key's, never the header's (RFC 8725 §3.1; no `none`). A kid
//     the ring no longer holds is an invalid hint: the retention of retired keys bounds how
//     old a usable hint can be. Then: header typ "JWT" (what IdTokenIssuer writes; RFC 8725
//     §3.11 explicit typing, so an access token `at+jwt` or the revocation feed is refused),
//     iss equal to the configured issuer (§2: "the OP MUST validate that it was the issuer"),
//     sub present, iat not in the future beyond tokens.leeway, and exactly one client:
//       * with azp (OIDC Core §2): azp must be in aud and be a registered client;
//       * without azp: aud must be a single value (string or one-element array) naming a
//         registered client (several audiences without azp name no client unambiguously).
//     An EXPIRED hint is accepted (§2: the OP "SHOULD accept ID Tokens ... even when the exp
//     time has passed"): the hint only names a session, it grants nothing. A signature, kid,
//     typ, issuer or audience failure is an error (§4: information that fails validation
//     MUST NOT be used), with one description for every reason (the reason is in debug).
//   - client_id (§2): with a hint it must equal the hint's client ("the OP MUST verify that
//     the Client Identifier matches the one used when issuing the ID Token"); alone it must be
//     a registered client.
//   - post_logout_redirect_uri (§3) needs a client, from the hint or client_id, and must equal
//     one of that client's post_logout_redirect_uris byte for byte (§3: "MUST NOT perform
//     post-logout redirection if the post_logout_redirect_uri value supplied does not exactly
//     match"). With client_id but no hint the target is still one the operator registered for
//     that client (§3's "other means of confirming the legitimacy"); the server must then ask
//     the user to confirm the logout, as for every request with hint_verified false (§2: the
//     OP "MUST ask the End-User ... if an id_token_hint was not provided").
//   - state (§2) is carried to the redirect only; longer than kMaxStateLength
//     (oauth/authorization_request.hpp, the same cap as at /oauth2/authorize) is invalid.
//   - logout_hint and ui_locales (§2) are accepted and ignored: signet has one account per
//     session and one language.
//   - The hint's sid is returned as received; whether it names the browser's current session
//     (§2: "SHOULD treat the logout request as suspect" otherwise) is the server's decision.
//
// Usage (server/, GET query or POST form body):
//   auto parsed = oauth::ParseLogoutRequest(query_or_body, registry, config,
//                                           oauth::KeyRingSnapshots(ring), clock());
//   if (!parsed) return ErrorPage(parsed.error().description);   // log parsed.error().debug
//   if (!parsed->hint_verified) ... ask the user to confirm ...
//   ... end the session (parsed->hint_subject, parsed->hint_sid) ...
//   if (parsed->post_logout_redirect_uri) return Redirect(oauth::LogoutRedirectUrl(*parsed));
//   return LoggedOutPage();

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include "config/config.hpp"
#include "oauth/access_token_verifier.hpp"
#include "oauth/client_registry.hpp"
#include "oauth/form.hpp"

namespace signet::oauth {

// Why a logout request was refused; every one of them ends on an error page.
enum class LogoutErrorCode {
  kInvalidRequest,            // undecodable, a parameter repeated, state too long
  kInvalidIdTokenHint,        // §2: not an ID token signet issued (or its key is gone)
  kClientMismatch,            // §2: client_id differs from the hint's client
  kUnknownClient,             // client_id names no registered client
  kRedirectUriWithoutClient,  // §3: post_logout_redirect_uri with no hint and no client_id
  kUnregisteredRedirectUri,   // §3: post_logout_redirect_uri not registered for the client
};

// The name for logs: "invalid_request", "invalid_id_token_hint", ...
std::string_view LogoutErrorName(LogoutErrorCode code) noexcept;

struct LogoutError {
  LogoutErrorCode code = LogoutErrorCode::kInvalidRequest;
  std::string description;  // shown on the error page; never a secret
  std::string debug;        // logged only; never contains the token
};

// Lets LogoutResult::value() throw (tests and programmer errors only).
[[noreturn]] void throw_exception_from_error(const LogoutError& error,
                                             const boost::source_location& loc);

// A validated logout request.
struct LogoutRequest {
  // The client named by the hint or client_id; nullptr when neither was sent. Points into the
  // registry's configuration.
  const config::Client* client = nullptr;
  // A URI registered for `client`, byte for byte; nullopt: no redirect after logout.
  std::optional<std::string> post_logout_redirect_uri;
  std::optional<std::string> state;  // returned to the client with the redirect (§3)
  // From a verified id_token_hint: the user (sub) and the session (sid, when the token had one).
  std::optional<std::string> hint_subject;
  std::optional<std::string> hint_sid;
  // True when an id_token_hint was sent and verified. False: the server must ask the user to
  // confirm before logging out (§2).
  bool hint_verified = false;
};

using LogoutResult = boost::system::result<LogoutRequest, LogoutError>;

// Validates decoded parameters. `registry` (and the config behind it) must outlive the
// result. `keys` is called at most once; `now` is the current time (iat check only).
[[nodiscard]] LogoutResult ParseLogoutRequest(const FormParams& params,
                                              const ClientRegistry& registry,
                                              const config::Config& config,
                                              const VerificationKeysFn& keys,
                                              std::chrono::system_clock::time_point now);

// The same from the encoded query string (without '?') or form body.
[[nodiscard]] LogoutResult ParseLogoutRequest(std::string_view encoded,
                                              const ClientRegistry& registry,
                                              const config::Config& config,
                                              const VerificationKeysFn& keys,
                                              std::chrono::system_clock::time_point now);

// Location after logout (§3): post_logout_redirect_uri with state appended (when there is
// one), encoded as application/x-www-form-urlencoded. Only for a request with a
// post_logout_redirect_uri (an empty string otherwise).
std::string LogoutRedirectUrl(const LogoutRequest& request);

}  // namespace signet::oauth

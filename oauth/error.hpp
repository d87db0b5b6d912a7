#pragma once
// OAuth 2.0 protocol errors (RFC 6749 §5.2, RFC 6750 §3.1, RFC 8707 §2) as values.
//
// Grant handlers and the client authenticator return an Error; only the server turns it into
// HTTP, through HttpStatus(), WwwAuthenticate() and ToJson() below, so the mapping lives in
// one place (fosite's RFC6749Error + access_error.go).
//
// `description` is shown to the client and must never contain a secret; `debug` is for the
// server's log only and is never serialised (fosite DebugField + Sanitize).
//
// Usage:
//   return oauth::MakeError(ErrorCode::kInvalidScope, "scope not allowed for this client");
//   ...
//   response.status = oauth::HttpStatus(error);
//   response.body = oauth::ToJson(error);

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

namespace signet::oauth {

enum class ErrorCode {
  kInvalidRequest,          // RFC 6749 §5.2: missing/repeated/malformed parameter
  kInvalidClient,           // RFC 6749 §5.2: client authentication failed
  kInvalidGrant,            // RFC 6749 §5.2: grant or refresh token invalid, expired, revoked
  kUnauthorizedClient,      // RFC 6749 §5.2: client may not use this grant type
  kUnsupportedGrantType,    // RFC 6749 §5.2: grant type unknown to this server
  kInvalidScope,            // RFC 6749 §5.2: scope unknown, malformed or beyond the client's
  kInvalidTarget,           // RFC 8707 §2: resource/audience not acceptable
  kServerError,             // RFC 6749 §4.1.2.1: unexpected condition (e.g. no signing key)
  kTemporarilyUnavailable,  // RFC 6749 §4.1.2.1: overloaded or store unreachable
  kInvalidToken,            // RFC 6750 §3.1: bearer token expired, revoked or malformed
};

struct Error {
  ErrorCode code = ErrorCode::kServerError;
  std::string description;  // client-visible (error_description); never a secret
  std::string debug;        // logged only, never serialised
  // RFC 6749 §5.2: a client that authenticated with the Authorization header gets
  // 401 + WWW-Authenticate for invalid_client.
  bool client_used_basic_auth = false;
  // Past a password-guessing limit (oauth/password_login.hpp): the status becomes 429 Too
  // Many Requests (RFC 6585 §4) instead of 503 and Retry-After says when to come back
  // (seconds, >= 1). Only with kTemporarilyUnavailable.
  std::chrono::seconds retry_after{0};
  bool too_many_attempts = false;
  // RFC 6750 §3.1: a request to a bearer-protected resource (userinfo) that carried no token
  // at all gets 401 with a bare `Bearer realm="signet"` challenge and no error information.
  // Only with kInvalidToken (see MissingBearerToken).
  bool bearer_token_missing = false;
};

template <class T>
using Expected = boost::system::result<T, Error>;

[[nodiscard]] inline Error MakeError(ErrorCode code, std::string description,
                                     std::string debug = {}) {
  return Error{code, std::move(description), std::move(debug), false, {}, false, false};
}

// invalid_token for a request without any bearer token (RFC 6750 §3.1): 401, challenge
// `Bearer realm="signet"` without an error code, and a body without one ({}).
[[nodiscard]] Error MissingBearerToken();

// temporarily_unavailable with 429 and Retry-After: `retry_after` (at least 1 s).
[[nodiscard]] Error TooManyAttempts(std::chrono::seconds retry_after, std::string debug = {});

// The registered error string: "invalid_request", "invalid_client", ...
std::string_view ErrorName(ErrorCode code) noexcept;

// 400 for the RFC 6749 §5.2 codes; 401 for invalid_client when the client used the
// Authorization header (§5.2) and for invalid_token (RFC 6750 §3.1); 500 server_error;
// 503 temporarily_unavailable (429 when too_many_attempts).
int HttpStatus(const Error& error) noexcept;

// The WWW-Authenticate challenge that must accompany a 401 (RFC 7235 §3.1), or nullopt:
// `Basic realm="signet"` for invalid_client via Basic (RFC 6749 §5.2, RFC 7617 §2),
// `Bearer error="invalid_token", error_description="..."` for invalid_token (RFC 6750 §3),
// `Bearer realm="signet"` when the request had no token (§3.1, MissingBearerToken).
std::optional<std::string> WwwAuthenticate(const Error& error);

// {"error":"...","error_description":"..."}; the description is omitted when empty and
// restricted to the characters RFC 6749 §5.2 allows (%x20-21 / %x23-5B / %x5D-7E).
// {} for MissingBearerToken (RFC 6750 §3.1: no error information).
std::string ToJson(const Error& error);

// Lets Expected<T>::value() throw on an error (boost::system::result's customisation point).
// Only for tests and programmer errors: production code checks has_value().
[[noreturn]] void throw_exception_from_error(const Error& error, const boost::source_location& loc);

}  // namespace signet::oauth

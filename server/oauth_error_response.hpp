#pragma once
// The one place where oauth::Error becomes HTTP (house style rule 10; fosite access_error.go).
//
//   status:  oauth::HttpStatus (400; 401 for invalid_client after Basic auth, RFC 6749 §5.2;
//            500 server_error; 503 temporarily_unavailable;
//            429 for temporarily_unavailable past a password-guessing limit)
//   headers: Content-Type: application/json, Cache-Control: no-store, Pragma: no-cache
//            (RFC 6749 §5.1/§5.2), WWW-Authenticate when the status is 401 (RFC 7235 §3.1),
//            Retry-After with temporarily_unavailable (RFC 9110 §10.2.3): 1, or the
//            seconds until a guessing limit lets the next attempt through
//   body:    {"error","error_description"} only; Error::debug is never sent.

#include "oauth/error.hpp"
#include "server/http_types.hpp"

namespace signet::server {

Response OAuthErrorResponse(const Request& request, const oauth::Error& error);

// Cache-Control: no-store and Pragma: no-cache (RFC 6749 §5.1: every response carrying
// tokens or credentials; Pragma for HTTP/1.0 caches).
void SetNoStore(Response& response);

}  // namespace signet::server

#pragma once
// A successful token endpoint response (RFC 6749 §5.1), independent of HTTP. The server
// sends ToJson() with Content-Type: application/json, Cache-Control: no-store and
// Pragma: no-cache.

#include <chrono>
#include <string>

namespace signet::oauth {

struct TokenResponse {
  std::string access_token;
  std::string token_type = "Bearer";  // RFC 6750 §4
  std::chrono::seconds expires_in{0};
  // Granted scope, space-separated. RFC 6749 §5.1 requires it only when it differs from
  // the requested one; signet always sends it so clients need not compare.
  std::string scope;
  std::string refresh_token;  // omitted when empty
  std::string id_token;       // omitted when empty (OIDC Core §3.1.3.3)

  // For the server's log line only; never serialised.
  std::string jti;
  std::string kid;
};

// {"access_token":...,"token_type":"Bearer","expires_in":N,"scope":...}
std::string ToJson(const TokenResponse& response);

}  // namespace signet::oauth

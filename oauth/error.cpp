#include "oauth/error.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/throw_exception.hpp>

namespace signet::oauth {
namespace {

// RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E, which also
// keeps it free of anything JSON or a quoted-string would have to escape.
bool IsDescriptionChar(char c) noexcept { return c >= 0x20 && c <= 0x7E && c != '"' && c != '\\'; }

std::string SanitizedDescription(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) out.push_back(IsDescriptionChar(c) ? c : '?');
  return out;
}

}  // namespace

std::string_view ErrorName(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kInvalidRequest: return "invalid_request";
    case ErrorCode::kInvalidClient: return "invalid_client";
    case ErrorCode::kInvalidGrant: return "invalid_grant";
    case ErrorCode::kUnauthorizedClient: return "unauthorized_client";
    case ErrorCode::kUnsupportedGrantType: return "unsupported_grant_type";
    case ErrorCode::kInvalidScope: return "invalid_scope";
    case ErrorCode::kInvalidTarget: return "invalid_target";
    case ErrorCode::kServerError: return "server_error";
    case ErrorCode::kTemporarilyUnavailable: return "temporarily_unavailable";
    case ErrorCode::kInvalidToken: return "invalid_token";
  }
  return "server_error";
}

int HttpStatus(const Error& error) noexcept {
  switch (error.code) {
    case ErrorCode::kInvalidClient:
      // RFC 6749 §5.2: 401 is mandatory when the client tried the Authorization header,
      // optional otherwise; without a header there is no challenge to offer, so 400.
      return error.client_used_basic_auth ? 401 : 400;
    case ErrorCode::kInvalidToken: return 401;  // RFC 6750 §3.1
    case ErrorCode::kServerError: return 500;
    case ErrorCode::kTemporarilyUnavailable: return error.too_many_attempts ? 429 : 503;
    default: return 400;
  }
}

Error TooManyAttempts(std::chrono::seconds retry_after, std::string debug) {
  Error error = MakeError(ErrorCode::kTemporarilyUnavailable,
                          "too many failed attempts; retry later", std::move(debug));
  error.too_many_attempts = true;
  error.retry_after = std::max(retry_after, std::chrono::seconds(1));
  return error;
}

Error MissingBearerToken() {
  Error error = MakeError(ErrorCode::kInvalidToken, "", "no bearer token in the request");
  error.bearer_token_missing = true;
  return error;
}

std::optional<std::string> WwwAuthenticate(const Error& error) {
  if (HttpStatus(error) != 401) return std::nullopt;
  if (error.bearer_token_missing) return std::string(R"(Bearer realm="signet")");
  if (error.code == ErrorCode::kInvalidClient) {
    return std::string(R"(Basic realm="signet", charset="UTF-8")");
  }
  std::string challenge = R"(Bearer error=")";
  challenge += ErrorName(error.code);
  challenge += '"';
  if (!error.description.empty()) {
    challenge += R"(, error_description=")";
    challenge += SanitizedDescription(error.description);
    challenge += '"';
  }
  return challenge;
}

std::string ToJson(const Error& error) {
  if (error.bearer_token_missing) return "{}";
  std::string out = R"({"error":")";
  out += ErrorName(error.code);
  out += '"';
  if (!error.description.empty()) {
    out += R"(,"error_description":")";
    out += SanitizedDescription(error.description);
    out += '"';
  }
  out += '}';
  return out;
}

void throw_exception_from_error(const Error& error, const boost::source_location& loc) {
  boost::throw_exception(
      std::runtime_error(std::string(ErrorName(error.code)) + ": " + error.description), loc);
}

}  // namespace signet::oauth

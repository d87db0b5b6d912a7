// The redirect back to the client (RFC 6749 §4.1.2 and §4.1.2.1, RFC 9207 §2): URL building
// for oauth/authorization_request.hpp.
#include <stdexcept>

#include <boost/throw_exception.hpp>

#include "oauth/authorization_request.hpp"

namespace signet::oauth {
namespace {

// RFC 6749 §4.1.2.1: error_description is limited to %x20-21 / %x23-5B / %x5D-7E; anything
// else is dropped rather than sent (descriptions are ours, but may quote client input).
std::string SafeDescription(std::string_view text) {
  std::string safe;
  safe.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte <= 0x7E && c != '"' && c != '\\') safe.push_back(c);
  }
  return safe;
}

}  // namespace

std::string_view AuthorizeErrorName(AuthorizeErrorCode code) noexcept {
  switch (code) {
    case AuthorizeErrorCode::kInvalidRequest: return "invalid_request";
    case AuthorizeErrorCode::kUnauthorizedClient: return "unauthorized_client";
    case AuthorizeErrorCode::kAccessDenied: return "access_denied";
    case AuthorizeErrorCode::kUnsupportedResponseType: return "unsupported_response_type";
    case AuthorizeErrorCode::kInvalidScope: return "invalid_scope";
    case AuthorizeErrorCode::kServerError: return "server_error";
    case AuthorizeErrorCode::kTemporarilyUnavailable: return "temporarily_unavailable";
    case AuthorizeErrorCode::kInteractionRequired: return "interaction_required";
    case AuthorizeErrorCode::kLoginRequired: return "login_required";
    case AuthorizeErrorCode::kConsentRequired: return "consent_required";
    case AuthorizeErrorCode::kRequestNotSupported: return "request_not_supported";
    case AuthorizeErrorCode::kRequestUriNotSupported: return "request_uri_not_supported";
    case AuthorizeErrorCode::kRegistrationNotSupported: return "registration_not_supported";
    case AuthorizeErrorCode::kInvalidClient: return "invalid_client";
    case AuthorizeErrorCode::kInvalidRedirectUri: return "invalid_redirect_uri";
  }
  return "server_error";
}

void throw_exception_from_error(const AuthorizeError& error, const boost::source_location& loc) {
  boost::throw_exception(
      std::runtime_error(std::string(AuthorizeErrorName(error.code)) + ": " + error.description),
      loc);
}

std::string AppendQueryParameters(
    std::string_view redirect_uri,
    std::span<const std::pair<std::string_view, std::string_view>> params) {
  const std::string_view base = redirect_uri.substr(0, redirect_uri.find('#'));
  std::string url(base);
  const std::size_t question = base.find('?');
  bool need_separator = false;
  if (question == std::string_view::npos) {
    url.push_back('?');
  } else {
    // Keep the registered query (RFC 6749 §3.1.2) and continue it.
    need_separator = question + 1 < base.size() && base.back() != '&';
  }
  for (const auto& [name, value] : params) {
    if (need_separator) url.push_back('&');
    url += FormUrlEncode(name);
    url.push_back('=');
    url += FormUrlEncode(value);
    need_separator = true;
  }
  return url;
}

std::string ErrorRedirectUrl(const AuthorizeError& error, std::string_view issuer) {
  const std::string description = SafeDescription(error.description);
  std::vector<std::pair<std::string_view, std::string_view>> params;
  params.emplace_back("error", AuthorizeErrorName(error.code));
  if (!description.empty()) params.emplace_back("error_description", description);
  if (error.state) params.emplace_back("state", *error.state);
  params.emplace_back("iss", issuer);  // RFC 9207 §2: on error responses too
  return AppendQueryParameters(error.redirect_uri, params);
}

std::string CodeRedirectUrl(const AuthorizationRequest& request, std::string_view code,
                            std::string_view issuer) {
  std::vector<std::pair<std::string_view, std::string_view>> params;
  params.emplace_back("code", code);
  if (request.state) params.emplace_back("state", *request.state);
  params.emplace_back("iss", issuer);
  return AppendQueryParameters(request.redirect_uri, params);
}

}  // namespace signet::oauth

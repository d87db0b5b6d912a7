#pragma once
// A token endpoint request (RFC 6749 §3.2) with everything HTTP-specific already removed:
// the form parameters, the Authorization header value (if any) and the client address.
// The server builds it from the raw body; the oauth module never sees Beast.
//
// RFC 6749 §3.1: parameters sent without a value are treated as omitted, so they are dropped
// here and every lookup below sees only non-empty values.
//
// Usage:
//   auto request = oauth::TokenRequest::FromForm(body, authorization_header, peer_ip);
//   if (!request) return Respond(request.error());
//   auto outcome = token_service.Handle(*request);

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "oauth/error.hpp"
#include "oauth/form.hpp"

namespace signet::oauth {

class TokenRequest {
 public:
  // Parses an application/x-www-form-urlencoded body (invalid_request when malformed).
  [[nodiscard]] static Expected<TokenRequest> FromForm(std::string_view body,
                                                       std::string authorization,
                                                       std::string client_ip);
  // From already decoded parameters (tests, other transports).
  static TokenRequest FromParams(FormParams params, std::string authorization,
                                 std::string client_ip);

  // The value of a parameter that must appear at most once (first occurrence), or nullopt.
  std::optional<std::string_view> Get(std::string_view name) const;
  // Every value of a parameter that may repeat (RFC 8707 §2 `resource`), in body order.
  std::vector<std::string_view> GetAll(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }

  // The first parameter name that occurs more than once and is not in `may_repeat`
  // (RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than once").
  std::optional<std::string_view> FirstRepeated(std::span<const std::string_view> may_repeat) const;

  const FormParams& params() const noexcept { return params_; }
  // The raw Authorization header value; empty when the request had none.
  const std::string& authorization() const noexcept { return authorization_; }
  const std::string& client_ip() const noexcept { return client_ip_; }

 private:
  TokenRequest(FormParams params, std::string authorization, std::string client_ip)
      : params_(std::move(params)),
        authorization_(std::move(authorization)),
        client_ip_(std::move(client_ip)) {}

  FormParams params_;
  std::string authorization_;
  std::string client_ip_;
};

}  // namespace signet::oauth

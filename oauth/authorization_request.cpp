#include "oauth/authorization_request.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>

#include "oauth/pkce.hpp"
#include "oauth/scope.hpp"

namespace signet::oauth {
namespace {

using Code = AuthorizeErrorCode;

// The parameters signet reads; anything else is ignored (RFC 6749 §3.1).
constexpr std::array<std::string_view, 14> kKnownParameters = {
    "client_id",     "redirect_uri",   "response_type",         "scope",       "state",
    "nonce",         "code_challenge", "code_challenge_method", "prompt",      "max_age",
    "response_mode", "request",        "request_uri",           "registration"};

// The known parameters of one request, each at most once. Views into the FormParams.
class Parameters {
 public:
  explicit Parameters(const FormParams& params) {
    for (const auto& [name, value] : params) {
      const auto known = std::find(kKnownParameters.begin(), kKnownParameters.end(), name);
      // RFC 6749 §3.1: "Parameters sent without a value MUST be treated as if they were
      // omitted from the request."
      if (known == kKnownParameters.end() || value.empty()) continue;
      if (!values_.emplace(*known, value).second) repeated_.push_back(*known);
    }
  }

  std::optional<std::string_view> Get(std::string_view name) const {
    const auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }
  bool IsRepeated(std::string_view name) const {
    return std::find(repeated_.begin(), repeated_.end(), name) != repeated_.end();
  }
  // The first known parameter seen twice (a name from kKnownParameters, safe to echo).
  std::optional<std::string_view> repeated() const {
    if (repeated_.empty()) return std::nullopt;
    return repeated_.front();
  }

 private:
  std::map<std::string_view, std::string_view, std::less<>> values_;
  std::vector<std::string_view> repeated_;
};

AuthorizeError PageError(Code code, std::string description) {
  return AuthorizeError{code, std::move(description), {}, {}, std::nullopt};
}

bool IsControl(char c) noexcept {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7F;
}

// max_age (OIDC Core §3.1.2.1): a non-negative integer of seconds. Ten digits cover any
// sensible value and cannot overflow.
std::optional<std::chrono::seconds> ParseMaxAge(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return std::chrono::seconds(value);
}

struct PromptFlags {
  bool none = false;
  bool interactive = false;  // login, consent or select_account (see the header)
};

// prompt (OIDC Core §3.1.2.1): space-delimited, case-sensitive values; "none" must stand alone.
std::optional<PromptFlags> ParsePrompt(std::string_view text) {
  PromptFlags flags;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(' ', start), text.size());
    const std::string_view value = text.substr(start, end - start);
    if (value == "none") {
      flags.none = true;
    } else if (value == "login" || value == "consent" || value == "select_account") {
      flags.interactive = true;
    } else {
      return std::nullopt;  // unknown value, or an empty one (double/edge space)
    }
    start = end + 1;
  }
  if (flags.none && flags.interactive) return std::nullopt;
  return flags;
}

// A failure that goes back to the client; the description is a constant or quotes only
// input that passed a strict grammar.
struct Failure {
  Code code;
  std::string description;
};
using Check = std::optional<Failure>;

// RFC 6749 §3.1 (no repeated parameter) and the OIDC features signet refuses (§3.1.2.6, §6).
Check CheckUnsupported(const Parameters& in) {
  if (const auto name = in.repeated()) {
    return Failure{Code::kInvalidRequest, "repeated parameter: " + std::string(*name)};
  }
  if (const auto state = in.Get("state"); state && state->size() > kMaxStateLength) {
    return Failure{Code::kInvalidRequest, "state too long"};
  }
  if (in.Get("request")) {
    return Failure{Code::kRequestNotSupported, "request objects not supported"};
  }
  if (in.Get("request_uri")) {
    return Failure{Code::kRequestUriNotSupported, "request_uri not supported"};
  }
  if (in.Get("registration")) {
    return Failure{Code::kRegistrationNotSupported, "registration parameter not supported"};
  }
  return std::nullopt;
}

// RFC 6749 §4.1.1 response_type, §4.1.2.1 unauthorized_client; response_mode (see the header).
Check CheckResponseType(const Parameters& in, const config::Client& client) {
  const auto response_type = in.Get("response_type");
  if (!response_type) return Failure{Code::kInvalidRequest, "missing response_type"};
  if (*response_type != "code") {
    return Failure{Code::kUnsupportedResponseType, "only response_type=code is supported"};
  }
  const auto& grants = client.grant_types;
  if (std::find(grants.begin(), grants.end(), config::GrantType::kAuthorizationCode) ==
      grants.end()) {
    return Failure{Code::kUnauthorizedClient, "client not registered for authorization_code"};
  }
  if (const auto mode = in.Get("response_mode"); mode && *mode != "query") {
    return Failure{Code::kInvalidRequest, "only response_mode=query is supported"};
  }
  return std::nullopt;
}

// RFC 7636 §4.3: no method means "plain", which signet refuses (§4.2: S256 is mandatory to
// implement; plain gives no protection once the challenge leaks).
Check ApplyPkce(const Parameters& in, AuthorizationRequest& out) {
  const auto challenge = in.Get("code_challenge");
  const auto method = in.Get("code_challenge_method");
  if (!challenge) {
    if (method) {
      return Failure{Code::kInvalidRequest, "code_challenge_method without code_challenge"};
    }
    // Issue 6: PKCE required for public clients (RFC 9700 §2.1.1).
    if (out.client->token_endpoint_auth_method == config::TokenEndpointAuthMethod::kNone) {
      return Failure{Code::kInvalidRequest, "code_challenge required for public clients"};
    }
    return std::nullopt;
  }
  if (!method || *method != "S256") {
    return Failure{Code::kInvalidRequest, "code_challenge_method must be S256"};
  }
  if (!IsValidPkceString(*challenge)) {
    return Failure{Code::kInvalidRequest, "malformed code_challenge"};
  }
  out.code_challenge.emplace(*challenge);
  return std::nullopt;
}

// OIDC Core §3.1.2.1: prompt, max_age, nonce.
Check ApplyOidcParameters(const Parameters& in, AuthorizationRequest& out) {
  if (const auto prompt = in.Get("prompt")) {
    const auto flags = ParsePrompt(*prompt);
    if (!flags) return Failure{Code::kInvalidRequest, "invalid prompt"};
    out.prompt_none = flags->none;
    out.force_login = flags->interactive;
  }
  if (const auto max_age = in.Get("max_age")) {
    out.max_age = ParseMaxAge(*max_age);
    if (!out.max_age) {
      return Failure{Code::kInvalidRequest, "max_age must be a non-negative integer"};
    }
    if (out.max_age->count() == 0) out.force_login = true;  // §3.1.2.1: like prompt=login
  }
  if (const auto nonce = in.Get("nonce")) {
    if (nonce->size() > kMaxNonceLength || std::any_of(nonce->begin(), nonce->end(), IsControl)) {
      return Failure{Code::kInvalidRequest, "invalid nonce"};
    }
    out.nonce.emplace(*nonce);
  }
  return std::nullopt;
}

// The checks after the redirect URI is established: every failure goes back to the client,
// with the state when it was received once and within bounds.
AuthorizeResult ValidateForClient(const Parameters& in, AuthorizationRequest out) {
  std::optional<std::string> state;
  if (const auto value = in.Get("state");
      value && value->size() <= kMaxStateLength && !in.IsRepeated("state")) {
    state.emplace(*value);
  }
  Check failure = CheckUnsupported(in);
  if (!failure) failure = CheckResponseType(in, *out.client);
  if (!failure) {
    auto scope = GrantScope(in.Get("scope"), out.client->scope);
    if (scope) {
      out.scope = std::move(*scope);
      out.openid = HasScope(out.scope, "openid");
    } else {
      failure = Failure{Code::kInvalidScope, std::move(scope.error().description)};
    }
  }
  if (!failure) failure = ApplyPkce(in, out);
  if (!failure) failure = ApplyOidcParameters(in, out);
  if (failure) {
    return AuthorizeError{failure->code,
                          std::move(failure->description),
                          {},
                          std::move(out.redirect_uri),
                          std::move(state)};
  }
  out.state = std::move(state);
  return out;
}
}  // namespace

AuthorizeResult ParseAuthorizationRequest(const FormParams& params,
                                          const ClientRegistry& registry) {
  const Parameters in(params);

  // RFC 6749 §4.1.2.1: a missing or invalid client_id or redirect_uri MUST NOT redirect.
  if (in.IsRepeated("client_id")) return PageError(Code::kInvalidClient, "client_id repeated");
  const auto client_id = in.Get("client_id");
  if (!client_id) return PageError(Code::kInvalidClient, "missing client_id");
  AuthorizationRequest out;
  out.client = registry.Find(*client_id);
  if (out.client == nullptr) return PageError(Code::kInvalidClient, "unknown client");

  if (in.IsRepeated("redirect_uri")) {
    return PageError(Code::kInvalidRedirectUri, "redirect_uri repeated");
  }
  const auto& registered = out.client->redirect_uris;
  if (const auto redirect_uri = in.Get("redirect_uri")) {
    // RFC 6749 §3.1.2.3 + RFC 9700 §4.1.3: simple string comparison, no pattern matching.
    if (std::find(registered.begin(), registered.end(), *redirect_uri) == registered.end()) {
      return PageError(Code::kInvalidRedirectUri, "redirect_uri not registered for this client");
    }
    out.redirect_uri = std::string(*redirect_uri);
    out.redirect_uri_in_request = true;
  } else if (registered.size() == 1) {
    out.redirect_uri = registered.front();  // RFC 6749 §3.1.2.3: optional when only one
  } else {
    return PageError(Code::kInvalidRedirectUri, "missing redirect_uri");
  }
  return ValidateForClient(in, std::move(out));
}

AuthorizeResult ParseAuthorizationRequest(std::string_view encoded,
                                          const ClientRegistry& registry) {
  auto params = ParseForm(encoded);
  if (!params) return PageError(Code::kInvalidRequest, "malformed request parameters");
  return ParseAuthorizationRequest(*params, registry);
}

AuthorizeError RedirectError(const AuthorizationRequest& request, AuthorizeErrorCode code,
                             std::string description, std::string debug) {
  return AuthorizeError{code, std::move(description), std::move(debug), request.redirect_uri,
                        request.state};
}

}  // namespace signet::oauth

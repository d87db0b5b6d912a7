#include "oauth/logout_request.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include <boost/throw_exception.hpp>
#include <nlohmann/json.hpp>

#include "keys/base64url.hpp"
#include "keys/key_ring.hpp"
#include "oauth/authorization_request.hpp"
#include "oauth/internal/peek_kid.hpp"
#include "token/jws.hpp"
#include "token/jwt.hpp"

namespace signet::oauth {
namespace {

using Code = LogoutErrorCode;

// One description for every hint failure, so the page tells nothing about the reason.
constexpr std::string_view kInvalidHint = "id_token_hint is not valid";

// The parameters of RP-Initiated Logout 1.0 §2; anything else is ignored.
constexpr std::array<std::string_view, 6> kKnownParameters = {
    "id_token_hint", "client_id", "post_logout_redirect_uri", "state", "logout_hint", "ui_locales"};

// The known parameters of one request, each at most once. Views into the FormParams.
class Parameters {
 public:
  explicit Parameters(const FormParams& params) {
    for (const auto& [name, value] : params) {
      const auto known = std::find(kKnownParameters.begin(), kKnownParameters.end(), name);
      // An empty value is an omitted parameter (RFC 6749 §3.1, applied here as elsewhere).
      if (known == kKnownParameters.end() || value.empty()) continue;
      if (!values_.emplace(*known, value).second && !repeated_) repeated_ = *known;
    }
  }

  std::optional<std::string_view> Get(std::string_view name) const {
    const auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }
  // The first known parameter seen twice (a name from kKnownParameters, safe to show).
  std::optional<std::string_view> repeated() const { return repeated_; }

 private:
  std::map<std::string_view, std::string_view, std::less<>> values_;
  std::optional<std::string_view> repeated_;
};

LogoutError Fail(Code code, std::string description, std::string debug = {}) {
  return LogoutError{code, std::move(description), std::move(debug)};
}

LogoutError InvalidHint(std::string debug) {
  return Fail(Code::kInvalidIdTokenHint, std::string(kInvalidHint),
              "id_token_hint: " + std::move(debug));
}

// What a verified hint establishes.
struct VerifiedHint {
  const config::Client* client = nullptr;
  std::string subject;
  std::optional<std::string> sid;
};
using HintResult = boost::system::result<VerifiedHint, LogoutError>;

// typ "JWT" as IdTokenIssuer writes it, compared as a media type (RFC 7515 §4.1.9:
// case-insensitive, "application/" may be omitted). Absent or anything else is not an ID token.
bool TypIsJwt(const nlohmann::json& header) {
  const auto typ = header.find("typ");
  if (typ == header.end() || !typ->is_string()) return false;
  std::string value = typ->get<std::string>();
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return value == "jwt" || value == "application/jwt";
}

// The one client of the hint (see the header: azp, else a single aud).
HintResult ClientOf(const nlohmann::json& claims, const ClientRegistry& registry) {
  auto audiences = token::ReadAudiences(claims);
  auto azp = token::ReadStringClaim(claims, "azp");
  if (!audiences || !azp) return InvalidHint("aud or azp has the wrong type");
  std::string_view client_id;
  if (*azp) {
    // OIDC Core §2: azp is the party the ID token was issued to; it must be an audience.
    if (std::find(audiences->begin(), audiences->end(), **azp) == audiences->end()) {
      return InvalidHint("azp is not among the audiences");
    }
    client_id = **azp;
  } else if (audiences->size() == 1) {
    client_id = audiences->front();
  } else {
    return InvalidHint("no single audience and no azp");
  }
  const config::Client* client = registry.Find(client_id);
  if (client == nullptr) return InvalidHint("audience is not a registered client");
  return VerifiedHint{client, {}, std::nullopt};
}

// RP-Initiated Logout 1.0 §2: the hint must be an ID token this OP issued; exp is not checked.
HintResult VerifyHint(std::string_view compact, const ClientRegistry& registry,
                      const config::Config& config, const VerificationKeysFn& keys,
                      std::chrono::system_clock::time_point now) {
  auto kid = internal::PeekKid(compact);
  if (!kid) return InvalidHint(kid.error().message());
  // The snapshot lives until the end of this call, so a rotation cannot free the verifier.
  const std::shared_ptr<const keys::KeySetSnapshot> snapshot = keys ? keys() : nullptr;
  const keys::Verifier* verifier = snapshot ? snapshot->FindVerifier(*kid) : nullptr;
  if (verifier == nullptr) return InvalidHint("no key in the ring has its kid");
  // The algorithm is the key's (RFC 8725 §3.1); VerifyCompact refuses alg none.
  auto jws = token::VerifyCompact(compact, *verifier);
  if (!jws) return InvalidHint(jws.error().message());
  if (!TypIsJwt(jws->header)) return InvalidHint("header typ is not JWT (not an ID token)");
  auto claims = token::ParseClaims(jws->payload);
  if (!claims) return InvalidHint(claims.error().message());

  auto issuer = token::ReadStringClaim(*claims, "iss");
  if (!issuer || !*issuer || **issuer != config.issuer) return InvalidHint("iss is not ours");
  auto subject = token::ReadStringClaim(*claims, "sub");
  if (!subject || !*subject || (*subject)->empty()) return InvalidHint("sub missing");
  auto sid = token::ReadStringClaim(*claims, "sid");
  if (!sid) return InvalidHint("sid is not a string");
  auto iat = token::ReadNumericDate(*claims, "iat");
  if (!iat) return InvalidHint("iat is not a number");
  const auto latest = static_cast<double>(token::ToNumericDate(now + config.tokens.leeway));
  if (*iat && **iat > latest) return InvalidHint("iat in the future");

  auto hint = ClientOf(*claims, registry);
  if (!hint) return hint;
  hint->subject = std::move(**subject);
  hint->sid = std::move(*sid);
  return hint;
}

bool IsRegistered(const config::Client& client, std::string_view uri) {
  const auto& uris = client.post_logout_redirect_uris;
  return std::find(uris.begin(), uris.end(), uri) != uris.end();
}

}  // namespace

std::string_view LogoutErrorName(LogoutErrorCode code) noexcept {
  switch (code) {
    case Code::kInvalidRequest: return "invalid_request";
    case Code::kInvalidIdTokenHint: return "invalid_id_token_hint";
    case Code::kClientMismatch: return "client_mismatch";
    case Code::kUnknownClient: return "unknown_client";
    case Code::kRedirectUriWithoutClient: return "redirect_uri_without_client";
    case Code::kUnregisteredRedirectUri: return "unregistered_redirect_uri";
  }
  return "invalid_request";
}

void throw_exception_from_error(const LogoutError& error, const boost::source_location& loc) {
  boost::throw_exception(
      std::runtime_error(std::string(LogoutErrorName(error.code)) + ": " + error.description), loc);
}

LogoutResult ParseLogoutRequest(const FormParams& params, const ClientRegistry& registry,
                                const config::Config& config, const VerificationKeysFn& keys,
                                std::chrono::system_clock::time_point now) {
  const Parameters in(params);
  if (const auto name = in.repeated()) {
    return Fail(Code::kInvalidRequest, "repeated parameter: " + std::string(*name));
  }
  LogoutRequest request;
  if (const auto state = in.Get("state")) {
    if (state->size() > kMaxStateLength) return Fail(Code::kInvalidRequest, "state is too long");
    request.state = std::string(*state);
  }

  if (const auto hint_text = in.Get("id_token_hint")) {
    auto hint = VerifyHint(*hint_text, registry, config, keys, now);
    if (!hint) return std::move(hint.error());
    request.client = hint->client;
    request.hint_subject = std::move(hint->subject);
    request.hint_sid = std::move(hint->sid);
    request.hint_verified = true;
  }

  if (const auto client_id = in.Get("client_id")) {
    if (request.client != nullptr) {
      // §2: "the OP MUST verify that the Client Identifier matches the one used when
      // issuing the ID Token".
      if (request.client->client_id != *client_id) {
        return Fail(Code::kClientMismatch, "client_id does not match the id_token_hint",
                    "hint client " + request.client->client_id);
      }
    } else {
      request.client = registry.Find(*client_id);
      if (request.client == nullptr) return Fail(Code::kUnknownClient, "unknown client_id");
    }
  }

  if (const auto uri = in.Get("post_logout_redirect_uri")) {
    // §3: never redirect to a target that no client registered.
    if (request.client == nullptr) {
      return Fail(Code::kRedirectUriWithoutClient,
                  "post_logout_redirect_uri requires id_token_hint or client_id");
    }
    if (!IsRegistered(*request.client, *uri)) {
      return Fail(Code::kUnregisteredRedirectUri,
                  "post_logout_redirect_uri is not registered for this client",
                  "client " + request.client->client_id);
    }
    request.post_logout_redirect_uri = std::string(*uri);
  }
  return request;
}

LogoutResult ParseLogoutRequest(std::string_view encoded, const ClientRegistry& registry,
                                const config::Config& config, const VerificationKeysFn& keys,
                                std::chrono::system_clock::time_point now) {
  auto params = ParseForm(encoded);
  if (!params) {
    return Fail(Code::kInvalidRequest, "the logout request could not be decoded",
                params.error().description);
  }
  return ParseLogoutRequest(*params, registry, config, keys, now);
}

std::string LogoutRedirectUrl(const LogoutRequest& request) {
  if (!request.post_logout_redirect_uri) return {};
  // Without state the registered URI is used as it is (no dangling '?').
  if (!request.state) return *request.post_logout_redirect_uri;
  std::vector<std::pair<std::string_view, std::string_view>> params;
  // §3: state "passed ... as a query parameter" to the post_logout_redirect_uri.
  params.emplace_back("state", *request.state);
  return AppendQueryParameters(*request.post_logout_redirect_uri, params);
}

}  // namespace signet::oauth

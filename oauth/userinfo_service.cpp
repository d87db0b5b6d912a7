#include "oauth/userinfo_service.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "oauth/bearer_token.hpp"
#include "oauth/internal/json_text.hpp"
#include "oauth/scope.hpp"
#include "store/revocation_store.hpp"
#include "token/jwt.hpp"

namespace signet::oauth {
namespace {

// RFC 6750 §3.1. One description for every reason, so the answer discloses none.
Error InvalidToken(std::string debug) {
  return MakeError(ErrorCode::kInvalidToken, "the access token is invalid", std::move(debug));
}

// The claims of a verified access token that userinfo relies on; signet writes all of them.
struct TokenFacts {
  std::string jti;
  std::int64_t iat = 0;
  std::string subject;
  std::string client_id;
  std::vector<std::string> scope;
};

Expected<TokenFacts> FactsOf(const token::VerifiedJwt& jwt) {
  TokenFacts facts;
  facts.jti = jwt.jwt_id().value_or("");
  facts.subject = jwt.subject().value_or("");
  facts.client_id = jwt.StringClaim("client_id").value_or("");
  const auto iat = jwt.claims().find("iat");
  if (facts.jti.empty() || facts.subject.empty() || iat == jwt.claims().end() ||
      !iat->is_number()) {
    return InvalidToken("access token without jti, sub or iat");
  }
  facts.iat = static_cast<std::int64_t>(std::floor(iat->get<double>()));
  // RFC 9068 §2.2.3: scope is one space-delimited string.
  auto scope = ParseScope(jwt.StringClaim("scope").value_or(""));
  if (!scope || std::find(scope->begin(), scope->end(), "openid") == scope->end()) {
    return InvalidToken("access token without scope openid");
  }
  facts.scope = std::move(*scope);
  return facts;
}

bool AudienceAccepted(const token::VerifiedJwt& jwt, const std::vector<std::string>& accepted) {
  if (accepted.empty()) return true;
  auto audiences = token::ReadAudiences(jwt.claims());
  if (!audiences) return false;
  return std::any_of(audiences->begin(), audiences->end(), [&](const std::string& aud) {
    return std::find(accepted.begin(), accepted.end(), aud) != accepted.end();
  });
}

boost::asio::awaitable<UserinfoOutcome> Failed(Error error) {
  co_return UserinfoOutcome{std::move(error), {}};
}

}  // namespace

Expected<std::unique_ptr<UserinfoService>> UserinfoService::Create(const config::Config& config,
                                                                   UserinfoServiceDeps deps) {
  if (deps.store == nullptr || deps.users == nullptr || !deps.clock) {
    return MakeError(ErrorCode::kServerError, "", "UserinfoServiceDeps has a null dependency");
  }
  auto verifier =
      AccessTokenVerifier::Create(config, std::move(deps.verification_keys), deps.clock);
  if (!verifier) return verifier.error();
  std::set<std::string, std::less<>> client_credentials_clients;
  for (const config::Client& client : config.clients) {
    const auto& grants = client.grant_types;
    if (std::find(grants.begin(), grants.end(), config::GrantType::kClientCredentials) !=
        grants.end()) {
      client_credentials_clients.insert(client.client_id);
    }
  }
  return std::unique_ptr<UserinfoService>(new UserinfoService(
      std::move(*verifier), *deps.store, *deps.users, std::move(deps.clock),
      std::move(deps.accepted_audiences), std::move(client_credentials_clients)));
}

boost::asio::awaitable<UserinfoOutcome> UserinfoService::Handle(std::string_view authorization,
                                                                std::string_view form_body) const {
  // Not a coroutine: the token is copied out before this returns.
  auto token = ExtractBearerToken(authorization, form_body);
  if (!token) return Failed(std::move(token.error()));
  return HandleToken(std::move(*token));
}

boost::asio::awaitable<UserinfoOutcome> UserinfoService::HandleToken(std::string token) const {
  auto jwt = verifier_.Verify(token);
  if (!jwt) co_return UserinfoOutcome{InvalidToken(jwt.error().message()), {}};
  UserinfoOutcome outcome{InvalidToken(""), jwt->StringClaim("client_id").value_or("")};
  if (!AudienceAccepted(*jwt, accepted_audiences_)) {
    outcome.response = InvalidToken("access token for another audience");
    co_return outcome;
  }
  auto facts = FactsOf(*jwt);
  if (!facts) {
    outcome.response = std::move(facts.error());
    co_return outcome;
  }
  // A client_credentials token's sub is its client_id (RFC 9068 §2.2): no user is behind it.
  if ((facts->subject == facts->client_id &&
       client_credentials_clients_.contains(facts->client_id)) ||
      !users_.Contains(facts->subject)) {
    outcome.response = InvalidToken("access token subject is not a user");
    co_return outcome;
  }

  auto checking =
      store_.IsRevoked(facts->jti, facts->subject, store::FromUnixSeconds(facts->iat), clock_());
  auto revoked = co_await std::move(checking);
  if (!revoked) {
    outcome.response =
        MakeError(ErrorCode::kTemporarilyUnavailable, "revocation store unavailable, retry later",
                  "IsRevoked: " + revoked.error().message());
    co_return outcome;
  }
  if (*revoked) {
    outcome.response = InvalidToken("access token revoked");
    co_return outcome;
  }

  // OIDC Core §5.3.2: sub always; the released claims otherwise.
  std::string json = "{";
  internal::AppendJsonKey(json, "sub");
  internal::AppendJsonString(json, facts->subject);
  users_.AppendReleased(json, facts->subject, facts->scope);
  json.push_back('}');
  outcome.response = std::move(json);
  co_return outcome;
}

}  // namespace signet::oauth

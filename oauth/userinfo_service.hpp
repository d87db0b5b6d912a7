#pragma once
// The UserInfo endpoint (OIDC Core §5.3), without HTTP: GET|POST /oauth2/userinfo's logic.
//
//   1. the access token (oauth/bearer_token.hpp): `Authorization: Bearer`, or access_token in
//      a POSTed form; none at all: 401 with a bare `Bearer realm="signet"` challenge (RFC 6750
//      §3.1, MissingBearerToken); malformed or sent twice: invalid_request (400);
//   2. the token is checked as introspection checks it (AccessTokenVerifier: signature
//      against the key ring, typ at+jwt so an ID token is refused, iss, exp/nbf/iat with
//      leeway; jti and iat present), then, when `accepted_audiences` is set, its aud must
//      name one of them;
//   3. it must carry the scope `openid` (OIDC Core §5.3: the access token "obtained from an
//      OpenID Connect Authentication Request");
//   4. its subject must be a configured user: a client_credentials token (sub = client_id,
//      RFC 9068 §2.2) names no user. A token whose sub equals its client_id, for a client
//      allowed client_credentials, is such a token even if a user has the same name;
//   5. the revocation store: the jti and the subject's cut-off (IsRevoked). Unreachable:
//      temporarily_unavailable (503), never an answer unchecked;
//   6. answer {"sub": ..., the user's claims released by the token's scope (OIDC Core §5.4,
//      oauth/user_claims.hpp)}; sub is that of the access token (§5.3.2).
// Every failure of 2-5 is invalid_token (401 + WWW-Authenticate: Bearer error="invalid_token",
// RFC 6750 §3.1) with the same description, so the answer tells nothing about the reason
// (it is in Error::debug for the log).
//
// Usage (server/userinfo_endpoint.cpp):
//   auto service = oauth::UserinfoService::Create(config, {.verification_keys =
//       oauth::KeyRingSnapshots(ring), .store = &revocations, .users = &users});
//   oauth::UserinfoOutcome outcome = co_await (*service)->Handle(authorization, form_body);
//   if (outcome.response) send 200 application/json *outcome.response else send the error

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "config/config.hpp"
#include "oauth/access_token_verifier.hpp"
#include "oauth/clock.hpp"
#include "oauth/error.hpp"
#include "oauth/user_claims.hpp"
#include "store/revocation_store.hpp"

namespace signet::oauth {

struct UserinfoServiceDeps {
  VerificationKeysFn verification_keys;
  store::RevocationStore* store = nullptr;    // must outlive the service
  const UserClaimsRegistry* users = nullptr;  // must outlive the service
  Clock clock = SystemClock();
  // When not empty, the token's aud must contain one of these (e.g. the issuer's userinfo
  // URL); empty: any audience of a token this issuer signed.
  std::vector<std::string> accepted_audiences{};
};

struct UserinfoOutcome {
  Expected<std::string> response;  // the OIDC Core §5.3.2 JSON object
  // For the log line only: the verified token's client_id (empty when it did not verify).
  std::string client_id;
};

class UserinfoService {
 public:
  // server_error when a dependency is missing.
  [[nodiscard]] static Expected<std::unique_ptr<UserinfoService>> Create(
      const config::Config& config, UserinfoServiceDeps deps);

  // `authorization`: the Authorization header (empty when absent); `form_body`: the body of a
  // POST with Content-Type application/x-www-form-urlencoded, else empty. Both are read
  // before this returns, so they need not outlive the awaitable. Thread-safe.
  [[nodiscard]] boost::asio::awaitable<UserinfoOutcome> Handle(std::string_view authorization,
                                                               std::string_view form_body) const;

  // Steps 2-6 for a token already extracted. Thread-safe.
  [[nodiscard]] boost::asio::awaitable<UserinfoOutcome> HandleToken(std::string token) const;

 private:
  UserinfoService(AccessTokenVerifier verifier, store::RevocationStore& store,
                  const UserClaimsRegistry& users, Clock clock,
                  std::vector<std::string> accepted_audiences,
                  std::set<std::string, std::less<>> client_credentials_clients)
      : verifier_(std::move(verifier)),
        store_(store),
        users_(users),
        clock_(std::move(clock)),
        accepted_audiences_(std::move(accepted_audiences)),
        client_credentials_clients_(std::move(client_credentials_clients)) {}

  AccessTokenVerifier verifier_;
  store::RevocationStore& store_;
  const UserClaimsRegistry& users_;
  Clock clock_;
  std::vector<std::string> accepted_audiences_;
  // client_ids whose tokens may have been minted by client_credentials (sub = client_id).
  std::set<std::string, std::less<>> client_credentials_clients_;
};

}  // namespace signet::oauth

#pragma once
// The revocation feed for offline verifiers (issue 5 item 8), without HTTP: the signed JWT
// that GET /oauth2/revocations serves (claims: oauth/revocation_list.hpp).
//
// Signing: the key ring's active key for tokens.signing_alg (never a retired key: a retiring
// key is still in the JWKS but no longer active), header {"alg","kid","typ":
// "revocation-list+jwt"}, so a resource server verifies it with the JWKS it already has.
//
// Timing (every replica agrees, so that equal inputs give equal ETags):
//   - iat is the current time rounded down to a multiple of kRebuildEvery (5 s), the list is
//     taken (and pruned) at that instant, and exp = iat + kLifetime (300 s);
//   - kMaxAge (10 s) is the HTTP Cache-Control max-age. A verifier therefore sees a
//     revocation within about max-age + kRebuildEvery (15 s) of it being made; a verifier
//     whose feed is older than kLifetime (5 min, e.g. signet unreachable) must stop trusting
//     it, which is what exp is for;
//   - the signed JWT is cached per (revision, active kid, iat): a request costs one
//     Revision() round trip to the store and no signature until the revision or the active
//     key changes, or kRebuildEvery has passed. Requests arriving together after such a change
//     may each rebuild once; they all produce the same claims.
// The tag (RevocationFeedDocument::tag) is derived from (revision, kid, iat), the same on
// every replica; with RS256 and EdDSA (deterministic signatures) the JWT bytes are equal too,
// with ES256/ES384/PS256 only the claims are.
//
// Failure is never an empty list: a store that cannot be asked (Redis down, timeout) is
// temporarily_unavailable (503 + Retry-After); no active key is server_error.
// `since` (incremental pulls) is not offered: the store keeps no change log to answer it
// honestly, and a full list holds only unexpired revocations.
//
// Usage (server/revocation_feed_endpoint.cpp):
//   auto feed = oauth::RevocationFeed::Create(config, {.active_signer = KeyRingSigners(ring),
//                                                      .store = &revocations});
//   oauth::Expected<oauth::RevocationFeedDocumentPtr> doc = co_await (*feed)->Current();
//   if (doc) send((*doc)->jwt, (*doc)->tag); else send the error

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "config/config.hpp"
#include "keys/algorithm.hpp"
#include "oauth/access_token_issuer.hpp"
#include "oauth/clock.hpp"
#include "oauth/error.hpp"
#include "oauth/internal/jws_signer_cache.hpp"
#include "store/revocation_store.hpp"

namespace signet::oauth {

struct RevocationFeedDocument {
  std::string jwt;  // JWS compact serialisation
  std::string tag;  // opaque, ETag-safe (base64url): changes with revision, kid, iat
  std::uint64_t revision = 0;
  std::string kid;
  std::int64_t issued_at = 0;
  std::int64_t expires_at = 0;
  std::size_t jti_count = 0;
  std::size_t subject_count = 0;
};
using RevocationFeedDocumentPtr = std::shared_ptr<const RevocationFeedDocument>;

struct RevocationFeedDeps {
  ActiveSignerFn active_signer;
  store::RevocationStore* store = nullptr;  // must outlive the feed
  Clock clock = SystemClock();
};

class RevocationFeed {
 public:
  static constexpr std::chrono::seconds kLifetime{300};
  static constexpr std::chrono::seconds kMaxAge{10};
  static constexpr std::chrono::seconds kRebuildEvery{kMaxAge / 2};

  // server_error when a dependency is missing.
  [[nodiscard]] static Expected<std::unique_ptr<RevocationFeed>> Create(
      const config::Config& config, RevocationFeedDeps deps);
  RevocationFeed(const RevocationFeed&) = delete;
  RevocationFeed& operator=(const RevocationFeed&) = delete;

  // The current feed (cached, see above). Thread-safe.
  [[nodiscard]] boost::asio::awaitable<Expected<RevocationFeedDocumentPtr>> Current() const;

 private:
  RevocationFeed(const config::Config& config, RevocationFeedDeps deps);

  [[nodiscard]] boost::asio::awaitable<Expected<RevocationFeedDocumentPtr>> Build(
      std::shared_ptr<const keys::Signer> signer, std::int64_t issued_at) const;

  std::string issuer_;
  keys::Algorithm alg_;
  // A subject entry stays as long as the store keeps it: its cut-off plus the longest token
  // lifetime plus the leeway (cli/revoke_command.cpp writes the same).
  std::chrono::seconds subject_keep_;
  ActiveSignerFn active_signer_;
  store::RevocationStore& store_;
  Clock clock_;
  std::unique_ptr<internal::JwsSignerCache> jws_signers_;
  mutable std::atomic<RevocationFeedDocumentPtr> cached_;
};

}  // namespace signet::oauth

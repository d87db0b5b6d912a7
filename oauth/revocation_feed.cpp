#include "oauth/revocation_feed.hpp"

#include <algorithm>
#include <utility>

#include <openssl/evp.h>

#include "keys/base64url.hpp"
#include "oauth/revocation_list.hpp"

namespace signet::oauth {
namespace {

namespace net = boost::asio;

Error StoreUnavailable(const boost::system::error_code& ec) {
  return MakeError(ErrorCode::kTemporarilyUnavailable, "revocation store unavailable",
                   "revocation feed: " + ec.message());
}

// Floors to a multiple of `step` (also for times before 1970, which only tests use).
std::int64_t FloorTo(std::int64_t seconds, std::int64_t step) {
  const std::int64_t rest = ((seconds % step) + step) % step;
  return seconds - rest;
}

// base64url(SHA-256(revision "." iat "." kid)): the same on every replica for the same
// inputs, and made of ETag-safe characters whatever the kid holds (RFC 9110 §8.8.3 etagc).
std::string FeedTag(std::uint64_t revision, std::int64_t issued_at, std::string_view kid) {
  const std::string input =
      std::to_string(revision) + "." + std::to_string(issued_at) + "." + std::string(kid);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return keys::Base64UrlEncode(input);  // cannot happen short of a broken OpenSSL
  }
  return keys::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace

Expected<std::unique_ptr<RevocationFeed>> RevocationFeed::Create(const config::Config& config,
                                                                 RevocationFeedDeps deps) {
  if (!deps.active_signer || deps.store == nullptr || !deps.clock) {
    return MakeError(ErrorCode::kServerError, "", "revocation feed without signer, store or clock");
  }
  return std::unique_ptr<RevocationFeed>(new RevocationFeed(config, std::move(deps)));
}

RevocationFeed::RevocationFeed(const config::Config& config, RevocationFeedDeps deps)
    : issuer_(config.issuer),
      alg_(config.tokens.signing_alg),
      subject_keep_(std::max(config.tokens.access_token_ttl, config.tokens.id_token_ttl) +
                    config.tokens.leeway),
      active_signer_(std::move(deps.active_signer)),
      store_(*deps.store),
      clock_(std::move(deps.clock)),
      jws_signers_(std::make_unique<internal::JwsSignerCache>(kTypRevocationList)) {}

net::awaitable<Expected<RevocationFeedDocumentPtr>> RevocationFeed::Current() const {
  const auto now = std::chrono::floor<std::chrono::seconds>(clock_());
  const std::int64_t issued_at = FloorTo(now.time_since_epoch().count(), kRebuildEvery.count());
  std::shared_ptr<const keys::Signer> signer = active_signer_(alg_);
  if (!signer) {
    co_return MakeError(
        ErrorCode::kServerError, "",
        "revocation feed: no active signing key for " + std::string(keys::JwaName(alg_)));
  }
  auto asking = store_.Revision();
  auto revision = co_await std::move(asking);
  if (!revision) co_return StoreUnavailable(revision.error());
  RevocationFeedDocumentPtr cached = cached_.load();
  if (cached && cached->revision == *revision && cached->issued_at == issued_at &&
      cached->kid == signer->kid()) {
    co_return cached;
  }
  auto building = Build(std::move(signer), issued_at);
  co_return co_await std::move(building);
}

net::awaitable<Expected<RevocationFeedDocumentPtr>> RevocationFeed::Build(
    std::shared_ptr<const keys::Signer> signer, std::int64_t issued_at) const {
  // Taken (and pruned) at iat rather than now, so that replicas building the same bucket list
  // the same entries.
  auto taking = store_.Snapshot(store::FromUnixSeconds(issued_at));
  auto snapshot = co_await std::move(taking);
  if (!snapshot) co_return StoreUnavailable(snapshot.error());

  RevocationList list;
  list.issuer = issuer_;
  list.issued_at = issued_at;
  list.expires_at = issued_at + kLifetime.count();
  list.revision = snapshot->revision;
  list.jtis.reserve(snapshot->jtis.size());
  for (const store::RevokedJti& entry : snapshot->jtis) {
    list.jtis.push_back({entry.jti, store::ToUnixSeconds(entry.keep_until)});
  }
  list.subjects.reserve(snapshot->subjects.size());
  for (const store::SubjectCutoff& entry : snapshot->subjects) {
    const std::int64_t cutoff = store::ToUnixSeconds(entry.cutoff);
    list.subjects.push_back({entry.subject, cutoff, cutoff + subject_keep_.count()});
  }

  auto jws = jws_signers_->For(signer);
  if (!jws) {
    co_return MakeError(ErrorCode::kServerError, "",
                        "revocation feed header: " + jws.error().message());
  }
  auto compact = (*jws)->Sign(std::string_view(RevocationListPayload(list)));
  if (!compact) {
    co_return MakeError(ErrorCode::kServerError, "",
                        "signing the revocation feed failed: " + compact.error().message());
  }
  auto document = std::make_shared<RevocationFeedDocument>();
  document->jwt = std::move(*compact);
  document->tag = FeedTag(list.revision, issued_at, signer->kid());
  document->revision = list.revision;
  document->kid = signer->kid();
  document->issued_at = issued_at;
  document->expires_at = list.expires_at;
  document->jti_count = list.jtis.size();
  document->subject_count = list.subjects.size();
  RevocationFeedDocumentPtr built = std::move(document);
  cached_.store(built);
  co_return built;
}

}  // namespace signet::oauth

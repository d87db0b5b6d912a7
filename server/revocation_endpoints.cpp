#include "server/revocation_endpoints.hpp"

#include <utility>

namespace signet::server {

RevocationEndpoints::~RevocationEndpoints() = default;

boost::system::result<std::unique_ptr<RevocationEndpoints>, std::string>
RevocationEndpoints::Create(const config::Config& config, const keys::KeyRing& ring,
                            const oauth::ClientAuthenticator& authenticator,
                            const SharedState& state, ServerMetrics* metrics) {
  std::unique_ptr<RevocationEndpoints> parts(new RevocationEndpoints());
  auto revocation =
      oauth::RevocationService::Create(config, {.authenticator = &authenticator,
                                                .verification_keys = oauth::KeyRingSnapshots(ring),
                                                .store = &state.revocations(),
                                                .clock = oauth::SystemClock(),
                                                .refresh_tokens = &state.refresh_tokens()});
  if (!revocation) return "revocation service: " + revocation.error().debug;
  parts->revocation_ = std::move(*revocation);

  auto introspection = oauth::IntrospectionService::Create(
      config, {.authenticator = &authenticator,
               .verification_keys = oauth::KeyRingSnapshots(ring),
               .store = &state.revocations(),
               .clock = oauth::SystemClock(),
               .refresh_tokens = &state.refresh_tokens()});
  if (!introspection) return "introspection service: " + introspection.error().debug;
  parts->introspection_ = std::move(*introspection);

  parts->revoke_ = std::make_unique<RevokeEndpoint>(*parts->revocation_, metrics);
  parts->introspect_ = std::make_unique<IntrospectEndpoint>(*parts->introspection_, metrics);

  // The revocation feed: signed with the ring's active key for tokens.signing_alg.
  auto feed = oauth::RevocationFeed::Create(config, {.active_signer = oauth::KeyRingSigners(ring),
                                                     .store = &state.revocations(),
                                                     .clock = oauth::SystemClock()});
  if (!feed) return "revocation feed: " + feed.error().debug;
  parts->revocation_feed_ = std::move(*feed);
  parts->feed_ = std::make_unique<RevocationFeedEndpoint>(*parts->revocation_feed_);
  return parts;
}

}  // namespace signet::server

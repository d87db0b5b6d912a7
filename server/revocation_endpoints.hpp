#pragma once
// Everything behind POST /oauth2/revoke, POST /oauth2/introspect and GET /oauth2/revocations
// (issue 5), built in one piece by the App so that server/app.cpp only wires it:
//   - oauth::RevocationService / oauth::IntrospectionService on the shared stores
//     (server/shared_state.hpp: memory, or Redis shared by every replica), with the token
//     service's ClientAuthenticator, so a client authenticates exactly as at the token
//     endpoint and a secret verified there is cached here too;
//   - oauth::RevocationFeed on the same store and its endpoint, GET /oauth2/revocations.
//
// Usage (server/app.cpp):
//   auto endpoints = RevocationEndpoints::Create(config, ring, service.authenticator(),
//                                                *state, metrics);
//   router.AddAsync(http::verb::post, std::string(kRevokePath), ...endpoints->revoke()...);

#include <memory>
#include <string>

#include <boost/system/result.hpp>

#include "config/config.hpp"
#include "keys/key_ring.hpp"
#include "oauth/client_authenticator.hpp"
#include "oauth/introspection_service.hpp"
#include "oauth/revocation_feed.hpp"
#include "oauth/revocation_service.hpp"
#include "server/introspect_endpoint.hpp"
#include "server/revocation_feed_endpoint.hpp"
#include "server/revoke_endpoint.hpp"
#include "server/shared_state.hpp"

namespace signet::server {

class ServerMetrics;

class RevocationEndpoints {
 public:
  // Everything passed must outlive the result (`metrics` may be null). The error is one line
  // for the log.
  [[nodiscard]] static boost::system::result<std::unique_ptr<RevocationEndpoints>, std::string>
  Create(const config::Config& config, const keys::KeyRing& ring,
         const oauth::ClientAuthenticator& authenticator, const SharedState& state,
         ServerMetrics* metrics = nullptr);
  ~RevocationEndpoints();
  RevocationEndpoints(const RevocationEndpoints&) = delete;
  RevocationEndpoints& operator=(const RevocationEndpoints&) = delete;

  const RevokeEndpoint& revoke() const noexcept { return *revoke_; }
  const IntrospectEndpoint& introspect() const noexcept { return *introspect_; }
  // GET /oauth2/revocations: the signed list of the same store (revocation_feed_endpoint.hpp).
  const RevocationFeedEndpoint& feed() const noexcept { return *feed_; }

 private:
  RevocationEndpoints() = default;

  std::unique_ptr<oauth::RevocationService> revocation_;
  std::unique_ptr<oauth::IntrospectionService> introspection_;
  std::unique_ptr<RevokeEndpoint> revoke_;
  std::unique_ptr<IntrospectEndpoint> introspect_;
  std::unique_ptr<oauth::RevocationFeed> revocation_feed_;
  std::unique_ptr<RevocationFeedEndpoint> feed_;
};

}  // namespace signet::server

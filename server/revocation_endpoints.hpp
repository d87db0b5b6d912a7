#pragma once
// Everything behind POST /oauth2/revoke and POST /oauth2/introspect (issue 5), built in one
// piece by the App so that server/app.cpp only wires it:
//   - the revocation store the configuration names: store::MemoryRevocationStore without
//     redis.url (one node; lost on restart, like the node's other state), else a
//     store::RedisAsyncClient on the HTTP server's io_context with a
//     store::RedisRevocationStore on it, shared by every replica. The client connects in the
//     background and reconnects by itself: a Redis outage makes these two endpoints answer 503
//     quickly (the client fails commands at once while disconnected, and within its command
//     timeout when Redis hangs) and they work again when Redis is back, without a restart;
//   - one ClientAuthenticator for both endpoints (the same registry and argon2 verifier as the
//     token endpoint, so a client authenticates exactly as there);
//   - oauth::RevocationService / oauth::IntrospectionService and their endpoints.
//
// Usage (server/app.cpp):
//   auto endpoints = RevocationEndpoints::Create(config, ring, registry, verify_hash,
//                                                http->executor());
//   router.AddAsync(http::verb::post, std::string(kRevokePath), ...endpoints->revoke()...);

#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/system/result.hpp>

#include "config/config.hpp"
#include "keys/key_ring.hpp"
#include "oauth/client_authenticator.hpp"
#include "oauth/client_registry.hpp"
#include "oauth/introspection_service.hpp"
#include "oauth/revocation_service.hpp"
#include "server/introspect_endpoint.hpp"
#include "server/revoke_endpoint.hpp"
#include "store/redis_async_client.hpp"
#include "store/revocation_store.hpp"

namespace signet::server {

class ServerMetrics;

class RevocationEndpoints {
 public:
  // `config`, `ring`, `registry` and `metrics` (may be null) must outlive the result;
  // `executor` is the HTTP server's (its io_context must outlive the result too). The error
  // is one line for the log.
  [[nodiscard]] static boost::system::result<std::unique_ptr<RevocationEndpoints>, std::string>
  Create(const config::Config& config, const keys::KeyRing& ring,
         const oauth::ClientRegistry& registry, oauth::AsyncSecretHashVerifier verify_hash,
         boost::asio::any_io_executor executor, ServerMetrics* metrics = nullptr);
  ~RevocationEndpoints();
  RevocationEndpoints(const RevocationEndpoints&) = delete;
  RevocationEndpoints& operator=(const RevocationEndpoints&) = delete;

  const RevokeEndpoint& revoke() const noexcept { return *revoke_; }
  const IntrospectEndpoint& introspect() const noexcept { return *introspect_; }
  // "memory" or the Redis client's description (never the password), for the start-up log.
  std::string DescribeStore() const;

 private:
  RevocationEndpoints() = default;

  // Declaration order = construction order; destruction runs backwards, so the endpoints go
  // first and the Redis client last (its Stop() posts to the still running io_context).
  std::unique_ptr<store::RedisAsyncClient> redis_;  // null without redis.url
  std::unique_ptr<store::RevocationStore> store_;
  std::unique_ptr<oauth::ClientAuthenticator> authenticator_;
  std::unique_ptr<oauth::RevocationService> revocation_;
  std::unique_ptr<oauth::IntrospectionService> introspection_;
  std::unique_ptr<RevokeEndpoint> revoke_;
  std::unique_ptr<IntrospectEndpoint> introspect_;
};

}  // namespace signet::server

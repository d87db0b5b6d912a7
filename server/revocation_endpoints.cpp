#include "server/revocation_endpoints.hpp"

#include <utility>

#include "store/memory_revocation_store.hpp"
#include "store/redis_revocation_store.hpp"
#include "store/redis_url.hpp"

namespace signet::server {

RevocationEndpoints::~RevocationEndpoints() = default;

boost::system::result<std::unique_ptr<RevocationEndpoints>, std::string>
RevocationEndpoints::Create(const config::Config& config, const keys::KeyRing& ring,
                            const oauth::ClientRegistry& registry,
                            oauth::AsyncSecretHashVerifier verify_hash,
                            boost::asio::any_io_executor executor, ServerMetrics* metrics) {
  std::unique_ptr<RevocationEndpoints> parts(new RevocationEndpoints());
  if (config.redis.url.empty()) {
    parts->store_ = std::make_unique<store::MemoryRevocationStore>();
  } else {
    auto url = store::ParseRedisUrl(config.redis.url);
    if (!url) return "redis.url: " + url.error().message();
    parts->redis_ = std::make_unique<store::RedisAsyncClient>(std::move(executor), *url);
    parts->store_ = std::make_unique<store::RedisRevocationStore>(*parts->redis_);
  }

  auto authenticator = oauth::ClientAuthenticator::Create(registry, std::move(verify_hash));
  if (!authenticator) return "client authenticator: " + authenticator.error().debug;
  parts->authenticator_ = std::move(*authenticator);

  auto revocation =
      oauth::RevocationService::Create(config, {.authenticator = parts->authenticator_.get(),
                                                .verification_keys = oauth::KeyRingSnapshots(ring),
                                                .store = parts->store_.get(),
                                                .clock = oauth::SystemClock()});
  if (!revocation) return "revocation service: " + revocation.error().debug;
  parts->revocation_ = std::move(*revocation);

  auto introspection = oauth::IntrospectionService::Create(
      config, {.authenticator = parts->authenticator_.get(),
               .verification_keys = oauth::KeyRingSnapshots(ring),
               .store = parts->store_.get(),
               .clock = oauth::SystemClock()});
  if (!introspection) return "introspection service: " + introspection.error().debug;
  parts->introspection_ = std::move(*introspection);

  parts->revoke_ = std::make_unique<RevokeEndpoint>(*parts->revocation_, metrics);
  parts->introspect_ = std::make_unique<IntrospectEndpoint>(*parts->introspection_, metrics);
  return parts;
}

std::string RevocationEndpoints::DescribeStore() const {
  return redis_ ? redis_->Describe() : std::string("memory");
}

}  // namespace signet::server

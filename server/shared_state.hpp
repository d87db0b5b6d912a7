#pragma once
// The state that replicas share (issue 5), built once by the App from the configuration:
//   - without redis.url: in-memory stores (one node; lost on restart, like the node's other
//     state);
//   - with redis.url: one store::RedisAsyncClient on the HTTP server's io_context and the
//     Redis twins of every store on it, so that any number of replicas act as one issuer.
//     The client connects in the background and reconnects by itself; while Redis is away
//     the stores fail at once (or within the command timeout when Redis hangs) and what
//     needs them answers 503, then works again without a restart.
// Stores: revocations (RFC 7009 lists and subject cut-offs), refresh token families,
// failed-login counters, authorization codes and login sessions (issue 6).
//
// Revocations past their keep_until are pruned every prune_interval (60 s) by a coroutine
// on the executor (issue 5: the list must not grow without bound when nobody reads the
// feed, whose Snapshot() also prunes). Every replica prunes; the Redis script is
// idempotent, so that is harmless. A failure (Redis away) is logged at debug and retried at
// the next tick.
//
// Usage (server/app.cpp):
//   auto state = SharedState::Create(config, http->executor());
//   deps.refresh_tokens = &(*state)->refresh_tokens();

#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/system/result.hpp>

#include "config/config.hpp"
#include "store/authorization_code_store.hpp"
#include "store/failure_rate_limiter.hpp"
#include "store/redis_async_client.hpp"
#include "store/refresh_token_store.hpp"
#include "store/revocation_store.hpp"
#include "store/session_store.hpp"

namespace signet::server {

class ServerMetrics;

struct SharedStateOptions {
  // How often revocations past keep_until are removed (a seam for tests).
  std::chrono::milliseconds prune_interval = std::chrono::seconds(60);
  // With redis.url: the signet_redis_* metrics of the client (must outlive the io_context).
  ServerMetrics* metrics = nullptr;
};

class SharedState {
 public:
  // `executor`'s io_context must outlive the result. The error is one line for the log
  // (never the Redis password).
  [[nodiscard]] static boost::system::result<std::unique_ptr<SharedState>, std::string> Create(
      const config::Config& config, boost::asio::any_io_executor executor,
      SharedStateOptions options = {});
  // Stops the pruner and the Redis client. Safe while the io_context runs (a prune in
  // flight keeps what it uses alive and ends without touching this object) and after it
  // stopped (the suspended pruner is destroyed with the io_context).
  ~SharedState();
  SharedState(const SharedState&) = delete;
  SharedState& operator=(const SharedState&) = delete;

  store::RevocationStore& revocations() const noexcept { return *revocations_; }
  store::RefreshTokenStore& refresh_tokens() const noexcept { return *refresh_tokens_; }
  store::FailureRateLimiter& login_failures() const noexcept { return *login_failures_; }
  store::AuthorizationCodeStore& authorization_codes() const noexcept {
    return *authorization_codes_;
  }
  store::SessionStore& sessions() const noexcept { return *sessions_; }
  // "memory" or the Redis client's description (never the password), for the start-up log.
  std::string Describe() const;

 private:
  class Pruner;

  SharedState() = default;

  // Declaration order = construction order; the stores go first, the Redis client last (its
  // Stop() posts to the still running io_context). The client and the revocation store are
  // shared with the pruner, which may still be inside a Prune when this object goes.
  std::shared_ptr<store::RedisAsyncClient> redis_;  // null without redis.url
  std::shared_ptr<store::RevocationStore> revocations_;
  std::unique_ptr<store::RefreshTokenStore> refresh_tokens_;
  std::unique_ptr<store::FailureRateLimiter> login_failures_;
  std::unique_ptr<store::AuthorizationCodeStore> authorization_codes_;
  std::unique_ptr<store::SessionStore> sessions_;
  std::shared_ptr<Pruner> pruner_;
};

}  // namespace signet::server

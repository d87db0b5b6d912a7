#include "server/shared_state.hpp"

#include <atomic>
#include <string>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "server/logging.hpp"
#include "server/metrics.hpp"
#include "store/memory_authorization_code_store.hpp"
#include "store/memory_failure_rate_limiter.hpp"
#include "store/memory_refresh_token_store.hpp"
#include "store/memory_revocation_store.hpp"
#include "store/memory_session_store.hpp"
#include "store/redis_authorization_code_store.hpp"
#include "store/redis_failure_rate_limiter.hpp"
#include "store/redis_refresh_token_store.hpp"
#include "store/redis_revocation_store.hpp"
#include "store/redis_session_store.hpp"
#include "store/redis_url.hpp"

namespace signet::server {

namespace net = boost::asio;

// Calls RevocationStore::Prune every interval on a strand of its own. Owned jointly by the
// SharedState and its coroutine, and it owns (shares) what it prunes, so that neither order
// of destruction leaves the other with a dangling reference:
//  - SharedState goes first (a test, or the server while its io_context still runs): Stop()
//    cancels the timer on the strand and the loop ends; a Prune in flight completes on the
//    client and store still held here (the client was stopped: it fails with kStopped) and
//    the loop ends without logging;
//  - the io_context stops first (the server's shutdown): the coroutine stays suspended and
//    is destroyed with the io_context, touching nothing.
class SharedState::Pruner : public std::enable_shared_from_this<SharedState::Pruner> {
 public:
  Pruner(net::any_io_executor executor, std::shared_ptr<store::RedisAsyncClient> redis,
         std::shared_ptr<store::RevocationStore> store, std::chrono::milliseconds interval)
      : redis_(std::move(redis)),
        store_(std::move(store)),
        strand_(net::make_strand(std::move(executor))),
        timer_(strand_),
        interval_(interval) {}

  void Start() { net::co_spawn(strand_, Run(shared_from_this()), net::detached); }

  // From any thread, idempotent.
  void Stop() {
    if (stopped_.exchange(true)) return;
    net::post(strand_, [self = shared_from_this()] { self->timer_.cancel(); });
  }

 private:
  static net::awaitable<void> Run(std::shared_ptr<Pruner> self) {
    for (;;) {
      self->timer_.expires_after(self->interval_);
      auto [ec] = co_await self->timer_.async_wait(net::as_tuple(net::use_awaitable));
      if (ec || self->stopped_) co_return;  // operation_aborted: Stop()
      auto pruned = co_await self->store_->Prune(std::chrono::system_clock::now());
      if (self->stopped_) co_return;
      if (!pruned) {
        // Redis may be down; the next tick retries, and nothing is lost meanwhile (expired
        // entries no longer count in IsRevoked anyway).
        LogEvent(spdlog::level::debug, "revocation pruning failed",
                 {{"reason", pruned.error().message()}});
      } else if (*pruned > 0) {
        const std::string count = std::to_string(*pruned);
        LogEvent(spdlog::level::debug, "pruned expired revocations",
                 {{"count", count, /*is_number=*/true}});
      }
    }
  }

  // Declared before the store: the Redis store refers to the client and goes first.
  std::shared_ptr<store::RedisAsyncClient> redis_;  // null without redis.url
  std::shared_ptr<store::RevocationStore> store_;
  net::strand<net::any_io_executor> strand_;
  net::steady_timer timer_;  // used on strand_ only
  std::chrono::milliseconds interval_;
  std::atomic<bool> stopped_{false};
};

SharedState::~SharedState() {
  if (pruner_) pruner_->Stop();
  // At once, not when the pruner lets go of it: pending commands fail with kStopped.
  if (redis_) redis_->Stop();
}

boost::system::result<std::unique_ptr<SharedState>, std::string> SharedState::Create(
    const config::Config& config, boost::asio::any_io_executor executor,
    SharedStateOptions options) {
  std::unique_ptr<SharedState> state(new SharedState());
  if (config.redis.url.empty()) {
    state->revocations_ = std::make_shared<store::MemoryRevocationStore>();
    state->refresh_tokens_ = std::make_unique<store::MemoryRefreshTokenStore>();
    state->login_failures_ = std::make_unique<store::MemoryFailureRateLimiter>();
    state->authorization_codes_ = std::make_unique<store::MemoryAuthorizationCodeStore>();
    state->sessions_ = std::make_unique<store::MemorySessionStore>();
  } else {
    auto url = store::ParseRedisUrl(config.redis.url);
    if (!url) return "redis.url: " + url.error().message();
    store::RedisAsyncClientOptions redis_options;
    if (options.metrics != nullptr) redis_options.observer = options.metrics->RedisObserver();
    state->redis_ = std::make_shared<store::RedisAsyncClient>(executor, *url, redis_options);
    state->revocations_ = std::make_shared<store::RedisRevocationStore>(*state->redis_);
    state->refresh_tokens_ = std::make_unique<store::RedisRefreshTokenStore>(*state->redis_);
    state->login_failures_ = std::make_unique<store::RedisFailureRateLimiter>(*state->redis_);
    state->authorization_codes_ =
        std::make_unique<store::RedisAuthorizationCodeStore>(*state->redis_);
    state->sessions_ = std::make_unique<store::RedisSessionStore>(*state->redis_);
  }
  state->pruner_ = std::make_shared<Pruner>(std::move(executor), state->redis_,
                                            state->revocations_, options.prune_interval);
  state->pruner_->Start();
  return state;
}

std::string SharedState::Describe() const {
  return redis_ ? redis_->Describe() : std::string("memory");
}

}  // namespace signet::server

#include "server/secret_verifier_pool.hpp"

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace signet::server {
namespace {

namespace net = boost::asio;

// What every pending check shares. Held by shared_ptr from each suspended request, so that a
// coroutine frame destroyed after the pool (at shutdown) still finds its counter.
struct Shared {
  oauth::SecretHashVerifier verify;
  std::size_t max_pending = 0;
  std::atomic<std::size_t> pending{0};
};

// Gives the slot back however the request ends (result, exception, or frame destruction).
class Slot {
 public:
  explicit Slot(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
  ~Slot() { shared_->pending.fetch_sub(1, std::memory_order_acq_rel); }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  std::shared_ptr<Shared> shared_;
};

unsigned DefaultThreads() { return std::max(1U, std::thread::hardware_concurrency() / 2); }

// Runs on a pool thread. The state lives in parameters (copied into the frame).
net::awaitable<bool> RunCheck(std::shared_ptr<Shared> shared, std::string_view encoded_hash,
                              std::string_view secret) {
  co_return shared->verify(encoded_hash, secret);
}

net::awaitable<oauth::Expected<bool>> VerifyOnPool(std::shared_ptr<Shared> shared,
                                                   net::thread_pool::executor_type pool,
                                                   std::string_view encoded_hash,
                                                   std::string_view secret) {
  if (shared->pending.fetch_add(1, std::memory_order_acq_rel) >= shared->max_pending) {
    shared->pending.fetch_sub(1, std::memory_order_acq_rel);
    co_return oauth::MakeError(oauth::ErrorCode::kTemporarilyUnavailable,
                               "the server is busy, retry later",
                               "client secret verification queue full");
  }
  Slot slot(shared);
  // co_spawn runs the check on a pool thread; the result resumes this coroutine on its own
  // executor (the connection's strand). The views stay valid: their owners are suspended.
  // Named, not a temporary inside the co_await expression: GCC 12 mishandles the lifetime
  // of non-trivially destructible temporaries there (a double release under ASan).
  auto on_pool = net::co_spawn(pool, RunCheck(shared, encoded_hash, secret), net::use_awaitable);
  const bool matches = co_await std::move(on_pool);
  co_return matches;
}

}  // namespace

struct SecretVerifierPool::Impl {
  Impl(unsigned thread_count, std::shared_ptr<Shared> state)
      : threads(thread_count), shared(std::move(state)), pool(thread_count) {}

  unsigned threads;
  std::shared_ptr<Shared> shared;
  net::thread_pool pool;
};

SecretVerifierPool::SecretVerifierPool(oauth::SecretHashVerifier verify,
                                       SecretVerifierPoolOptions options) {
  auto shared = std::make_shared<Shared>();
  shared->verify = std::move(verify);
  shared->max_pending = std::max<std::size_t>(1, options.max_pending);
  const unsigned threads = options.threads == 0 ? DefaultThreads() : options.threads;
  impl_ = std::make_unique<Impl>(threads, std::move(shared));
}

SecretVerifierPool::~SecretVerifierPool() {
  // thread_pool's destructor stops, joins and destroys what is still queued.
  impl_.reset();
}

oauth::AsyncSecretHashVerifier SecretVerifierPool::Verifier() const {
  return [shared = impl_->shared, pool = impl_->pool.get_executor()](std::string_view encoded_hash,
                                                                     std::string_view secret) {
    return VerifyOnPool(shared, pool, encoded_hash, secret);
  };
}

unsigned SecretVerifierPool::threads() const noexcept { return impl_->threads; }

std::size_t SecretVerifierPool::pending() const noexcept {
  return impl_->shared->pending.load(std::memory_order_acquire);
}

}  // namespace signet::server

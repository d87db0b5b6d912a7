#include "store/redis_async_client.hpp"

#include <algorithm>
#include <optional>

#include <boost/asio/async_result.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include "store/internal/redis_async_client_impl.hpp"
#include "store/internal/redis_command_args.hpp"

namespace signet::store {

void RedisAsyncClient::Impl::Send(Step step, std::span<const std::string_view> args,
                                  ReplyHandler handler, net::any_io_executor work) {
  // One timeout for everything sent on a ready connection keeps deadlines in send order,
  // which the single watchdog timer relies on; the handshake (sent alone) has its own.
  const bool ready_step = step == Step::kCommand || step == Step::kHealthCheck;
  const auto timeout = ready_step ? options_.command_timeout : options_.connect_timeout;
  auto pending = std::make_unique<Pending>(Pending{
      this, step, Clock::now() + timeout, std::move(handler), std::move(work),
      step == Step::kCommand && !args.empty() ? RedisCommandName(args.front()) : kOtherRedisCommand,
      std::nullopt});
  redisAsyncContext* context = connection_ ? connection_->context() : nullptr;
  std::optional<Errc> refused;
  if (stopped()) {
    refused = Errc::kStopped;
  } else if (args.empty()) {
    refused = Errc::kEmptyCommand;
  } else if (context == nullptr || (ready_step && !connected())) {
    refused = Errc::kUnavailable;
  } else if (pending_.size() >= options_.max_pending) {
    refused = Errc::kTooManyPending;
  }
  if (refused) return Complete(*pending, *refused);

  internal::RedisCommandArgs argv(args);
  if (redisAsyncCommandArgv(context, &OnReplyThunk, pending.get(), argv.argc(), argv.argv(),
                            argv.argvlen()) != REDIS_OK) {
    return Complete(*pending, Errc::kUnavailable);  // the context is disconnecting
  }
  pending->sent = Clock::now();
  pending_.push_back(std::move(pending));
  ArmWatchdog();
}

void RedisAsyncClient::Impl::OnReplyThunk(redisAsyncContext* /*context*/, void* reply,
                                          void* privdata) {
  auto* pending = static_cast<Pending*>(privdata);
  pending->impl->OnReply(pending, static_cast<const redisReply*>(reply));
}

void RedisAsyncClient::Impl::OnReply(Pending* pending, const redisReply* reply) {
  // Replies come in command order, so this is the front; the search is only a safeguard.
  auto it = std::find_if(pending_.begin(), pending_.end(),
                         [pending](const auto& p) { return p.get() == pending; });
  if (it == pending_.end()) return;
  std::unique_ptr<Pending> owned = std::move(*it);
  pending_.erase(it);
  if (reply != nullptr) return Complete(*owned, RedisReply::FromHiredis(*reply));
  // NULL: the context is being freed before this command was answered, so the connection is
  // gone. Say so before the completion is posted: a caller that sees the error must also see
  // connected() == false and the reason in last_error() (the cleanup hook comes later).
  SetConnected(false);
  const Errc reason = stopped()                         ? Errc::kStopped
                      : Clock::now() >= owned->deadline ? Errc::kTimeout
                                                        : Errc::kUnavailable;
  if (!attempt_failed_) {
    attempt_failed_ = true;
    SetLastError(reason);
  }
  Complete(*owned, reason);
}

void RedisAsyncClient::Impl::Complete(Pending& pending, Result<RedisReply> result) {
  // A failed health check needs nothing more: a timeout already dropped the connection.
  if (pending.step == Step::kHealthCheck) return;
  if (pending.step != Step::kCommand) return OnHandshakeReply(pending.step, result);
  Report(pending, result);  // before the caller can resume and look at the metrics
  if (!pending.handler || destroying_) return;  // destroying drops the handler unrun
  net::any_io_executor work = std::move(pending.work);
  // Posted, never run inline: the caller's coroutine must not resume inside hiredis.
  net::post(work, [handler = std::move(pending.handler), result = std::move(result)]() mutable {
    std::move(handler)(std::move(result));
  });
}

void RedisAsyncClient::Impl::Report(const Pending& pending,
                                    const Result<RedisReply>& result) const {
  if (!options_.observer.on_command || stopped() || destroying_) return;
  RedisCommandOutcome outcome = RedisCommandOutcome::kOk;
  if (result) {
    if (result->IsError()) outcome = RedisCommandOutcome::kErrorReply;
  } else if (result.error() == Errc::kTimeout) {
    outcome = RedisCommandOutcome::kTimeout;
  } else if (result.error() == Errc::kUnavailable || result.error() == Errc::kTooManyPending) {
    outcome = RedisCommandOutcome::kUnavailable;
  } else {
    return;  // kStopped (shutdown), kEmptyCommand (a caller's bug): not Redis's health
  }
  std::optional<std::chrono::nanoseconds> latency;
  if (pending.sent) latency = Clock::now() - *pending.sent;
  options_.observer.on_command(RedisCommandEvent{pending.command, outcome, latency});
}

void RedisAsyncClient::Impl::ReportRefused(std::string_view first_argument) {
  if (!options_.observer.on_command) return;
  net::post(strand_, [self = shared_from_this(), command = RedisCommandName(first_argument)] {
    if (self->stopped()) return;
    self->options_.observer.on_command(
        RedisCommandEvent{command, RedisCommandOutcome::kUnavailable, std::nullopt});
  });
}

void RedisAsyncClient::Impl::SetConnected(bool connected) {
  if (connected_.exchange(connected) == connected) return;
  if (!options_.observer.on_connection || stopped() || destroying_) return;
  options_.observer.on_connection(connected ? RedisConnectionEvent::kConnected
                                            : RedisConnectionEvent::kDisconnected);
}

// One timer for all commands: they share one timeout and are answered in order, so the
// oldest unanswered command always has the earliest deadline.
void RedisAsyncClient::Impl::ArmWatchdog() {
  if (watchdog_armed_ || pending_.empty()) return;
  watchdog_armed_ = true;
  watchdog_.expires_at(pending_.front()->deadline);
  watchdog_.async_wait([self = shared_from_this()](boost::system::error_code) {
    self->watchdog_armed_ = false;
    self->OnWatchdog();
  });
}

void RedisAsyncClient::Impl::OnWatchdog() {
  if (pending_.empty()) return;
  if (Clock::now() < pending_.front()->deadline) return ArmWatchdog();
  // The oldest command is overdue: Redis hangs or the network dropped silently. Nothing
  // behind it can be answered first, so the connection is closed and rebuilt.
  SetConnected(false);
  if (!attempt_failed_) {
    attempt_failed_ = true;
    SetLastError(Errc::kTimeout);
  }
  if (connection_) connection_->Close();
}

RedisAsyncClient::RedisAsyncClient(net::any_io_executor executor, RedisUrl url,
                                   RedisAsyncClientOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(url), options)) {
  impl_->Start();
}

RedisAsyncClient::~RedisAsyncClient() { Stop(); }

void RedisAsyncClient::Stop() { impl_->Stop(); }

bool RedisAsyncClient::connected() const noexcept { return impl_->connected(); }

boost::system::error_code RedisAsyncClient::last_error() const { return impl_->last_error(); }

std::string RedisAsyncClient::Describe() const { return "redis " + impl_->url().Describe(); }

// Runs when Command is called, not when the awaitable starts: the weak_ptr and the copied
// argument views are taken while the client and the caller's array are surely alive, so an
// awaitable that starts after the client was destroyed fails with kStopped instead of
// touching it.
net::awaitable<Result<RedisReply>> RedisAsyncClient::Command(
    std::span<const std::string_view> args) {
  return Impl::Command(impl_, std::vector<std::string_view>(args.begin(), args.end()));
}

net::awaitable<Result<RedisReply>> RedisAsyncClient::Impl::Command(
    std::weak_ptr<Impl> weak, std::vector<std::string_view> args) {
  std::shared_ptr<Impl> impl = weak.lock();
  if (!impl || impl->stopped()) co_return Errc::kStopped;
  if (!impl->connected()) {  // fail fast, queue nothing
    if (!args.empty()) impl->ReportRefused(args.front());
    co_return Errc::kUnavailable;
  }
  // The initiation moves `impl` out of this frame before it suspends: the frame is owned by
  // the handler that Impl stores while the command is in flight, and a shared_ptr kept here
  // would be a cycle. It captures only pointers: GCC 12 mishandles temporaries with
  // destructors (such as a lambda holding a shared_ptr) inside a co_await expression.
  std::shared_ptr<Impl>* holder = &impl;
  const std::vector<std::string_view>* argv = &args;  // lives in this frame until completion
  Result<RedisReply> result =
      co_await net::async_initiate<decltype(net::use_awaitable), void(Result<RedisReply>)>(
          [holder, argv](auto handler) {
            std::shared_ptr<Impl> self = std::move(*holder);
            self->Submit(*argv, std::move(handler));
          },
          net::use_awaitable);
  co_return result;
}

}  // namespace signet::store

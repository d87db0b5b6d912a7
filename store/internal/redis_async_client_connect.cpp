#include <algorithm>
#include <array>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include "store/internal/redis_async_client_impl.hpp"

namespace signet::store {

RedisAsyncClient::Impl::~Impl() {
  // Normally Stop() closed the connection on the strand already. If the io_context is being
  // destroyed instead, close it here without posting anything anywhere.
  destroying_ = true;
  if (connection_) connection_->Close();
}

void RedisAsyncClient::Impl::Stop() {
  if (stopped_.exchange(true)) return;
  net::post(strand_, [self = shared_from_this()] {
    self->connected_ = false;
    self->resolver_.cancel();
    self->reconnect_timer_.cancel();
    self->watchdog_.cancel();
    self->health_timer_.cancel();
    if (self->connection_) self->connection_->Close();  // pending commands fail with kStopped
    self->connection_.reset();
  });
}

void RedisAsyncClient::Impl::SetLastError(boost::system::error_code ec) {
  std::lock_guard lock(last_error_mutex_);
  last_error_ = ec;
}

// Name resolution runs on Asio's resolver thread, never on an I/O thread (hiredis would call
// a blocking getaddrinfo); hiredis then connects (non-blocking) to the numeric address.
void RedisAsyncClient::Impl::Resolve() {
  if (stopped()) return;
  resolver_.async_resolve(
      url_.host, std::to_string(url_.port),
      [self = shared_from_this()](boost::system::error_code ec,
                                  const net::ip::tcp::resolver::results_type& results) {
        if (self->stopped()) return;
        if (ec || results.empty()) {
          self->SetLastError(Errc::kUnavailable);
          self->ScheduleReconnect();
          return;
        }
        self->Connect(results.begin()->endpoint().address().to_string());
      });
}

void RedisAsyncClient::Impl::Connect(const std::string& address) {
  attempt_failed_ = false;
  redisAsyncContext* context = redisAsyncConnect(address.c_str(), url_.port);
  if (context == nullptr || context->err != 0) {
    if (context != nullptr) redisAsyncFree(context);
    SetLastError(Errc::kUnavailable);
    ScheduleReconnect();
    return;
  }
  auto attached = internal::AsioRedisConnection::Attach(strand_, context, *this);
  if (!attached) {
    SetLastError(attached.error());
    ScheduleReconnect();
    return;
  }
  connection_ = std::move(*attached);
  // The handshake is pipelined: hiredis buffers it until the non-blocking connect completes.
  // Commands are accepted once PING answers, so they never overtake AUTH or SELECT.
  if (url_.password) {
    std::vector<std::string_view> auth{"AUTH"};
    if (url_.user) auth.emplace_back(*url_.user);
    auth.push_back(url_.password->reveal());
    Send(Step::kAuth, auth, {}, {});
  }
  if (url_.db != 0) {
    const std::string db = std::to_string(url_.db);
    const std::array<std::string_view, 2> select{"SELECT", db};
    Send(Step::kSelect, select, {}, {});
  }
  const std::array<std::string_view, 1> ping{"PING"};
  Send(Step::kPing, ping, {}, {});
}

void RedisAsyncClient::Impl::OnHandshakeReply(Step step, const Result<RedisReply>& result) {
  if (destroying_ || attempt_failed_) return;
  if (!result) {  // the connection is going away; OnConnectionClosed reconnects
    attempt_failed_ = true;
    SetLastError(result.error());
    return;
  }
  switch (step) {
    case Step::kAuth:
      if (!result->ExpectStatus("OK")) FailAttempt(Errc::kAuthFailed);
      return;
    case Step::kSelect:
      if (!result->ExpectStatus("OK")) FailAttempt(Errc::kSelectFailed);
      return;
    case Step::kPing:
      if (result->ExpectStatus("PONG")) {
        delay_ = options_.reconnect_initial_delay;
        SetLastError({});
        SetConnected(true);
      } else {
        // -NOAUTH when Redis wants a password the URL lacks; -LOADING while it starts.
        FailAttempt(result->str().starts_with("NOAUTH") ? Errc::kAuthFailed : Errc::kUnavailable);
      }
      return;
    case Step::kCommand:
    case Step::kHealthCheck: return;
  }
}

// Called inside a hiredis callback: the close itself is posted to the strand.
void RedisAsyncClient::Impl::FailAttempt(Errc reason) {
  SetConnected(false);
  attempt_failed_ = true;
  SetLastError(reason);
  net::post(strand_, [self = shared_from_this(), connection = connection_] {
    if (connection) connection->Close();
  });
}

// Exponential back-off with jitter (a random delay in [d/2, d]) so that many replicas do not
// reconnect in lockstep after an outage.
void RedisAsyncClient::Impl::ScheduleReconnect() {
  if (stopped() || destroying_) return;
  const auto max = delay_.count();
  std::uniform_int_distribution<std::chrono::milliseconds::rep> jitter(max / 2, max);
  reconnect_timer_.expires_after(std::chrono::milliseconds(jitter(rng_)));
  delay_ = std::min(delay_ * 2, options_.reconnect_max_delay);
  reconnect_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec) self->Resolve();
  });
}

// An idle connection is PINGed every health_check_interval, so that a Redis that hangs or
// vanishes without a FIN is noticed (connected() turns false, for /readyz) before a request
// needs it; the PING's deadline is the command timeout, enforced by the watchdog.
void RedisAsyncClient::Impl::ScheduleHealthCheck() {
  if (stopped() || options_.health_check_interval.count() <= 0) return;
  health_timer_.expires_after(options_.health_check_interval);
  health_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->stopped()) return;
    if (self->connected() && self->pending_.empty()) {
      const std::array<std::string_view, 1> ping{"PING"};
      self->Send(Step::kHealthCheck, ping, {}, {});
    }
    self->ScheduleHealthCheck();
  });
}

void RedisAsyncClient::Impl::OnConnectionClosed(
    internal::AsioRedisConnection& connection) noexcept {
  if (destroying_ || &connection != connection_.get()) return;
  SetConnected(false);
  if (!attempt_failed_) {
    attempt_failed_ = true;
    SetLastError(stopped() ? Errc::kStopped : Errc::kUnavailable);
  }
  ScheduleReconnect();
}

}  // namespace signet::store

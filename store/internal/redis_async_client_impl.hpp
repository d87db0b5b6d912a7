#pragma once
// The state behind RedisAsyncClient (store/redis_async_client.hpp), shared by its two source
// files: redis_async_client.cpp (commands, replies, timeouts) and
// internal/redis_async_client_connect.cpp (connect, handshake, back-off, shutdown).
//
// Threading: connected_/stopped_/last_error_ may be read from any thread; everything else
// is touched only on strand_, which serialises every call into hiredis.

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "store/internal/asio_redis_connection.hpp"
#include "store/redis_async_client.hpp"

struct redisReply;  // hiredis/hiredis.h

namespace signet::store {

namespace net = boost::asio;

class RedisAsyncClient::Impl final : public std::enable_shared_from_this<Impl>,
                                     private internal::RedisConnectionListener {
 public:
  using Clock = std::chrono::steady_clock;
  using ReplyHandler = net::any_completion_handler<void(Result<RedisReply>)>;

  Impl(net::any_io_executor executor, RedisUrl url, RedisAsyncClientOptions options)
      : strand_(net::make_strand(std::move(executor))),
        url_(std::move(url)),
        options_(options),
        resolver_(strand_),
        reconnect_timer_(strand_),
        watchdog_(strand_),
        health_timer_(strand_),
        delay_(options.reconnect_initial_delay),
        rng_(std::random_device{}()) {}
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void Start() {
    net::post(strand_, [self = shared_from_this()] {
      self->Resolve();
      self->ScheduleHealthCheck();
    });
  }
  void Stop();

  // From any thread: hands the command to the strand. The caller's executor is kept busy
  // (outstanding work) until the completion is posted back to it.
  template <class Handler>
  void Submit(std::span<const std::string_view> args, Handler&& handler) {
    net::any_io_executor work = net::prefer(net::get_associated_executor(handler, strand_),
                                            net::execution::outstanding_work.tracked);
    net::dispatch(strand_, [self = shared_from_this(), args,
                            handler = ReplyHandler(std::forward<Handler>(handler)),
                            work = std::move(work)]() mutable {
      self->Send(Step::kCommand, args, std::move(handler), std::move(work));
    });
  }

  static net::awaitable<Result<RedisReply>> Command(std::weak_ptr<Impl> weak,
                                                    std::vector<std::string_view> args);
  // From any thread: tells the observer (on the strand) about a command refused before it
  // reached the strand because the client is disconnected.
  void ReportRefused(std::string_view first_argument);
  bool connected() const noexcept { return connected_.load(std::memory_order_acquire); }
  bool stopped() const noexcept { return stopped_.load(std::memory_order_acquire); }
  boost::system::error_code last_error() const {
    std::lock_guard lock(last_error_mutex_);
    return last_error_;
  }
  const RedisUrl& url() const noexcept { return url_; }

 private:
  // kCommand is a caller's command; the others are the connection handshake.
  // kHealthCheck is the PING sent on an idle connection.
  enum class Step { kCommand, kAuth, kSelect, kPing, kHealthCheck };

  // One command in flight. Owned by pending_, which mirrors hiredis's reply queue of the
  // current connection (RESP replies arrive in order); hiredis holds a raw pointer as privdata
  // and calls back exactly once, with NULL when the context is freed.
  struct Pending {
    Impl* impl;
    Step step;
    Clock::time_point deadline;
    ReplyHandler handler;                   // kCommand only
    net::any_io_executor work;              // the caller's executor, work tracked
    std::string_view command;               // kCommand: RedisCommandName of the first argument
    std::optional<Clock::time_point> sent;  // set once hiredis accepted the command
  };

  // Everything below runs on strand_.
  void Resolve();
  void Connect(const std::string& address);
  void Send(Step step, std::span<const std::string_view> args, ReplyHandler handler,
            net::any_io_executor work);
  static void OnReplyThunk(redisAsyncContext* context, void* reply, void* privdata);
  void OnReply(Pending* pending, const redisReply* reply);
  void Complete(Pending& pending, Result<RedisReply> result);
  void Report(const Pending& pending, const Result<RedisReply>& result) const;
  // connected_ with the observer told about a change (never after Stop()).
  void SetConnected(bool connected);
  void OnHandshakeReply(Step step, const Result<RedisReply>& result);
  void FailAttempt(Errc reason);
  void ArmWatchdog();
  void OnWatchdog();
  void ScheduleReconnect();
  void ScheduleHealthCheck();
  void OnConnectionClosed(internal::AsioRedisConnection& connection) noexcept override;
  void SetLastError(boost::system::error_code ec);

  internal::Strand strand_;
  const RedisUrl url_;
  const RedisAsyncClientOptions options_;
  std::atomic<bool> connected_{false};
  std::atomic<bool> stopped_{false};
  mutable std::mutex last_error_mutex_;
  boost::system::error_code last_error_;

  // Strand-only state.
  net::ip::tcp::resolver resolver_;
  net::steady_timer reconnect_timer_;
  net::steady_timer watchdog_;
  bool watchdog_armed_ = false;
  net::steady_timer health_timer_;
  std::chrono::milliseconds delay_;
  std::minstd_rand rng_;
  std::shared_ptr<internal::AsioRedisConnection> connection_;
  bool attempt_failed_ = false;  // this connection's failure reason is already recorded
  bool destroying_ = false;      // ~Impl: drop completions instead of posting them
  std::deque<std::unique_ptr<Pending>> pending_;
};

}  // namespace signet::store

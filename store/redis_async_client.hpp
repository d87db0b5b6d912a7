#pragma once
// The Redis client of the request path: hiredis async on the server's Asio event loop, so no
// I/O thread ever blocks on Redis.
//
// One connection, pipelined: any number of coroutines (on any thread running the
// io_context) may have commands in flight; all hiredis access is serialised on a strand.
// Failure is quick and bounded, so that a request needing shared state can answer 503
// instead of hanging:
//  * every command has a deadline (command_timeout, default 250 ms). When the oldest
//    command misses it (a hung or SIGSTOPped Redis), it fails with kTimeout, the connection
//    is considered broken and dropped, and the commands behind it fail with kUnavailable;
//  * when the connection is lost every pending command fails with kUnavailable;
//  * while disconnected, Command fails at once with kUnavailable (nothing is queued), and a
//    background loop reconnects with exponential back-off (50 ms doubling to 2 s, jittered),
//    sending AUTH / SELECT / PING before commands are accepted again. Redis coming back is
//    picked up without a restart.
//  * an idle connection is PINGed every second, so connected() (for /readyz) also notices a
//    Redis that hangs or disappears while no request needs it.
// A Redis error reply (-ERR ...) is a successful RedisReply of type kError.
// options.observer (store/redis_client_observer.hpp) hears every caller command's outcome
// and latency and the connection state changes, for metrics.
//
// Usage (from a coroutine on the io_context):
//   store::RedisAsyncClient redis(io.get_executor(), url);
//   auto reply = co_await redis.Command("SET", key, value, "PX", "60000");
//   if (!reply) co_return Unavailable(reply.error());   // kUnavailable, kTimeout, ...
//
// The bytes the arguments point to are read before the command completes and must stay
// valid until then: pass them in the co_await expression itself (the views themselves are
// copied when Command is called).
//
// Shutdown: Stop() (also run by the destructor) closes the connection, fails the pending
// commands with kStopped and ends the reconnect loop; it returns at once and the remaining
// work finishes on the io_context, which should keep running until its handlers are done
// (if it is destroyed instead, the connection is closed and pending commands are dropped
// unrun). No completion ever touches the client object, so destroying it with commands in
// flight (or created and not yet started) is safe: they fail with kStopped.

#include <array>
#include <chrono>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "store/errc.hpp"
#include "store/redis_client_observer.hpp"
#include "store/redis_reply.hpp"
#include "store/redis_url.hpp"

namespace signet::store {

struct RedisAsyncClientOptions {
  std::chrono::milliseconds command_timeout{250};
  // TCP connect plus the AUTH/SELECT/PING handshake.
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds reconnect_initial_delay{50};
  std::chrono::milliseconds reconnect_max_delay{2000};
  // An idle connection is PINGed this often (0: never), so that a hung or vanished Redis
  // turns connected() false before a request needs it.
  std::chrono::milliseconds health_check_interval{1000};
  // Back-pressure: beyond this many commands in flight, Command fails with kTooManyPending.
  std::size_t max_pending = 10000;
  // Told about each command and connection change (on the client's strand); empty: nobody.
  RedisClientObserver observer{};
};

class RedisAsyncClient {
 public:
  // Starts connecting in the background at once. `executor` is the server's io_context
  // executor (the client makes its own strand on it).
  RedisAsyncClient(boost::asio::any_io_executor executor, RedisUrl url,
                   RedisAsyncClientOptions options = {});
  ~RedisAsyncClient();  // Stop()
  RedisAsyncClient(const RedisAsyncClient&) = delete;
  RedisAsyncClient& operator=(const RedisAsyncClient&) = delete;

  // Sends one command (binary-safe arguments, never formatted into a string) and waits for
  // its reply. Errors: kUnavailable, kTimeout, kStopped, kTooManyPending, kEmptyCommand.
  [[nodiscard]] boost::asio::awaitable<Result<RedisReply>> Command(
      std::span<const std::string_view> args);
  // Command("SET", key, value): each argument anything convertible to string_view. (No
  // initializer_list overload: GCC 12 rejects a braced list inside a co_await expression.)
  // Not a coroutine: the span overload copies the views before this array goes away.
  template <class... Args>
  requires(sizeof...(Args) > 0 && (std::is_convertible_v<const Args&, std::string_view> && ...))
      [[nodiscard]] boost::asio::awaitable<Result<RedisReply>> Command(const Args&... args) {
    const std::array<std::string_view, sizeof...(Args)> argv{std::string_view(args)...};
    return Command(std::span<const std::string_view>(argv));
  }

  // True between a successful handshake and the next connection loss (for /readyz).
  bool connected() const noexcept;
  // Why the last connection attempt or connection failed (kAuthFailed, kTimeout, ...);
  // empty while connected. For log lines; never contains the password.
  boost::system::error_code last_error() const;
  // Idempotent, callable from any thread.
  void Stop();
  // "redis 127.0.0.1:6379/0" (never the password).
  std::string Describe() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;  // shared with the handlers still queued on the io_context
};

}  // namespace signet::store

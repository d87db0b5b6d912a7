#pragma once
// What RedisAsyncClient (store/redis_async_client.hpp) reports about itself: each command's
// outcome and latency, and the connection coming and going. store/ knows nothing of metrics;
// the server turns these events into Prometheus series (server/metrics_redis.cpp).
//
// Label values must stay bounded, so a command is named by its first argument upper-cased
// only when it is one of the commands signet sends (kRedisCommandNames); anything else is
// "OTHER". No key, argument or reply text is ever passed on.
//
// Usage:
//   store::RedisAsyncClientOptions options;
//   options.observer.on_command = [](const store::RedisCommandEvent& e) { ... };
//   options.observer.on_connection = [](store::RedisConnectionEvent e) { ... };
//   store::RedisAsyncClient redis(executor, url, options);
//
// Both callbacks run on the client's strand (never two at once for one client), must not
// throw and must not block; what they capture must outlive the io_context's handlers. Nothing
// is reported once Stop() was called (shutdown is not an outage).

#include <array>
#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

namespace signet::store {

// The commands signet's stores send (store/redis_*.cpp), sorted; "OTHER" stands for
// everything else. (The handshake and the idle health check are not caller commands and are
// not reported.)
inline constexpr std::array<std::string_view, 12> kRedisCommandNames = {
    "DEL",     "EVAL", "EVALSHA", "EXEC",  "GET",  "HGET",
    "HGETALL", "HSET", "INCR",    "MULTI", "PING", "SET"};
inline constexpr std::string_view kOtherRedisCommand = "OTHER";

// `first_argument` upper-cased when it is in kRedisCommandNames, else "OTHER". The result
// views a constant (never the argument).
[[nodiscard]] std::string_view RedisCommandName(std::string_view first_argument) noexcept;

enum class RedisCommandOutcome {
  kOk,           // any reply but an error reply (nil included)
  kErrorReply,   // Redis answered -ERR ... (a script error, WRONGTYPE, ...)
  kTimeout,      // no reply within command_timeout: the connection is dropped
  kUnavailable,  // not connected, connection lost before the reply, or too many pending
};
// "ok", "error", "timeout", "unavailable" (the metrics' `result` label).
[[nodiscard]] std::string_view RedisCommandOutcomeName(RedisCommandOutcome outcome) noexcept;

struct RedisCommandEvent {
  std::string_view command;  // from kRedisCommandNames or "OTHER"
  RedisCommandOutcome outcome;
  // From the command written to the connection to its completion; empty when it was refused
  // without reaching Redis (disconnected, too many pending).
  std::optional<std::chrono::nanoseconds> latency;
};

enum class RedisConnectionEvent {
  kConnected,     // the handshake (AUTH / SELECT / PING) succeeded: commands are accepted
  kDisconnected,  // a ready connection was lost, timed out or found hung
};

struct RedisClientObserver {
  std::function<void(const RedisCommandEvent&)> on_command{};  // commands of callers only
  std::function<void(RedisConnectionEvent)> on_connection{};
};

}  // namespace signet::store

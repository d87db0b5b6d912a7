#pragma once
// A BLOCKING Redis client for the places that may block: the CLI and the key manager's
// background thread (keys/key_repository.hpp). Never use it on an I/O thread; the server's
// request path uses RedisAsyncClient (store/redis_async_client.hpp).
//
// It connects lazily (or on Connect()), sends AUTH and SELECT as the URL asks, and runs one
// command at a time with a socket timeout. After any transport error the connection is
// dropped and the NEXT call connects again; a failed command is never retried, since it may
// not be idempotent. Arguments go to Redis as binary-safe bulk strings (redisCommandArgv):
// no user data is ever formatted into a command string.
//
// Not thread-safe: one thread at a time.
//
// Usage:
//   store::RedisSyncClient redis(*store::ParseRedisUrl(url));
//   auto reply = redis.Command("HGET", "signet:keys", kid);
//   if (!reply) return reply.error();        // kUnavailable, kTimeout, kAuthFailed, ...

#include <array>
#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "store/errc.hpp"
#include "store/redis_reply.hpp"
#include "store/redis_url.hpp"

struct redisContext;  // hiredis/hiredis.h

namespace signet::store {

struct RedisSyncClientOptions {
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds command_timeout{2000};  // per read/write on the socket
};

class RedisSyncClient {
 public:
  explicit RedisSyncClient(RedisUrl url, RedisSyncClientOptions options = {});
  ~RedisSyncClient();
  RedisSyncClient(const RedisSyncClient&) = delete;
  RedisSyncClient& operator=(const RedisSyncClient&) = delete;
  RedisSyncClient(RedisSyncClient&&) noexcept;
  RedisSyncClient& operator=(RedisSyncClient&&) noexcept;

  // Connects (TCP, AUTH, SELECT) unless connected. kUnavailable when Redis cannot be reached,
  // kTimeout, kAuthFailed, kSelectFailed.
  [[nodiscard]] Result<void> Connect();
  // One command; connects first when needed. A Redis error reply is a RedisReply of type
  // kError, not an error here.
  [[nodiscard]] Result<RedisReply> Command(std::span<const std::string_view> args);
  // Command("HGET", key, field): each argument anything convertible to string_view.
  template <class... Args>
  requires(sizeof...(Args) > 0 && (std::is_convertible_v<const Args&, std::string_view> && ...))
      [[nodiscard]] Result<RedisReply> Command(const Args&... args) {
    const std::array<std::string_view, sizeof...(Args)> argv{std::string_view(args)...};
    return Command(std::span<const std::string_view>(argv));
  }

  bool connected() const noexcept { return context_ != nullptr; }
  // "redis 127.0.0.1:6379/0" (never the password).
  std::string Describe() const { return "redis " + url_.Describe(); }

 private:
  struct ContextDeleter {
    void operator()(redisContext* context) const noexcept;
  };
  using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

  [[nodiscard]] Result<RedisReply> Send(std::span<const std::string_view> args);
  [[nodiscard]] Result<void> Handshake();

  RedisUrl url_;
  RedisSyncClientOptions options_;
  ContextPtr context_;  // null while disconnected
};

}  // namespace signet::store

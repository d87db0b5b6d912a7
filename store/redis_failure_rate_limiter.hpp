#pragma once
// The FailureRateLimiter in Redis, shared by every replica so that a guesser cannot spread
// attempts over them (issue 5), over the async client.
//
// Layout (prefix "signet:" by default):
//   signet:fail:<key>  sorted set  one member per failure, scored by its time (unix ms);
//                                  PEXPIRE the window after each failure, so an idle key
//                                  disappears by itself
// <key> is the caller's key when it has at most 64 bytes of [A-Za-z0-9:._@-], else
// "h:" + hex(SHA-256(key)): no username reaches a key name verbatim beyond that
// (store/internal/redis_key_name.hpp). A set keeps at most max_failures members (the newest;
// the older ones cannot change when the key is let in again).
//
// Each call is one Lua script (ZREMRANGEBYSCORE, ZCARD, ZADD, PEXPIRE; atomic, one round
// trip). Failure times come from the caller's `now`, so replicas should keep their clocks in
// sync (NTP); the key's TTL runs on Redis's clock.
//
// Usage:
//   store::RedisFailureRateLimiter limiter(redis_async_client);
//   auto check = co_await limiter.RecordFailure("user:" + username, limit, now);

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "store/failure_rate_limiter.hpp"
#include "store/redis_async_client.hpp"

namespace signet::store {

class RedisFailureRateLimiter final : public FailureRateLimiter {
 public:
  // `client` must outlive this limiter.
  explicit RedisFailureRateLimiter(RedisAsyncClient& client, std::string prefix = "signet:");

  [[nodiscard]] boost::asio::awaitable<Result<FailureCheck>> Check(std::string key,
                                                                   FailureLimit limit,
                                                                   WallTime now) override;
  [[nodiscard]] boost::asio::awaitable<Result<FailureCheck>> RecordFailure(std::string key,
                                                                           FailureLimit limit,
                                                                           WallTime now) override;

  // The Redis key that holds `key`'s failures, for tests and operators.
  std::string RedisKey(std::string_view key) const;

 private:
  RedisAsyncClient& client_;
  std::string key_prefix_;  // "signet:fail:"
  // Members must be unique even for two failures in the same millisecond on two replicas:
  // "<ms>:<random instance id>:<counter>".
  std::string instance_id_;
  std::atomic<std::uint64_t> counter_{0};
};

}  // namespace signet::store

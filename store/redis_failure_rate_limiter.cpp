#include "store/redis_failure_rate_limiter.hpp"

#include <random>

#include "store/internal/failure_window.hpp"
#include "store/internal/redis_key_name.hpp"

namespace signet::store {
namespace {

namespace net = boost::asio;

// The shared tail of both scripts: blocked while at least max failures are in the window,
// until the max-th newest leaves it. Returns {count, ms until free (0: not blocked)}.
#define SIGNET_LUA_FAILURE_STATE                                              \
  "local count = redis.call('ZCARD', KEYS[1])\n"                              \
  "if count < max then return {count, 0} end\n"                               \
  "local deciding = redis.call('ZRANGE', KEYS[1], count - max, count - max, " \
  "'WITHSCORES')\n"                                                           \
  "return {count, tonumber(deciding[2]) + window - now}\n"

// KEYS: the set. ARGV: now (ms), window (ms), max failures.
constexpr std::string_view kCheck = R"lua(
local now, window, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
)lua" SIGNET_LUA_FAILURE_STATE;

// KEYS: the set. ARGV: now (ms), window (ms), max failures, unique member.
constexpr std::string_view kRecordFailure = R"lua(
local now, window, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
local size = redis.call('ZCARD', KEYS[1])
if size > max then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, size - max - 1) end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
)lua" SIGNET_LUA_FAILURE_STATE;

#undef SIGNET_LUA_FAILURE_STATE

Result<FailureCheck> ParseState(const Result<RedisReply>& reply) {
  if (!reply) return reply.error();
  if (reply->IsError()) return Errc::kServerError;
  const auto& items = reply->elements();
  if (reply->type() != RedisReply::Type::kArray || items.size() != 2 ||
      items[0].type() != RedisReply::Type::kInteger ||
      items[1].type() != RedisReply::Type::kInteger) {
    return Errc::kReplyType;
  }
  return internal::MakeFailureCheck(items[0].integer(), items[1].integer());
}

std::string RandomInstanceId() {
  std::random_device device;
  std::uniform_int_distribution<std::uint64_t> any;
  return std::to_string(any(device));
}

}  // namespace

RedisFailureRateLimiter::RedisFailureRateLimiter(RedisAsyncClient& client, std::string prefix)
    : client_(client), key_prefix_(prefix + "fail:"), instance_id_(RandomInstanceId()) {}

std::string RedisFailureRateLimiter::RedisKey(std::string_view key) const {
  return key_prefix_ + internal::SafeKeyPart(key);
}

net::awaitable<Result<FailureCheck>> RedisFailureRateLimiter::Check(std::string key,
                                                                    FailureLimit limit,
                                                                    WallTime now) {
  const std::string redis_key = RedisKey(key);
  const std::string now_ms = std::to_string(internal::ToUnixMillis(now));
  const std::string window_ms = std::to_string(internal::WindowMillis(limit));
  const std::string max = std::to_string(internal::MaxFailures(limit));
  co_return ParseState(
      co_await client_.Command("EVAL", kCheck, "1", redis_key, now_ms, window_ms, max));
}

net::awaitable<Result<FailureCheck>> RedisFailureRateLimiter::RecordFailure(std::string key,
                                                                            FailureLimit limit,
                                                                            WallTime now) {
  const std::string redis_key = RedisKey(key);
  const std::string now_ms = std::to_string(internal::ToUnixMillis(now));
  const std::string window_ms = std::to_string(internal::WindowMillis(limit));
  const std::string max = std::to_string(internal::MaxFailures(limit));
  const std::string member = now_ms + ":" + instance_id_ + ":" + std::to_string(++counter_);
  co_return ParseState(co_await client_.Command("EVAL", kRecordFailure, "1", redis_key, now_ms,
                                                window_ms, max, member));
}

}  // namespace signet::store

// SharedState's revocation pruner (issue 5): expired revocations go without any feed reader,
// and the pruner ends cleanly whichever of the state and the io_context goes first.

#include "server/shared_state.hpp"

#include <chrono>
#include <future>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "store/redis_sync_client.hpp"
#include "store/redis_url.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/unit/store/async_test_support.hpp"

namespace signet::server {
namespace {

using namespace std::chrono_literals;
using store::Eventually;
using store::IoThreads;

constexpr SharedStateOptions kFastPruning{.prune_interval = 5ms};

config::Config ConfigWithRedis(std::string url) {
  config::Config config;
  config.redis.url = std::move(url);
  return config;
}

std::unique_ptr<SharedState> MakeState(const config::Config& config, IoThreads& io) {
  auto state = SharedState::Create(config, io.executor(), kFastPruning);
  if (!state) {
    ADD_FAILURE() << state.error();
    return nullptr;
  }
  return std::move(*state);
}

// Whether `jti` is still stored: asked for a moment long before its keep_until, so only its
// removal answers false (the contract tests show that pruned entries answer false).
bool Stored(IoThreads& io, SharedState& state, const std::string& jti) {
  const auto long_ago = std::chrono::system_clock::now() - 24h;
  return io.Run(state.revocations().IsRevoked(jti, "", long_ago, long_ago)).value();
}

// Lets the io_context run out of work; false if something (a pruner that did not stop)
// still keeps it busy after a generous limit.
bool JoinsWithoutTheState(IoThreads& io) {
  auto joined = std::async(std::launch::async, [&io] { io.Join(); });
  if (joined.wait_for(10s) == std::future_status::ready) return true;
  io.io().stop();  // unblock the join so the test fails instead of hanging
  return false;
}

TEST(SharedStatePruner, Memory_RemovesExpiredRevocationsWithoutAnyFeedReader) {
  IoThreads io(2);
  auto state = MakeState(config::Config{}, io);
  ASSERT_TRUE(state);
  const auto now = std::chrono::system_clock::now();
  ASSERT_TRUE(io.Run(state->revocations().RevokeJti("expired", now - 1h)));
  ASSERT_TRUE(io.Run(state->revocations().RevokeJti("in-force", now + 1h)));
  EXPECT_TRUE(Eventually([&] { return !Stored(io, *state, "expired"); }));
  EXPECT_TRUE(Stored(io, *state, "in-force"));
  state.reset();
  EXPECT_TRUE(JoinsWithoutTheState(io));
}

TEST(SharedStatePruner, Memory_DestroyedAfterTheIoContextStopped) {
  IoThreads io(2);
  auto state = MakeState(config::Config{}, io);
  ASSERT_TRUE(state);
  io.io().stop();  // as the server's shutdown does; the pruner stays suspended
  io.Join();
  state.reset();  // touches nothing that runs; the frame goes with the io_context
}

TEST(SharedStatePruner, Redis_RemovesExpiredRevocationsFromRedis) {
  test_support::RedisServer redis;
  IoThreads io(2);
  auto state = MakeState(ConfigWithRedis(redis.url()), io);
  ASSERT_TRUE(state);
  store::RedisSyncClient admin(store::ParseRedisUrl(redis.url()).value());
  const auto now = std::chrono::system_clock::now();
  // Written directly: the pruner could otherwise prune before the first check.
  const std::string past = std::to_string(store::ToUnixSeconds(now - 1h));
  const std::string future = std::to_string(store::ToUnixSeconds(now + 1h));
  ASSERT_TRUE(admin.Command("ZADD", "signet:revoked:jti", past, "expired", future, "in-force"));
  ASSERT_TRUE(admin.Command("HSET", "signet:revoked:sub", "alice", past));
  ASSERT_TRUE(admin.Command("ZADD", "signet:revoked:sub:until", past, "alice"));
  EXPECT_TRUE(Eventually([&] {
    auto left = admin.Command("ZCARD", "signet:revoked:jti");
    if (!left) return false;
    auto count = left->AsInteger();
    return count && *count == 1;
  }));
  EXPECT_EQ(admin.Command("ZSCORE", "signet:revoked:jti", "in-force")->AsString().value(), future);
  EXPECT_EQ(admin.Command("HLEN", "signet:revoked:sub")->AsInteger().value(), 0);
  EXPECT_EQ(admin.Command("ZCARD", "signet:revoked:sub:until")->AsInteger().value(), 0);
  state.reset();
  EXPECT_TRUE(JoinsWithoutTheState(io));
}

// Redis away: every prune fails (logged at debug); the state still goes cleanly.
TEST(SharedStatePruner, Redis_DestroyedWhileRedisIsDown) {
  test_support::RedisServer redis;
  IoThreads io(2);
  auto state = MakeState(ConfigWithRedis(redis.url()), io);
  ASSERT_TRUE(state);
  redis.Stop();
  ASSERT_FALSE(io.Run(state->revocations().Revision()));  // the stores fail now
  state.reset();
  EXPECT_TRUE(JoinsWithoutTheState(io));
}

}  // namespace
}  // namespace signet::server

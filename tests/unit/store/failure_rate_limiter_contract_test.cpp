// One contract for every FailureRateLimiter (House style 23): the in-memory limiter of a
// single node and the Redis limiter of a cluster (on a real redis-server, 2 I/O threads).
// Time is injected (`now`); no test sleeps.

#include <chrono>
#include <future>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "store/memory_failure_rate_limiter.hpp"
#include "store/redis_async_client.hpp"
#include "store/redis_failure_rate_limiter.hpp"
#include "store/redis_sync_client.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/unit/store/async_test_support.hpp"
#include "tests/unit/store/store_environments.hpp"

namespace signet::store {
namespace {

namespace net = boost::asio;
using namespace std::chrono_literals;

const WallTime kT0 = FromUnixSeconds(1'800'000'000);
const FailureLimit kThreePerMinute{.max_failures = 3, .window = 60s};

// `prefix` followed by exactly 64 lower-case hex digits (a hex SHA-256). No std::regex: GCC
// 12 warns inside <regex> under the sanitizers.
bool IsPrefixAndHexSha256(std::string_view key, std::string_view prefix) {
  if (!key.starts_with(prefix) || key.size() != prefix.size() + 64) return false;
  return key.substr(prefix.size()).find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

using MemoryEnvironment = MemoryStoreEnvironment<FailureRateLimiter, MemoryFailureRateLimiter>;
using RedisEnvironment = RedisStoreEnvironment<FailureRateLimiter, RedisFailureRateLimiter>;

template <class Environment>
class FailureRateLimiterContract : public ::testing::Test {
 protected:
  FailureCheck Check(const std::string& key, WallTime now, FailureLimit limit = kThreePerMinute) {
    auto check = io_.Run(environment_.store().Check(key, limit, now));
    EXPECT_TRUE(check) << check.error().message();
    return check ? *check : FailureCheck{};
  }
  FailureCheck Fail(const std::string& key, WallTime now, FailureLimit limit = kThreePerMinute) {
    auto check = io_.Run(environment_.store().RecordFailure(key, limit, now));
    EXPECT_TRUE(check) << check.error().message();
    return check ? *check : FailureCheck{};
  }

  IoThreads io_{2};
  Environment environment_{io_};
};

using Environments = ::testing::Types<MemoryEnvironment, RedisEnvironment>;
TYPED_TEST_SUITE(FailureRateLimiterContract, Environments);

TYPED_TEST(FailureRateLimiterContract, Check_UnknownKeyIsNotBlocked) {
  const FailureCheck check = this->Check("user:alice", kT0);
  EXPECT_FALSE(check.blocked());
  EXPECT_EQ(check.failures, 0u);
}

TYPED_TEST(FailureRateLimiterContract, RecordFailure_UnderTheLimitIsNotBlocked) {
  EXPECT_EQ(this->Fail("user:alice", kT0).failures, 1u);
  const FailureCheck second = this->Fail("user:alice", kT0 + 1s);
  EXPECT_FALSE(second.blocked());
  EXPECT_EQ(second.failures, 2u);
  const FailureCheck check = this->Check("user:alice", kT0 + 2s);
  EXPECT_FALSE(check.blocked());
  EXPECT_EQ(check.retry_after, 0s);
  EXPECT_EQ(check.failures, 2u);
}

TYPED_TEST(FailureRateLimiterContract, RecordFailure_AtTheLimitBlocksUntilTheOldestLeaves) {
  this->Fail("user:alice", kT0);
  this->Fail("user:alice", kT0 + 10s);
  const FailureCheck third = this->Fail("user:alice", kT0 + 20s);
  EXPECT_TRUE(third.blocked());
  EXPECT_EQ(third.failures, 3u);
  EXPECT_EQ(third.retry_after, 40s);  // the failure at kT0 leaves at kT0 + 60 s
  EXPECT_EQ(this->Check("user:alice", kT0 + 30s).retry_after, 30s);
  EXPECT_EQ(this->Check("user:alice", kT0 + 59s + 500ms).retry_after, 1s);  // rounded up
  const FailureCheck free = this->Check("user:alice", kT0 + 60s);
  EXPECT_FALSE(free.blocked());
  EXPECT_EQ(free.failures, 2u);
}

TYPED_TEST(FailureRateLimiterContract, Check_RetryAfterIsRoundedUpToWholeSeconds) {
  const FailureLimit one{.max_failures = 1, .window = 10s};
  this->Fail("ip:192.0.2.1", kT0 + 250ms, one);
  EXPECT_EQ(this->Check("ip:192.0.2.1", kT0 + 1s, one).retry_after, 10s);  // 9.25 s left
  EXPECT_EQ(this->Check("ip:192.0.2.1", kT0 + 10s + 249ms, one).retry_after, 1s);
  EXPECT_FALSE(this->Check("ip:192.0.2.1", kT0 + 10s + 250ms, one).blocked());
}

TYPED_TEST(FailureRateLimiterContract, Window_SlidesOneAttemptAtATime) {
  this->Fail("user:alice", kT0);
  this->Fail("user:alice", kT0 + 10s);
  this->Fail("user:alice", kT0 + 20s);
  ASSERT_FALSE(this->Check("user:alice", kT0 + 60s).blocked());
  // One more attempt, and it fails: blocked again until the kT0 + 10 s failure leaves.
  const FailureCheck again = this->Fail("user:alice", kT0 + 60s);
  EXPECT_TRUE(again.blocked());
  EXPECT_EQ(again.retry_after, 10s);
  EXPECT_FALSE(this->Check("user:alice", kT0 + 70s).blocked());
  EXPECT_EQ(this->Check("user:alice", kT0 + 70s).failures, 2u);
}

TYPED_TEST(FailureRateLimiterContract, RecordFailure_WhileBlockedKeepsItBlocked) {
  for (int i = 0; i < 5; ++i) this->Fail("user:alice", kT0 + std::chrono::seconds(i));
  // The newest three (at 2, 3, 4 s) decide: free when the one at 2 s leaves.
  EXPECT_EQ(this->Check("user:alice", kT0 + 5s).retry_after, 57s);
  EXPECT_TRUE(this->Check("user:alice", kT0 + 61s).blocked());
  EXPECT_FALSE(this->Check("user:alice", kT0 + 62s).blocked());
}

TYPED_TEST(FailureRateLimiterContract, Keys_AreIndependent) {
  for (int i = 0; i < 3; ++i) this->Fail("user:alice", kT0);
  EXPECT_TRUE(this->Check("user:alice", kT0).blocked());
  const FailureCheck bob = this->Check("user:bob", kT0);
  EXPECT_FALSE(bob.blocked());
  EXPECT_EQ(bob.failures, 0u);
  EXPECT_FALSE(this->Fail("ip:192.0.2.1", kT0).blocked());
}

TYPED_TEST(FailureRateLimiterContract, Keys_LongAndOddKeysAreCountedApart) {
  const std::string long_a = "user:" + std::string(500, 'x') + "a";
  const std::string long_b = "user:" + std::string(500, 'x') + "b";
  const std::string odd = "user:al ice\r\n*?[]\xff";
  for (int i = 0; i < 3; ++i) this->Fail(long_a, kT0);
  this->Fail(odd, kT0);
  EXPECT_TRUE(this->Check(long_a, kT0).blocked());
  EXPECT_EQ(this->Check(long_b, kT0).failures, 0u);
  EXPECT_EQ(this->Check(odd, kT0).failures, 1u);
  EXPECT_EQ(this->Check("user:al ice", kT0).failures, 0u);
}

TYPED_TEST(FailureRateLimiterContract, RecordFailure_ConcurrentFailuresAreAllCounted) {
  constexpr int kCount = 50;
  const FailureLimit many{.max_failures = 100, .window = 60s};
  std::vector<std::future<Result<FailureCheck>>> done;
  for (int i = 0; i < kCount; ++i) {
    done.push_back(net::co_spawn(
        this->io_.io(), this->environment_.store().RecordFailure("user:alice", many, kT0),
        net::use_future));
  }
  for (auto& f : done) ASSERT_TRUE(f.get());
  EXPECT_EQ(this->Check("user:alice", kT0, many).failures, static_cast<std::uint32_t>(kCount));
}

// The memory twin drops keys whose window is empty once the map has grown.
TEST(MemoryFailureRateLimiter, DropsEmptyWindowsWhenItGrows) {
  IoThreads io(1);
  MemoryFailureRateLimiter limiter;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(io.Run(limiter.RecordFailure("ip:old-" + std::to_string(i), kThreePerMinute, kT0)));
  }
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(
        io.Run(limiter.RecordFailure("ip:new-" + std::to_string(i), kThreePerMinute, kT0 + 2min)));
  }
  EXPECT_LE(limiter.key_count(), 1000u + 1000u / 2);
  EXPECT_EQ(io.Run(limiter.Check("ip:new-999", kThreePerMinute, kT0 + 2min))->failures, 1u);
}

class RedisFailureRateLimiterTest : public RedisStoreTest<RedisFailureRateLimiter> {
};

TEST_F(RedisFailureRateLimiterTest, KeyExpiresWithinTheWindow) {
  ASSERT_TRUE(io_.Run(store_.RecordFailure("user:alice", kThreePerMinute, kT0)));
  const std::int64_t ttl = Pttl("signet:fail:user:alice");
  EXPECT_GT(ttl, 0);
  EXPECT_LE(ttl, 60'000);
}

TEST_F(RedisFailureRateLimiterTest, LongOrOddKeysAreHashedInTheKeyName) {
  EXPECT_EQ(store_.RedisKey("user:alice@example.com"), "signet:fail:user:alice@example.com");
  const std::string odd = "user:al ice\n*";
  const std::string long_key = "user:" + std::string(60, 'x');  // 65 bytes
  EXPECT_TRUE(IsPrefixAndHexSha256(store_.RedisKey(odd), "signet:fail:h:"));
  EXPECT_TRUE(IsPrefixAndHexSha256(store_.RedisKey(long_key), "signet:fail:h:"));
  EXPECT_EQ(store_.RedisKey(std::string(64, 'k')), "signet:fail:" + std::string(64, 'k'));
  ASSERT_TRUE(io_.Run(store_.RecordFailure(odd, kThreePerMinute, kT0)));
  auto keys = sync_.Command("KEYS", "*");
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->elements().size(), 1u);
  EXPECT_EQ(keys->elements()[0].str(), store_.RedisKey(odd));
}

// Without Redis the answer is an error (the server's 503), never "not blocked".
TEST_F(RedisFailureRateLimiterTest, FailsUnavailableWhileRedisIsDown) {
  redis_.Stop();
  ASSERT_TRUE(Eventually([&] { return !client_.connected(); }));
  auto check = io_.Run(store_.Check("user:alice", kThreePerMinute, kT0));
  ASSERT_FALSE(check);
  EXPECT_EQ(check.error(), Errc::kUnavailable);
  EXPECT_EQ(io_.Run(store_.RecordFailure("user:alice", kThreePerMinute, kT0)).error(),
            Errc::kUnavailable);
}

}  // namespace
}  // namespace signet::store

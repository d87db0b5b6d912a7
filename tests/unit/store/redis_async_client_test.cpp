#include "store/redis_async_client.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "store/redis_sync_client.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/unit/store/async_test_support.hpp"

namespace signet::store {
namespace {

namespace net = boost::asio;
using namespace std::chrono_literals;
using namespace std::string_literals;
using test_support::RedisServer;

RedisUrl UrlOf(const RedisServer& redis) { return ParseRedisUrl(redis.url()).value(); }

// Number of clients blocked in BLPOP, seen by a separate blocking client: lets a test wait
// until a command is really in flight on the server.
std::int64_t BlockedClients(const RedisServer& redis) {
  RedisSyncClient admin(UrlOf(redis));
  auto info = admin.Command("INFO", "clients");
  if (!info || info->type() != RedisReply::Type::kString) return -1;
  const std::string& text = info->str();
  const auto at = text.find("blocked_clients:");
  if (at == std::string::npos) return -1;
  return std::stoll(text.substr(at + 16));
}

class RedisAsyncClientTest : public ::testing::Test {
 protected:
  std::unique_ptr<RedisAsyncClient> Client(RedisAsyncClientOptions options = {}) {
    return std::make_unique<RedisAsyncClient>(io_.executor(), UrlOf(redis_), options);
  }
  static bool Connected(const RedisAsyncClient& client) {
    return Eventually([&] { return client.connected(); });
  }

  RedisServer redis_;
  IoThreads io_{2};
};

TEST_F(RedisAsyncClientTest, Command_SetGetRoundTripIsBinarySafe) {
  auto client = Client();
  ASSERT_TRUE(Connected(*client));
  const std::string value = "a\0b\r\n%s"s;
  auto set = io_.Run(client->Command("SET", "k", value));
  ASSERT_TRUE(set) << set.error().message();
  EXPECT_TRUE(set->ExpectStatus("OK"));
  auto get = io_.Run(client->Command("GET", "k"));
  ASSERT_TRUE(get);
  EXPECT_EQ(get->AsString().value(), value);
  auto missing = io_.Run(client->Command("GET", "nothing"));
  ASSERT_TRUE(missing);
  EXPECT_TRUE(missing->IsNil());
}

TEST_F(RedisAsyncClientTest, Command_ErrorReplyIsAValue) {
  auto client = Client();
  ASSERT_TRUE(Connected(*client));
  ASSERT_TRUE(io_.Run(client->Command("SET", "k", "text")));
  auto reply = io_.Run(client->Command("INCR", "k"));
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->IsError());
  EXPECT_EQ(reply->AsInteger().error(), Errc::kServerError);
}

TEST_F(RedisAsyncClientTest, Command_RejectsEmptyCommand) {
  auto client = Client();
  ASSERT_TRUE(Connected(*client));
  auto reply = io_.Run(client->Command(std::span<const std::string_view>()));
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error(), Errc::kEmptyCommand);
}

// 1000 commands in flight at once from 1000 coroutines on two threads, on one connection.
TEST_F(RedisAsyncClientTest, Command_PipelinesConcurrentCommandsFromManyCoroutines) {
  auto client = Client({.command_timeout = 5s});
  ASSERT_TRUE(Connected(*client));
  constexpr int kCommands = 1000;
  std::vector<std::future<bool>> done;
  done.reserve(kCommands);
  for (int i = 0; i < kCommands; ++i) {
    done.push_back(net::co_spawn(
        io_.io(),
        [&client, i]() -> net::awaitable<bool> {
          const std::string key = "key:" + std::to_string(i);
          const std::string value = "value:" + std::to_string(i);
          auto set = co_await client->Command("SET", key, value);
          auto incr = co_await client->Command("INCR", "counter");
          auto get = co_await client->Command("GET", key);
          co_return set&& incr&& get && get->AsString().value() == value;
        },
        net::use_future));
  }
  int ok = 0;
  for (auto& f : done) ok += f.get() ? 1 : 0;
  EXPECT_EQ(ok, kCommands);
  auto counter = io_.Run(client->Command("GET", "counter"));
  ASSERT_TRUE(counter);
  EXPECT_EQ(counter->AsString().value(), std::to_string(kCommands));
}

// Prints pipelined throughput (for the report; nothing is asserted about time).
TEST_F(RedisAsyncClientTest, Command_ManyPipelinedCommandsAllSucceed) {
  auto client = Client({.command_timeout = 10s});
  ASSERT_TRUE(Connected(*client));
  constexpr int kWorkers = 200;
  constexpr int kPerWorker = 250;
  std::atomic<int> ok{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::future<void>> done;
  for (int w = 0; w < kWorkers; ++w) {
    done.push_back(net::co_spawn(
        io_.io(),
        [&client, &ok]() -> net::awaitable<void> {
          for (int i = 0; i < kPerWorker; ++i) {
            auto reply = co_await client->Command("INCR", "n");
            if (reply && reply->type() == RedisReply::Type::kInteger) ++ok;
          }
        },
        net::use_future));
  }
  for (auto& f : done) f.get();
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
  EXPECT_EQ(ok.load(), kWorkers * kPerWorker);
  std::cout << "[ info ] " << kWorkers * kPerWorker << " INCR, " << kWorkers
            << " in flight: " << static_cast<long>(kWorkers * kPerWorker / seconds.count())
            << " commands/s\n";

  // One at a time: the round trip through strand, hiredis, Redis and back to the coroutine.
  constexpr int kSequential = 2000;
  const auto sequential_start = std::chrono::steady_clock::now();
  const int sequential_ok = io_.Run([&client]() -> net::awaitable<int> {
    int n = 0;
    for (int i = 0; i < kSequential; ++i) n += (co_await client->Command("PING")) ? 1 : 0;
    co_return n;
  }());
  const auto micros = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() -
                                                                sequential_start);
  EXPECT_EQ(sequential_ok, kSequential);
  std::cout << "[ info ] " << kSequential
            << " sequential PING: " << static_cast<long>(micros.count() / kSequential)
            << " us per round trip\n";
}

TEST_F(RedisAsyncClientTest, Command_TimesOutOnAPausedServerThenRecovers) {
  auto client = Client({.command_timeout = 100ms, .connect_timeout = 200ms});
  ASSERT_TRUE(Connected(*client));
  redis_.Pause();
  auto reply = io_.Run(client->Command("PING"));
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error(), Errc::kTimeout);
  EXPECT_FALSE(client->connected());
  EXPECT_EQ(client->last_error(), Errc::kTimeout);
  // While Redis hangs, commands fail at once instead of queueing behind it.
  auto fast = io_.Run(client->Command("PING"));
  ASSERT_FALSE(fast);
  EXPECT_EQ(fast.error(), Errc::kUnavailable);

  redis_.Resume();
  ASSERT_TRUE(Connected(*client));
  auto again = io_.Run(client->Command("PING"));
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_TRUE(again->ExpectStatus("PONG"));
}

// No command is sent: the idle health check alone notices the hang and the recovery.
TEST_F(RedisAsyncClientTest, HealthCheck_NoticesAHungRedisWhileIdle) {
  auto client =
      Client({.command_timeout = 100ms, .connect_timeout = 200ms, .health_check_interval = 50ms});
  ASSERT_TRUE(Connected(*client));
  redis_.Pause();
  ASSERT_TRUE(Eventually([&] { return !client->connected(); }));
  EXPECT_EQ(client->last_error(), Errc::kTimeout);
  redis_.Resume();
  ASSERT_TRUE(Connected(*client));
}

TEST_F(RedisAsyncClientTest, Command_FailsFastWhileRedisIsDown) {
  auto client = Client();
  ASSERT_TRUE(Connected(*client));
  redis_.Stop();
  ASSERT_TRUE(Eventually([&] { return !client->connected(); }));
  for (int i = 0; i < 3; ++i) {
    auto reply = io_.Run(client->Command("PING"));
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error(), Errc::kUnavailable);
  }
}

TEST_F(RedisAsyncClientTest, Reconnects_AfterARestartWithoutRestartingTheClient) {
  auto client = Client();
  ASSERT_TRUE(Connected(*client));
  ASSERT_TRUE(io_.Run(client->Command("SET", "k", "v")));
  redis_.Stop();
  ASSERT_TRUE(Eventually([&] { return !client->connected(); }));
  redis_.Start();
  ASSERT_TRUE(Connected(*client));
  auto reply = io_.Run(client->Command("PING"));
  ASSERT_TRUE(reply) << reply.error().message();
  EXPECT_TRUE(reply->ExpectStatus("PONG"));
}

TEST_F(RedisAsyncClientTest, Reconnects_AfterACrash) {
  auto client = Client();
  ASSERT_TRUE(Connected(*client));
  redis_.Kill();
  ASSERT_TRUE(Eventually([&] { return !client->connected(); }));
  redis_.Start();
  ASSERT_TRUE(Connected(*client));
  EXPECT_TRUE(io_.Run(client->Command("PING")));
}

TEST_F(RedisAsyncClientTest, ConnectionLoss_FailsCommandsInFlightAsUnavailable) {
  auto client = Client({.command_timeout = 30s});
  ASSERT_TRUE(Connected(*client));
  auto blocked = net::co_spawn(io_.io(), client->Command("BLPOP", "never", "0"), net::use_future);
  ASSERT_TRUE(Eventually([&] { return BlockedClients(redis_) == 1; }));
  redis_.Kill();
  auto reply = blocked.get();
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error(), Errc::kUnavailable);
}

TEST_F(RedisAsyncClientTest, Command_RefusesBeyondMaxPending) {
  auto client = Client({.command_timeout = 30s, .max_pending = 1});
  ASSERT_TRUE(Connected(*client));
  auto blocked = net::co_spawn(io_.io(), client->Command("BLPOP", "list", "0"), net::use_future);
  ASSERT_TRUE(Eventually([&] { return BlockedClients(redis_) == 1; }));
  auto refused = io_.Run(client->Command("PING"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), Errc::kTooManyPending);
  RedisSyncClient pusher(UrlOf(redis_));
  ASSERT_TRUE(pusher.Command("RPUSH", "list", "x"));
  auto popped = blocked.get();
  ASSERT_TRUE(popped) << popped.error().message();
  ASSERT_EQ(popped->elements().size(), 2u);
  EXPECT_EQ(popped->elements()[1].str(), "x");
}

TEST_F(RedisAsyncClientTest, Stop_FailsCommandsInFlightAndLaterOnes) {
  auto client = Client({.command_timeout = 30s});
  ASSERT_TRUE(Connected(*client));
  auto blocked = net::co_spawn(io_.io(), client->Command("BLPOP", "never", "0"), net::use_future);
  ASSERT_TRUE(Eventually([&] { return BlockedClients(redis_) == 1; }));
  client->Stop();
  auto reply = blocked.get();
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error(), Errc::kStopped);
  EXPECT_FALSE(client->connected());
  auto later = io_.Run(client->Command("PING"));
  ASSERT_FALSE(later);
  EXPECT_EQ(later.error(), Errc::kStopped);
}

// The destructor may run while commands are in flight: they complete (kStopped) and nothing
// touches the destroyed client afterwards (checked by the ASan build).
TEST_F(RedisAsyncClientTest, Destroy_WithCommandsInFlightIsSafe) {
  auto client = Client({.command_timeout = 30s});
  ASSERT_TRUE(Connected(*client));
  std::vector<std::future<Result<RedisReply>>> blocked;
  for (int i = 0; i < 3; ++i) {
    blocked.push_back(
        net::co_spawn(io_.io(), client->Command("BLPOP", "never", "0"), net::use_future));
  }
  ASSERT_TRUE(Eventually([&] { return BlockedClients(redis_) == 1; }));
  client.reset();
  for (auto& f : blocked) {
    auto reply = f.get();
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error(), Errc::kStopped);
  }
}

// An awaitable made before the client was destroyed and started after it.
TEST_F(RedisAsyncClientTest, Destroy_BeforeACreatedCommandStartsFailsItWithStopped) {
  auto client = Client();
  ASSERT_TRUE(Connected(*client));
  const std::string key = "k";
  auto command = client->Command("GET", key);
  client.reset();
  auto reply = io_.Run(std::move(command));
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error(), Errc::kStopped);
}

TEST_F(RedisAsyncClientTest, Destroy_WhileReconnectingIsSafe) {
  auto client = Client();
  ASSERT_TRUE(Connected(*client));
  redis_.Stop();
  ASSERT_TRUE(Eventually([&] { return !client->connected(); }));
  client.reset();
  io_.Join();  // every handler the client left behind finishes
}

TEST(RedisAsyncClient, NeverConnects_WhenNothingListens) {
  IoThreads io(2);
  RedisAsyncClient client(
      io.executor(),
      ParseRedisUrl("redis://127.0.0.1:" + std::to_string(test_support::FreeLoopbackPort()))
          .value());
  ASSERT_TRUE(Eventually([&] { return client.last_error() == Errc::kUnavailable; }));
  EXPECT_FALSE(client.connected());
  auto reply = io.Run(client.Command("PING"));
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error(), Errc::kUnavailable);
}

TEST(RedisAsyncClient, Connects_WithPasswordAndDatabase) {
  RedisServer redis({.password = "s3cret"});
  IoThreads io(2);
  RedisAsyncClient db2(
      io.executor(),
      ParseRedisUrl("redis://:s3cret@127.0.0.1:" + std::to_string(redis.port()) + "/2").value());
  ASSERT_TRUE(Eventually([&] { return db2.connected(); }));
  ASSERT_TRUE(io.Run(db2.Command("SET", "k", "two")));
  RedisSyncClient db0(UrlOf(redis));
  EXPECT_TRUE(db0.Command("GET", "k")->IsNil());
  auto get = io.Run(db2.Command("GET", "k"));
  ASSERT_TRUE(get);
  EXPECT_EQ(get->AsString().value(), "two");
}

TEST(RedisAsyncClient, WrongPassword_IsAuthFailedAndNeverConnected) {
  RedisServer redis({.password = "right"});
  IoThreads io(2);
  RedisAsyncClient client(
      io.executor(),
      ParseRedisUrl("redis://:wrong@127.0.0.1:" + std::to_string(redis.port())).value());
  ASSERT_TRUE(Eventually([&] { return client.last_error() == Errc::kAuthFailed; }));
  EXPECT_FALSE(client.connected());
}

TEST(RedisAsyncClient, MissingPassword_IsAuthFailed) {
  RedisServer redis({.password = "right"});
  IoThreads io(2);
  RedisAsyncClient client(
      io.executor(), ParseRedisUrl("redis://127.0.0.1:" + std::to_string(redis.port())).value());
  ASSERT_TRUE(Eventually([&] { return client.last_error() == Errc::kAuthFailed; }));
  EXPECT_FALSE(client.connected());
}

TEST(RedisAsyncClient, DescribeNamesNoPassword) {
  IoThreads io(1);
  RedisAsyncClient client(io.executor(), ParseRedisUrl("redis://:hunter2@127.0.0.1:1/3").value());
  EXPECT_EQ(client.Describe(), "redis 127.0.0.1:1/3");
}

}  // namespace
}  // namespace signet::store

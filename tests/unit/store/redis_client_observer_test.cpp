// RedisAsyncClient's observer (store/redis_client_observer.hpp) against a real redis-server:
// each caller command reported once with a bounded name and its outcome, connection changes
// reported as they happen, nothing after Stop().
#include "store/redis_client_observer.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "store/redis_async_client.hpp"
#include "store/redis_sync_client.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/unit/store/async_test_support.hpp"

namespace signet::store {
namespace {

using namespace std::chrono_literals;
using test_support::RedisServer;

// A number from INFO's "<field>:" or "<field>=" line, seen by a separate blocking client.
std::int64_t InfoField(const RedisServer& redis, const char* section, const std::string& field) {
  RedisSyncClient admin(ParseRedisUrl(redis.url()).value());
  auto info = admin.Command("INFO", section);
  if (!info || info->type() != RedisReply::Type::kString) return -1;
  const std::string& text = info->str();
  const auto at = text.find(field);
  if (at == std::string::npos) return 0;
  return std::stoll(text.substr(at + field.size()));
}

// What the observer heard, recorded from the client's strand and read by the test thread.
class Recorder {
 public:
  RedisClientObserver Observer() {
    return {.on_command =
                [this](const RedisCommandEvent& e) {
                  std::lock_guard lock(mutex_);
                  commands_.push_back(e);
                },
            .on_connection =
                [this](RedisConnectionEvent e) {
                  std::lock_guard lock(mutex_);
                  connections_.push_back(e);
                }};
  }
  std::vector<RedisCommandEvent> commands() const {
    std::lock_guard lock(mutex_);
    return commands_;
  }
  std::vector<RedisConnectionEvent> connections() const {
    std::lock_guard lock(mutex_);
    return connections_;
  }
  std::size_t Count(RedisCommandOutcome outcome) const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& e : commands_) n += e.outcome == outcome ? 1 : 0;
    return n;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<RedisCommandEvent> commands_;
  std::vector<RedisConnectionEvent> connections_;
};

class RedisClientObserverTest : public ::testing::Test {
 protected:
  // The recorder is declared before the threads: it outlives every handler they run.
  std::unique_ptr<RedisAsyncClient> Client(RedisAsyncClientOptions options = {}) {
    options.observer = recorder_.Observer();
    return std::make_unique<RedisAsyncClient>(io_.executor(), ParseRedisUrl(redis_.url()).value(),
                                              std::move(options));
  }
  static bool Connected(const RedisAsyncClient& client) {
    return Eventually([&] { return client.connected(); });
  }

  Recorder recorder_;
  RedisServer redis_;
  IoThreads io_{2};
};

TEST(RedisCommandName, KnownCommandsUpperCasedOthersBounded) {
  EXPECT_EQ(RedisCommandName("evalsha"), "EVALSHA");
  EXPECT_EQ(RedisCommandName("HGetAll"), "HGETALL");
  EXPECT_EQ(RedisCommandName("GET"), "GET");
  EXPECT_EQ(RedisCommandName("BLPOP"), "OTHER");
  EXPECT_EQ(RedisCommandName("FLUSHALL"), "OTHER");
  EXPECT_EQ(RedisCommandName("user:42"), "OTHER");
  EXPECT_EQ(RedisCommandName(""), "OTHER");
}

TEST(RedisCommandOutcomeName, LabelValues) {
  EXPECT_EQ(RedisCommandOutcomeName(RedisCommandOutcome::kOk), "ok");
  EXPECT_EQ(RedisCommandOutcomeName(RedisCommandOutcome::kErrorReply), "error");
  EXPECT_EQ(RedisCommandOutcomeName(RedisCommandOutcome::kTimeout), "timeout");
  EXPECT_EQ(RedisCommandOutcomeName(RedisCommandOutcome::kUnavailable), "unavailable");
}

TEST_F(RedisClientObserverTest, Command_ReportsNameOutcomeAndLatencyBeforeTheCallerResumes) {
  auto client = Client();
  ASSERT_TRUE(Connected(*client));
  ASSERT_TRUE(io_.Run(client->Command("set", "k", "text")));
  ASSERT_TRUE(io_.Run(client->Command("INCR", "k")));  // -ERR not an integer: a value
  ASSERT_TRUE(io_.Run(client->Command("ECHO", "secret-argument")));

  const auto commands = recorder_.commands();
  ASSERT_EQ(commands.size(), 3u);
  EXPECT_EQ(commands[0].command, "SET");
  EXPECT_EQ(commands[0].outcome, RedisCommandOutcome::kOk);
  ASSERT_TRUE(commands[0].latency.has_value());
  EXPECT_GE(commands[0].latency->count(), 0);
  EXPECT_EQ(commands[1].command, "INCR");
  EXPECT_EQ(commands[1].outcome, RedisCommandOutcome::kErrorReply);
  EXPECT_EQ(commands[2].command, "OTHER");
  EXPECT_EQ(commands[2].outcome, RedisCommandOutcome::kOk);
}

TEST_F(RedisClientObserverTest, HandshakeAndHealthChecksAreNotReported) {
  auto client = Client({.health_check_interval = 10ms});
  ASSERT_TRUE(Connected(*client));
  // The handshake PING and at least two idle PINGs have reached Redis.
  ASSERT_TRUE(
      Eventually([&] { return InfoField(redis_, "commandstats", "cmdstat_ping:calls=") >= 3; }));
  EXPECT_TRUE(recorder_.commands().empty());
  ASSERT_TRUE(io_.Run(client->Command("GET", "k")));
  ASSERT_EQ(recorder_.commands().size(), 1u);
  EXPECT_EQ(recorder_.commands()[0].command, "GET");
}

TEST_F(RedisClientObserverTest, Connection_ReportsConnectedLostAndBack) {
  auto client = Client();
  ASSERT_TRUE(Connected(*client));
  EXPECT_EQ(recorder_.connections(),
            std::vector<RedisConnectionEvent>{RedisConnectionEvent::kConnected});
  redis_.Stop();
  ASSERT_TRUE(Eventually([&] { return recorder_.connections().size() == 2; }));
  EXPECT_EQ(recorder_.connections()[1], RedisConnectionEvent::kDisconnected);

  // Refused at once while down: unavailable, without a latency (Redis never saw it).
  auto refused = io_.Run(client->Command("GET", "k"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), Errc::kUnavailable);
  ASSERT_TRUE(Eventually([&] { return recorder_.commands().size() == 1; }));
  EXPECT_EQ(recorder_.commands()[0].command, "GET");
  EXPECT_EQ(recorder_.commands()[0].outcome, RedisCommandOutcome::kUnavailable);
  EXPECT_FALSE(recorder_.commands()[0].latency.has_value());

  redis_.Start();
  ASSERT_TRUE(Eventually([&] { return recorder_.connections().size() == 3; }));
  EXPECT_EQ(recorder_.connections()[2], RedisConnectionEvent::kConnected);
}

TEST_F(RedisClientObserverTest, Timeout_ReportedAsTimeoutWithItsLatency) {
  auto client = Client({.command_timeout = 100ms, .connect_timeout = 200ms});
  ASSERT_TRUE(Connected(*client));
  redis_.Pause();
  auto reply = io_.Run(client->Command("EVAL", "return 1", "0"));
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error(), Errc::kTimeout);
  const auto commands = recorder_.commands();
  ASSERT_EQ(commands.size(), 1u);
  EXPECT_EQ(commands[0].command, "EVAL");
  EXPECT_EQ(commands[0].outcome, RedisCommandOutcome::kTimeout);
  ASSERT_TRUE(commands[0].latency.has_value());
  EXPECT_GE(*commands[0].latency, std::chrono::nanoseconds(100ms));
  ASSERT_TRUE(Eventually([&] {
    const auto connections = recorder_.connections();
    return connections.size() == 2 && connections[1] == RedisConnectionEvent::kDisconnected;
  }));
  redis_.Resume();
  ASSERT_TRUE(Connected(*client));
}

TEST_F(RedisClientObserverTest, ConnectionLoss_InFlightCommandReportedUnavailable) {
  auto client = Client({.command_timeout = 30s});
  ASSERT_TRUE(Connected(*client));
  auto blocked = boost::asio::co_spawn(io_.io(), client->Command("BLPOP", "never", "0"),
                                       boost::asio::use_future);
  // The command is in flight once Redis blocks on it; killing Redis then loses it.
  ASSERT_TRUE(Eventually([&] { return InfoField(redis_, "clients", "blocked_clients:") == 1; }));
  redis_.Kill();
  auto reply = blocked.get();
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error(), Errc::kUnavailable);
  const auto commands = recorder_.commands();
  ASSERT_EQ(commands.size(), 1u);
  EXPECT_EQ(commands[0].command, "OTHER");  // BLPOP is not a command signet sends
  EXPECT_EQ(commands[0].outcome, RedisCommandOutcome::kUnavailable);
  EXPECT_TRUE(commands[0].latency.has_value());  // it had been sent
}

TEST_F(RedisClientObserverTest, Stop_NothingReportedAfterwards) {
  auto client = Client();
  ASSERT_TRUE(Connected(*client));
  client->Stop();
  auto later = io_.Run(client->Command("GET", "k"));
  ASSERT_FALSE(later);
  EXPECT_EQ(later.error(), Errc::kStopped);
  client.reset();
  io_.Join();  // every handler has run
  EXPECT_TRUE(recorder_.commands().empty());
  EXPECT_EQ(recorder_.connections(),
            std::vector<RedisConnectionEvent>{RedisConnectionEvent::kConnected});
}

}  // namespace
}  // namespace signet::store

#include "store/redis_sync_client.hpp"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/redis_server.hpp"

namespace signet::store {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;

RedisUrl UrlOf(const test_support::RedisServer& redis) {
  return ParseRedisUrl(redis.url()).value();
}

RedisUrl UrlWith(const test_support::RedisServer& redis, std::string_view suffix) {
  return ParseRedisUrl("redis://" + redis.host() + ":" + std::to_string(redis.port()) +
                       std::string(suffix))
      .value();
}

RedisUrl UrlWithPassword(const test_support::RedisServer& redis, std::string_view userinfo) {
  return ParseRedisUrl("redis://" + std::string(userinfo) + "@" + redis.host() + ":" +
                       std::to_string(redis.port()))
      .value();
}

TEST(RedisSyncClient, Command_SetGetRoundTripIsBinarySafe) {
  test_support::RedisServer redis;
  RedisSyncClient client(UrlOf(redis));
  const std::string value = "a\0b\r\n%s %n"s;  // NUL, CRLF and format specifiers stay data
  auto set = client.Command("SET", "k", value);
  ASSERT_TRUE(set) << set.error().message();
  EXPECT_TRUE(set->ExpectStatus("OK"));
  auto get = client.Command("GET", "k");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->AsString().value(), value);
  EXPECT_TRUE(client.connected());
}

TEST(RedisSyncClient, Command_ErrorReplyIsAValue) {
  test_support::RedisServer redis;
  RedisSyncClient client(UrlOf(redis));
  ASSERT_TRUE(client.Command("SET", "k", "text"));
  auto reply = client.Command("INCR", "k");
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->IsError());
  EXPECT_EQ(reply->AsInteger().error(), Errc::kServerError);
}

TEST(RedisSyncClient, Command_RejectsEmptyCommand) {
  test_support::RedisServer redis;
  RedisSyncClient client(UrlOf(redis));
  auto reply = client.Command(std::span<const std::string_view>());
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error(), Errc::kEmptyCommand);
}

TEST(RedisSyncClient, Connect_FailsUnavailableWhenNothingListens) {
  RedisSyncClient client(
      ParseRedisUrl("redis://127.0.0.1:" + std::to_string(test_support::FreeLoopbackPort()))
          .value());
  auto reply = client.Command("PING");
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error(), Errc::kUnavailable);
  EXPECT_FALSE(client.connected());
}

TEST(RedisSyncClient, Command_ReconnectsOnTheNextCallAfterARestart) {
  test_support::RedisServer redis;
  RedisSyncClient client(UrlOf(redis));
  ASSERT_TRUE(client.Command("PING"));
  redis.Stop();
  auto down = client.Command("PING");
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error(), Errc::kUnavailable);
  redis.Start();
  auto up = client.Command("PING");
  ASSERT_TRUE(up) << up.error().message();
  EXPECT_TRUE(up->ExpectStatus("PONG"));
}

TEST(RedisSyncClient, Command_TimesOutOnAPausedServerAndRecovers) {
  test_support::RedisServer redis;
  RedisSyncClient client(UrlOf(redis), {.connect_timeout = 1s, .command_timeout = 200ms});
  ASSERT_TRUE(client.Connect());
  redis.Pause();
  auto reply = client.Command("PING");
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error(), Errc::kTimeout);
  EXPECT_FALSE(client.connected());
  redis.Resume();
  auto again = client.Command("PING");
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_TRUE(again->ExpectStatus("PONG"));
}

TEST(RedisSyncClient, Connect_AuthenticatesWithThePassword) {
  test_support::RedisServer redis({.password = "pa ss:w@rd"});
  RedisSyncClient client(UrlWithPassword(redis, ":pa%20ss%3Aw%40rd"));
  auto reply = client.Command("PING");
  ASSERT_TRUE(reply) << reply.error().message();
  EXPECT_TRUE(reply->ExpectStatus("PONG"));
}

TEST(RedisSyncClient, Connect_WrongPasswordIsAuthFailed) {
  test_support::RedisServer redis({.password = "right"});
  RedisSyncClient client(UrlWithPassword(redis, ":wrong"));
  auto reply = client.Command("PING");
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error(), Errc::kAuthFailed);
  EXPECT_FALSE(client.connected());
}

TEST(RedisSyncClient, Connect_WithoutPasswordGetsNoauthReplies) {
  test_support::RedisServer redis({.password = "right"});
  RedisSyncClient client(UrlWith(redis, "/0"));
  auto reply = client.Command("GET", "k");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->AsString().error(), Errc::kServerError);
}

TEST(RedisSyncClient, Connect_AuthenticatesAnAclUser) {
  test_support::RedisServer redis;
  RedisSyncClient admin(UrlOf(redis));
  auto created = admin.Command("ACL", "SETUSER", "signet", "on", ">user-pw", "~*", "+@all");
  ASSERT_TRUE(created);
  ASSERT_TRUE(created->ExpectStatus("OK"));

  RedisSyncClient user(UrlWithPassword(redis, "signet:user-pw"));
  auto who = user.Command("ACL", "WHOAMI");
  ASSERT_TRUE(who) << who.error().message();
  EXPECT_EQ(who->AsString().value(), "signet");

  RedisSyncClient wrong(UrlWithPassword(redis, "signet:other"));
  EXPECT_EQ(wrong.Connect().error(), Errc::kAuthFailed);
}

TEST(RedisSyncClient, Connect_SelectsTheDatabase) {
  test_support::RedisServer redis;
  RedisSyncClient db3(UrlWith(redis, "/3"));
  RedisSyncClient db0(UrlWith(redis, "/0"));
  ASSERT_TRUE(db3.Command("SET", "k", "three"));
  EXPECT_TRUE(db0.Command("GET", "k")->IsNil());
  EXPECT_EQ(db3.Command("GET", "k")->AsString().value(), "three");
}

TEST(RedisSyncClient, Connect_DatabaseOutOfRangeIsSelectFailed) {
  test_support::RedisServer redis;  // 16 databases by default
  RedisSyncClient client(UrlWith(redis, "/99"));
  EXPECT_EQ(client.Connect().error(), Errc::kSelectFailed);
}

// The fixture's append-only mode: data survives a crash and a restart on the same port.
TEST(RedisServerFixture, AppendOnlyKeepsDataAcrossKillAndStart) {
  test_support::RedisServer redis({.append_only = true});
  RedisSyncClient client(UrlOf(redis));
  ASSERT_TRUE(client.Command("SET", "k", "kept"));
  redis.Kill();
  redis.Start();
  RedisSyncClient fresh(UrlOf(redis));  // the old connection died with the server
  auto reply = fresh.Command("GET", "k");
  ASSERT_TRUE(reply) << reply.error().message();
  EXPECT_EQ(reply->AsString().value(), "kept");
}

TEST(RedisServerFixture, WithoutAppendOnlyARestartStartsEmpty) {
  test_support::RedisServer redis;
  RedisSyncClient client(UrlOf(redis));
  ASSERT_TRUE(client.Command("SET", "k", "lost"));
  redis.Stop();
  redis.Start();
  RedisSyncClient fresh(UrlOf(redis));
  auto reply = fresh.Command("GET", "k");
  ASSERT_TRUE(reply) << reply.error().message();
  EXPECT_TRUE(reply->IsNil());
}

TEST(RedisSyncClient, DescribeNamesNoPassword) {
  RedisSyncClient client(ParseRedisUrl("redis://:hunter2@127.0.0.1:6390/1").value());
  EXPECT_EQ(client.Describe(), "redis 127.0.0.1:6390/1");
}

}  // namespace
}  // namespace signet::store

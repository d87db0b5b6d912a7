#include "store/redis_url.hpp"

#include <string>

#include <gtest/gtest.h>

namespace signet::store {
namespace {

TEST(ParseRedisUrl, HostOnlyTakesDefaults) {
  auto url = ParseRedisUrl("redis://127.0.0.1");
  ASSERT_TRUE(url) << url.error().message();
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 6379);
  EXPECT_EQ(url->db, 0u);
  EXPECT_FALSE(url->user);
  EXPECT_FALSE(url->password);
}

TEST(ParseRedisUrl, PortAndDatabase) {
  auto url = ParseRedisUrl("redis://redis.internal:6380/3");
  ASSERT_TRUE(url) << url.error().message();
  EXPECT_EQ(url->host, "redis.internal");
  EXPECT_EQ(url->port, 6380);
  EXPECT_EQ(url->db, 3u);
}

TEST(ParseRedisUrl, TrailingSlashIsDatabaseZero) {
  auto url = ParseRedisUrl("redis://localhost:6379/");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->db, 0u);
}

TEST(ParseRedisUrl, PasswordWithoutUser) {
  auto url = ParseRedisUrl("redis://:s3cret@127.0.0.1:6379/0");
  ASSERT_TRUE(url);
  EXPECT_FALSE(url->user);
  ASSERT_TRUE(url->password);
  EXPECT_EQ(url->password->reveal(), "s3cret");
}

TEST(ParseRedisUrl, UserAndPercentEncodedPassword) {
  auto url = ParseRedisUrl("redis://signet:p%40ss%3Aw%2Frd@10.0.0.5/2");
  ASSERT_TRUE(url) << url.error().message();
  ASSERT_TRUE(url->user);
  EXPECT_EQ(*url->user, "signet");
  ASSERT_TRUE(url->password);
  EXPECT_EQ(url->password->reveal(), "p@ss:w/rd");
  EXPECT_EQ(url->db, 2u);
}

TEST(ParseRedisUrl, Ipv6HostWithoutBrackets) {
  auto url = ParseRedisUrl("redis://[::1]:7000");
  ASSERT_TRUE(url) << url.error().message();
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 7000);
  EXPECT_EQ(url->Describe(), "[::1]:7000/0");
}

TEST(ParseRedisUrl, SchemeIsCaseInsensitive) {
  auto url = ParseRedisUrl("REDIS://h");
  ASSERT_TRUE(url) << url.error().message();
  EXPECT_EQ(url->host, "h");
}

TEST(ParseRedisUrl, RejectsTls) {
  auto url = ParseRedisUrl("rediss://:pw@redis.example.com:6380/0");
  ASSERT_FALSE(url);
  EXPECT_EQ(url.error(), Errc::kTlsNotSupported);
  EXPECT_NE(url.error().message().find("TLS to Redis is not supported yet"), std::string::npos);
}

TEST(ParseRedisUrl, RejectsTlsEvenWhenMalformed) {
  auto url = ParseRedisUrl("rediss://host:port:port");
  ASSERT_FALSE(url);
  EXPECT_EQ(url.error(), Errc::kTlsNotSupported);
}

TEST(ParseRedisUrl, RejectsOtherSchemes) {
  for (const char* text : {"http://127.0.0.1:6379", "unix:///tmp/redis.sock", "tcp://h:1"}) {
    auto url = ParseRedisUrl(text);
    ASSERT_FALSE(url) << text;
    EXPECT_EQ(url.error(), Errc::kUrlScheme) << text;
  }
}

TEST(ParseRedisUrl, RejectsMalformed) {
  for (const char* text : {"", "127.0.0.1:6379", "redis://h o", "redis ://h"}) {
    auto url = ParseRedisUrl(text);
    ASSERT_FALSE(url) << text;
    EXPECT_EQ(url.error(), Errc::kUrlMalformed) << text;
  }
}

TEST(ParseRedisUrl, RejectsMissingHost) {
  for (const char* text : {"redis://", "redis:///0", "redis://:pw@:6379"}) {
    auto url = ParseRedisUrl(text);
    ASSERT_FALSE(url) << text;
    EXPECT_EQ(url.error(), Errc::kUrlHost) << text;
  }
}

TEST(ParseRedisUrl, RejectsBadPorts) {
  for (const char* text :
       {"redis://h:0", "redis://h:65536", "redis://h:", "redis://h:99999999999"}) {
    auto url = ParseRedisUrl(text);
    ASSERT_FALSE(url) << text;
    EXPECT_EQ(url.error(), Errc::kUrlPort) << text;
  }
}

TEST(ParseRedisUrl, RejectsBadDatabases) {
  for (const char* text : {"redis://h/x", "redis://h/-1", "redis://h/1/2", "redis://h/+1",
                           "redis://h/2147483648", "redis://h/%31"}) {
    auto url = ParseRedisUrl(text);
    ASSERT_FALSE(url) << text;
    EXPECT_EQ(url.error(), Errc::kUrlDatabase) << text;
  }
}

TEST(ParseRedisUrl, RejectsQueryAndFragment) {
  for (const char* text : {"redis://h?timeout=1", "redis://h/0#x"}) {
    auto url = ParseRedisUrl(text);
    ASSERT_FALSE(url) << text;
    EXPECT_EQ(url.error(), Errc::kUrlUnsupported) << text;
  }
}

TEST(ParseRedisUrl, RejectsUserWithoutPassword) {
  auto url = ParseRedisUrl("redis://s3cret@h");
  ASSERT_FALSE(url);
  EXPECT_EQ(url.error(), Errc::kUrlMalformed);
}

// Whatever goes wrong, the message names the rule and never repeats the URL or its password.
TEST(ParseRedisUrl, ErrorMessagesNeverContainThePassword) {
  const char* kPassword = "hunter2-zz";
  for (std::string text :
       {"rediss://:hunter2-zz@h", "redis://:hunter2-zz@h:0", "redis://:hunter2-zz@h/x",
        "redis://:hunter2-zz@h?a=b", "redis://:hunter2-zz@", "http://:hunter2-zz@h",
        "redis://:hunter2-zz@h o"}) {
    auto url = ParseRedisUrl(text);
    ASSERT_FALSE(url) << text;
    EXPECT_EQ(url.error().message().find(kPassword), std::string::npos) << text;
  }
}

TEST(RedisUrl, DescribeOmitsCredentials) {
  auto url = ParseRedisUrl("redis://signet:hunter2@127.0.0.1:6390/4");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->Describe(), "127.0.0.1:6390/4");
}

TEST(StoreErrc, EveryEnumeratorHasItsOwnMessage) {
  EXPECT_EQ(make_error_code(Errc::kTimeout).category().name(), std::string("signet.store"));
  EXPECT_NE(make_error_code(Errc::kTimeout).message(),
            make_error_code(Errc::kUnavailable).message());
  EXPECT_EQ(make_error_code(static_cast<Errc>(999)).message(), "unknown store error");
}

}  // namespace
}  // namespace signet::store

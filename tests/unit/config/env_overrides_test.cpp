#include <map>
#include <string>

#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "tests/unit/config/problem_matchers.hpp"

namespace signet::config {
namespace {

using testing::FindProblem;

// An injected environment: no test touches the process environment.
EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

TEST(EnvOverridesTest, ApplyEnvOverrides_ReplacesFileValues) {
  auto loaded = ApplyEnvOverrides(Config{}, FakeEnv({{"SIGNET_ISSUER", "https://id.example.org"},
                                                     {"SIGNET_LISTEN", "0.0.0.0:9000"},
                                                     {"SIGNET_LOG_LEVEL", "debug"},
                                                     {"SIGNET_LOG_FORMAT", "json"}}));
  ASSERT_TRUE(loaded) << loaded.error().Format();
  EXPECT_EQ(loaded->issuer, "https://id.example.org");
  EXPECT_EQ(loaded->listen, "0.0.0.0:9000");
  EXPECT_EQ(loaded->log_level, "debug");
  EXPECT_EQ(loaded->log_format, LogFormat::kJson);
}

TEST(EnvOverridesTest, ApplyEnvOverrides_NoVariablesKeepsConfig) {
  Config config;
  config.listen = "127.0.0.1:1234";
  auto loaded = ApplyEnvOverrides(config, FakeEnv({}));
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->listen, "127.0.0.1:1234");
}

TEST(EnvOverridesTest, ApplyEnvOverrides_EmptyValueCountsAsUnset) {
  auto loaded = ApplyEnvOverrides(Config{}, FakeEnv({{"SIGNET_ISSUER", ""}}));
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->issuer, Config{}.issuer);
}

TEST(EnvOverridesTest, ApplyEnvOverrides_InvalidValuesNameTheVariable) {
  auto loaded = ApplyEnvOverrides(Config{}, FakeEnv({{"SIGNET_ISSUER", "http://id.example.org"},
                                                     {"SIGNET_LISTEN", "nope"},
                                                     {"SIGNET_LOG_LEVEL", "chatty"},
                                                     {"SIGNET_LOG_FORMAT", "yaml"}}));
  ASSERT_FALSE(loaded);
  const LoadErrors& e = loaded.error();
  EXPECT_EQ(e.source, "<environment>");
  EXPECT_TRUE(FindProblem(e, "SIGNET_ISSUER", Errc::kBadIssuer));
  EXPECT_TRUE(FindProblem(e, "SIGNET_LISTEN", Errc::kBadListen));
  EXPECT_TRUE(FindProblem(e, "SIGNET_LOG_LEVEL", Errc::kBadEnumValue));
  EXPECT_TRUE(FindProblem(e, "SIGNET_LOG_FORMAT", Errc::kBadEnumValue));
}

TEST(EnvOverridesTest, RedisUrlFromEnv_StillRequiresEncryptionKey) {
  auto without_kek =
      ApplyEnvOverrides(Config{}, FakeEnv({{"SIGNET_REDIS_URL", "redis://redis:6379/0"}}));
  ASSERT_FALSE(without_kek);
  EXPECT_TRUE(FindProblem(without_kek.error(), "keys.encryption_key_file", Errc::kMissingValue));

  Config with_kek;
  with_kek.keys.encryption_key_file = "/run/secrets/kek";
  auto loaded = ApplyEnvOverrides(with_kek, FakeEnv({{"SIGNET_REDIS_URL", "rediss://r:6380/1"}}));
  ASSERT_TRUE(loaded) << loaded.error().Format();
  EXPECT_EQ(loaded->redis.url, "rediss://r:6380/1");
}

TEST(EnvOverridesTest, ApplyEnvOverrides_BadRedisUrlIsReported) {
  auto loaded = ApplyEnvOverrides(Config{}, FakeEnv({{"SIGNET_REDIS_URL", "localhost:6379"}}));
  ASSERT_FALSE(loaded);
  EXPECT_TRUE(FindProblem(loaded.error(), "SIGNET_REDIS_URL", Errc::kBadUrl));
}

}  // namespace
}  // namespace signet::config

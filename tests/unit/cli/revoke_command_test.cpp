// signet revoke --sub SUBJECT: a per-subject cut-off written to the configuration's Redis (a
// real redis-server, tests/support/redis_server.hpp); refused without redis.url.
#include <chrono>

#include <gtest/gtest.h>

#include "store/redis_async_client.hpp"
#include "store/redis_revocation_store.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/unit/cli/cli_runner.hpp"
#include "tests/unit/store/async_test_support.hpp"

namespace signet::cli {
namespace {

using testing::CliRunner;
using testing::TempDir;

std::string ConfigWithRedis(const TempDir& dir, const std::string& redis_url) {
  const std::string kek = dir.Write("kek", std::string(32, 'k'));
  return dir.Write("signet.yaml",
                   "issuer: https://id.example.com\n"
                   "tokens: { access_token_ttl: 600, id_token_ttl: 1200, leeway: 30 }\n"
                   "keys:\n  dir: " +
                       dir.path() + "/keys\n  encryption_key_file: " + kek + "\nredis:\n  url: \"" +
                       redis_url +
                       "\"\n"
                       "clients:\n  - { client_id: svc, client_secret: s }\n");
}

TEST(RevokeCommandTest, Help_ExplainsTheRedisRequirement) {
  auto run = CliRunner().Run({"revoke", "--help"});
  EXPECT_EQ(run.status, kExitOk);
  EXPECT_NE(run.out.find("usage: signet revoke --sub SUBJECT"), std::string::npos);
  EXPECT_NE(run.out.find("redis.url"), std::string::npos);
}

TEST(RevokeCommandTest, MissingSubject_IsUsageError) {
  TempDir dir;
  const std::string config = ConfigWithRedis(dir, "redis://127.0.0.1:1/0");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"revoke", "--config", config},
        std::vector<std::string>{"revoke", "--sub", "", "--config", config}}) {
    auto run = CliRunner().Run(args);
    EXPECT_EQ(run.status, kExitUsage);
    EXPECT_NE(run.err.find("--sub SUBJECT is required"), std::string::npos) << run.err;
  }
  EXPECT_EQ(CliRunner().Run({"revoke", "--sub", "alice", "--config", config, "extra"}).status,
            kExitUsage);
}

TEST(RevokeCommandTest, WithoutRedisUrl_FailsWithExitOneAndSaysWhy) {
  TempDir dir;
  const std::string config = dir.Write("signet.yaml",
                                       "issuer: https://id.example.com\nclients:\n"
                                       "  - { client_id: svc, client_secret: s }\n");
  auto run = CliRunner().Run({"revoke", "--sub", "alice", "--config", config});
  EXPECT_EQ(run.status, kExitFailure);
  EXPECT_NE(run.err.find("needs redis.url"), std::string::npos) << run.err;
  EXPECT_TRUE(run.out.empty());
}

TEST(RevokeCommandTest, RedisUnreachable_FailsWithExitOne) {
  TempDir dir;
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  const std::string config = ConfigWithRedis(dir, "redis://127.0.0.1:1/0");
  auto run = CliRunner().Run({"revoke", "--sub", "alice", "--config", config});
  EXPECT_EQ(run.status, kExitFailure);
  EXPECT_NE(run.err.find("cannot record the revocation in redis 127.0.0.1:1/0"), std::string::npos)
      << run.err;
}

TEST(RevokeCommandTest, WithRedis_RevokesEveryEarlierTokenOfTheSubject) {
  test_support::RedisServer redis;
  TempDir dir;
  const std::string config = ConfigWithRedis(dir, redis.url());
  const auto before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto run = CliRunner().Run({"revoke", "--sub", "alice", "--config", config});
  const auto after = std::chrono::system_clock::now();
  ASSERT_EQ(run.status, kExitOk) << run.err;
  EXPECT_NE(run.out.find("revoked every token of subject 'alice'"), std::string::npos);

  store::IoThreads io(1);
  auto url = store::ParseRedisUrl(redis.url());
  ASSERT_TRUE(url);
  store::RedisAsyncClient client(io.executor(), *url);
  ASSERT_TRUE(store::Eventually([&] { return client.connected(); }));
  store::RedisRevocationStore revocations(client);
  auto snapshot = io.Run(revocations.Snapshot(after));
  ASSERT_TRUE(snapshot);
  ASSERT_EQ(snapshot->subjects.size(), 1u);
  EXPECT_EQ(snapshot->subjects[0].subject, "alice");
  EXPECT_GE(snapshot->subjects[0].cutoff, before);
  EXPECT_LE(snapshot->subjects[0].cutoff, after);
  // Issued before the command: revoked; another subject: not.
  auto older = io.Run(revocations.IsRevoked("jti-1", "alice", before, after));
  ASSERT_TRUE(older);
  EXPECT_TRUE(*older);
  auto other = io.Run(revocations.IsRevoked("jti-2", "bob", before, after));
  ASSERT_TRUE(other);
  EXPECT_FALSE(*other);
  // Kept for max(access_token_ttl, id_token_ttl) + leeway: pruned after that.
  const auto keep_until = snapshot->subjects[0].cutoff + std::chrono::seconds(1200 + 30);
  auto later = io.Run(revocations.Snapshot(keep_until + std::chrono::seconds(1)));
  ASSERT_TRUE(later);
  EXPECT_TRUE(later->subjects.empty());
  client.Stop();
}

}  // namespace
}  // namespace signet::cli

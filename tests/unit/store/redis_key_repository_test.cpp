#include "store/redis_key_repository.hpp"

#include <array>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "keys/key_file_store.hpp"
#include "store/redis_rotation_lease.hpp"
#include "tests/support/redis_server.hpp"

namespace signet::store {
namespace {

using namespace std::chrono_literals;
using keys::Algorithm;

const keys::TimePoint kNow = keys::TimePoint(std::chrono::seconds(1'800'000'000));
constexpr std::array<Algorithm, 1> kAlgorithms{Algorithm::kEdDsa};

class RedisKeyRepositoryTest : public ::testing::Test {
 protected:
  RedisSyncClient Client() { return RedisSyncClient(ParseRedisUrl(redis_.url()).value()); }
  RedisKeyRepository Repository(std::optional<keys::Kek> kek = std::nullopt) {
    return RedisKeyRepository(Client(), std::move(kek));
  }
  RedisRotationLease Lease() { return RedisRotationLease::Create(Client()).value(); }

  test_support::RedisServer redis_;
};

TEST_F(RedisKeyRepositoryTest, Save_StoresTheSealedFormInTheHashAndANewRevision) {
  auto repo = Repository(keys::Kek::FromBytes(std::string(32, 'k')).value());
  ASSERT_TRUE(keys::EnsureActiveKeys(repo, kAlgorithms, kNow));
  auto loaded = repo.LoadAll();
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->size(), 2u);
  RedisSyncClient admin = Client();
  auto text = admin.Command("HGET", "signet:keys", loaded->front().metadata.kid);
  ASSERT_TRUE(text);
  const std::string stored = text->AsString().value();
  EXPECT_NE(stored.find("encrypted-key:"), std::string::npos);
  EXPECT_EQ(stored.find("PRIVATE KEY"), std::string::npos);  // never the clear PEM
  const std::string revision = repo.Revision().value();
  EXPECT_EQ(revision.size(), 32u);  // 128 random bits, hex
  EXPECT_EQ(revision.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(admin.Command("GET", "signet:keys:rev")->AsString().value(), revision);
}

// Issue 4: with a counter, Redis losing its data (FLUSHALL here, a restart without
// persistence in production) restarted the revision, and the same number of writes took it
// back to the value a replica still held for its old key set: that replica never reloaded.
TEST_F(RedisKeyRepositoryTest, Revision_NeverRepeatsAfterRedisLostItsData) {
  auto repo = Repository();
  ASSERT_TRUE(keys::EnsureActiveKeys(repo, kAlgorithms, kNow));
  const std::string before_loss = repo.Revision().value();
  RedisSyncClient admin = Client();
  ASSERT_TRUE(admin.Command("FLUSHALL"));
  EXPECT_EQ(repo.Revision().value(), "0");  // empty: differs from what any replica holds
  // The same writes as before the loss (a counter would be back at the same value).
  ASSERT_TRUE(keys::EnsureActiveKeys(repo, kAlgorithms, kNow));
  ASSERT_EQ(repo.LoadAll().value().size(), 2u);
  EXPECT_NE(repo.Revision().value(), before_loss);
}

TEST_F(RedisKeyRepositoryTest, Revision_ChangesWithEveryWrite) {
  auto repo = Repository();
  ASSERT_TRUE(keys::EnsureActiveKeys(repo, kAlgorithms, kNow));
  auto loaded = repo.LoadAll();
  ASSERT_TRUE(loaded);
  std::vector<std::string> seen{repo.Revision().value()};
  ASSERT_TRUE(repo.Save(loaded->front()));  // rewriting the same key is still a write
  seen.push_back(repo.Revision().value());
  ASSERT_TRUE(repo.Remove(loaded->front().metadata));
  seen.push_back(repo.Revision().value());
  EXPECT_NE(seen[0], seen[1]);
  EXPECT_NE(seen[1], seen[2]);
  EXPECT_NE(seen[0], seen[2]);
}

TEST_F(RedisKeyRepositoryTest, Revision_IsZeroBeforeTheFirstChange) {
  auto repo = Repository();
  EXPECT_EQ(repo.Revision().value(), "0");
}

TEST_F(RedisKeyRepositoryTest, LoadAll_RefusesAValueFiledUnderAnotherKid) {
  auto repo = Repository();
  ASSERT_TRUE(keys::EnsureActiveKeys(repo, kAlgorithms, kNow));
  RedisSyncClient admin = Client();
  auto all = admin.Command("HGETALL", "signet:keys");
  ASSERT_TRUE(all);
  ASSERT_GE(all->elements().size(), 2u);
  ASSERT_TRUE(admin.Command("HSET", "signet:keys", "not-its-kid", all->elements()[1].str()));
  auto loaded = repo.LoadAll();
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error(), keys::Errc::kKeyFileInvalid);
  EXPECT_NE(repo.LastErrorDetail().find("not-its-kid"), std::string::npos);
}

TEST_F(RedisKeyRepositoryTest, FailsUnavailableWhileRedisIsDown) {
  auto repo = Repository();
  redis_.Stop();
  auto loaded = repo.LoadAll();
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error(), Errc::kUnavailable);
  EXPECT_EQ(repo.Revision().error(), Errc::kUnavailable);
  redis_.Start();
  EXPECT_TRUE(repo.LoadAll());
}

TEST_F(RedisKeyRepositoryTest, DescribeNamesNoPassword) {
  RedisKeyRepository repo(RedisSyncClient(ParseRedisUrl("redis://:pw@127.0.0.1:1/2").value()));
  EXPECT_EQ(repo.Describe(), "redis 127.0.0.1:1/2");
}

TEST_F(RedisKeyRepositoryTest, Lease_OnlyOneOwnerHoldsIt) {
  auto first = Lease();
  auto second = Lease();
  EXPECT_NE(first.owner(), second.owner());
  EXPECT_EQ(first.owner().size(), 32u);  // 128 bits, hex
  EXPECT_TRUE(first.TryAcquire(30s).value());
  EXPECT_FALSE(second.TryAcquire(30s).value());
  EXPECT_TRUE(first.TryAcquire(30s).value());  // renewal by the holder
  first.Release();
  EXPECT_TRUE(second.TryAcquire(30s).value());
  EXPECT_FALSE(first.TryAcquire(30s).value());
}

TEST_F(RedisKeyRepositoryTest, Lease_RenewalSetsTheTtl) {
  auto lease = Lease();
  ASSERT_TRUE(lease.TryAcquire(5s).value());
  ASSERT_TRUE(lease.TryAcquire(60s).value());
  RedisSyncClient admin = Client();
  const auto ttl = admin.Command("PTTL", "signet:keys:lease")->AsInteger().value();
  EXPECT_GT(ttl, 5000);
  EXPECT_LE(ttl, 60000);
}

// A holder whose lease expired (simulated by deleting it) and was taken over can neither
// renew nor release the new holder's lease: both are compare-and-set on the owner id.
TEST_F(RedisKeyRepositoryTest, Lease_ExpiredHolderCannotTouchTheNewHoldersLease) {
  auto old_holder = Lease();
  auto new_holder = Lease();
  ASSERT_TRUE(old_holder.TryAcquire(30s).value());
  RedisSyncClient admin = Client();
  ASSERT_TRUE(admin.Command("DEL", "signet:keys:lease"));  // as if the TTL had passed
  ASSERT_TRUE(new_holder.TryAcquire(30s).value());
  EXPECT_FALSE(old_holder.TryAcquire(30s).value());
  old_holder.Release();
  EXPECT_EQ(admin.Command("GET", "signet:keys:lease")->AsString().value(), new_holder.owner());
}

TEST_F(RedisKeyRepositoryTest, Lease_FailsUnavailableWhileRedisIsDown) {
  auto lease = Lease();
  redis_.Stop();
  auto held = lease.TryAcquire(30s);
  ASSERT_FALSE(held);
  EXPECT_EQ(held.error(), Errc::kUnavailable);
  lease.Release();  // no error to report, and no crash
}

}  // namespace
}  // namespace signet::store

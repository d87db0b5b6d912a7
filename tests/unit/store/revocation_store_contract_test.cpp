// One contract for every RevocationStore (House style 23): the in-memory store of a single
// node and the Redis store of a cluster (on a real redis-server, 2 I/O threads).

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "store/memory_revocation_store.hpp"
#include "store/redis_async_client.hpp"
#include "store/redis_revocation_store.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/unit/store/async_test_support.hpp"
#include "tests/unit/store/store_environments.hpp"

namespace signet::store {
namespace {

namespace net = boost::asio;
using namespace std::chrono_literals;

const WallTime kT0 = FromUnixSeconds(1'800'000'000);

using MemoryEnvironment = MemoryStoreEnvironment<RevocationStore, MemoryRevocationStore>;
using RedisEnvironment = RedisStoreEnvironment<RevocationStore, RedisRevocationStore>;

template <class Environment>
class RevocationStoreContract : public ::testing::Test {
 protected:
  RevocationStore& store() { return environment_.store(); }

  bool Revoked(const std::string& jti, const std::string& sub, WallTime iat, WallTime now) {
    auto result = io_.Run(store().IsRevoked(jti, sub, iat, now));
    EXPECT_TRUE(result) << result.error().message();
    return result && *result;
  }
  std::uint64_t Revision() { return io_.Run(store().Revision()).value(); }

  IoThreads io_{2};
  Environment environment_{io_};
};

using Environments = ::testing::Types<MemoryEnvironment, RedisEnvironment>;
TYPED_TEST_SUITE(RevocationStoreContract, Environments);

TYPED_TEST(RevocationStoreContract, IsRevoked_NothingRevokedAtFirst) {
  EXPECT_FALSE(this->Revoked("jti-1", "alice", kT0, kT0));
  EXPECT_EQ(this->Revision(), 0u);
}

TYPED_TEST(RevocationStoreContract, RevokeJti_RevokesThatTokenOnly) {
  ASSERT_TRUE(this->io_.Run(this->store().RevokeJti("jti-1", kT0 + 1h)));
  EXPECT_TRUE(this->Revoked("jti-1", "alice", kT0, kT0));
  EXPECT_TRUE(this->Revoked("jti-1", "", kT0, kT0));
  EXPECT_FALSE(this->Revoked("jti-2", "alice", kT0, kT0));
  EXPECT_EQ(this->Revision(), 1u);
}

TYPED_TEST(RevocationStoreContract, RevokeJti_IsIdempotentAndOnlyExtends) {
  ASSERT_TRUE(this->io_.Run(this->store().RevokeJti("jti-1", kT0 + 1h)));
  ASSERT_TRUE(this->io_.Run(this->store().RevokeJti("jti-1", kT0 + 1h)));
  ASSERT_TRUE(this->io_.Run(this->store().RevokeJti("jti-1", kT0 + 10min)));
  EXPECT_EQ(this->Revision(), 1u);  // neither changed anything
  EXPECT_TRUE(this->Revoked("jti-1", "", kT0, kT0 + 30min));
  ASSERT_TRUE(this->io_.Run(this->store().RevokeJti("jti-1", kT0 + 2h)));
  EXPECT_EQ(this->Revision(), 2u);
  EXPECT_TRUE(this->Revoked("jti-1", "", kT0, kT0 + 90min));
}

TYPED_TEST(RevocationStoreContract, RevokeJti_NoLongerCountsAfterKeepUntil) {
  ASSERT_TRUE(this->io_.Run(this->store().RevokeJti("jti-1", kT0 + 1h)));
  EXPECT_TRUE(this->Revoked("jti-1", "", kT0, kT0 + 1h - 1s));
  EXPECT_FALSE(this->Revoked("jti-1", "", kT0, kT0 + 1h));
}

TYPED_TEST(RevocationStoreContract, RevokeSubject_RevokesTokensIssuedUntilTheCutoff) {
  ASSERT_TRUE(this->io_.Run(this->store().RevokeSubject("alice", kT0, kT0 + 24h)));
  EXPECT_TRUE(this->Revoked("a", "alice", kT0 - 1h, kT0));
  EXPECT_TRUE(this->Revoked("b", "alice", kT0, kT0));  // issued in the cut-off second
  EXPECT_FALSE(this->Revoked("c", "alice", kT0 + 1s, kT0 + 1s));
  EXPECT_FALSE(this->Revoked("d", "bob", kT0 - 1h, kT0));
  EXPECT_FALSE(this->Revoked("e", "", kT0 - 1h, kT0));  // no subject: jti only
  EXPECT_EQ(this->Revision(), 1u);
}

TYPED_TEST(RevocationStoreContract, RevokeSubject_AnEarlierCutoffNeverLowersIt) {
  ASSERT_TRUE(this->io_.Run(this->store().RevokeSubject("alice", kT0, kT0 + 24h)));
  ASSERT_TRUE(this->io_.Run(this->store().RevokeSubject("alice", kT0 - 1h, kT0 + 24h)));
  EXPECT_EQ(this->Revision(), 1u);
  EXPECT_TRUE(this->Revoked("a", "alice", kT0 - 30min, kT0));
  ASSERT_TRUE(this->io_.Run(this->store().RevokeSubject("alice", kT0 + 1h, kT0 + 25h)));
  EXPECT_EQ(this->Revision(), 2u);
  EXPECT_TRUE(this->Revoked("b", "alice", kT0 + 30min, kT0 + 1h));
  EXPECT_FALSE(this->Revoked("c", "alice", kT0 + 30min, kT0 + 25h));  // past keep_until
}

TYPED_TEST(RevocationStoreContract, Snapshot_ListsWhatIsInForceSorted) {
  auto& store = this->store();
  ASSERT_TRUE(this->io_.Run(store.RevokeJti("jti-b", kT0 + 2h)));
  ASSERT_TRUE(this->io_.Run(store.RevokeJti("jti-a", kT0 + 1h)));
  ASSERT_TRUE(this->io_.Run(store.RevokeSubject("carol", kT0, kT0 + 24h)));
  ASSERT_TRUE(this->io_.Run(store.RevokeSubject("alice", kT0 - 1h, kT0 + 24h)));
  auto snapshot = this->io_.Run(store.Snapshot(kT0));
  ASSERT_TRUE(snapshot) << snapshot.error().message();
  EXPECT_EQ(snapshot->revision, 4u);
  EXPECT_EQ(snapshot->jtis, (std::vector<RevokedJti>{{"jti-a", kT0 + 1h}, {"jti-b", kT0 + 2h}}));
  EXPECT_EQ(snapshot->subjects, (std::vector<SubjectCutoff>{{"alice", kT0 - 1h}, {"carol", kT0}}));
}

TYPED_TEST(RevocationStoreContract, Snapshot_PrunesWhatIsPastKeepUntil) {
  auto& store = this->store();
  ASSERT_TRUE(this->io_.Run(store.RevokeJti("short", kT0 + 1h)));
  ASSERT_TRUE(this->io_.Run(store.RevokeJti("long", kT0 + 3h)));
  ASSERT_TRUE(this->io_.Run(store.RevokeSubject("alice", kT0, kT0 + 2h)));
  auto snapshot = this->io_.Run(store.Snapshot(kT0 + 2h));
  ASSERT_TRUE(snapshot);
  EXPECT_EQ(snapshot->jtis, (std::vector<RevokedJti>{{"long", kT0 + 3h}}));
  EXPECT_TRUE(snapshot->subjects.empty());
  EXPECT_EQ(snapshot->revision, 3u);  // pruning is not a change of what is in force
  // Pruned entries are gone, even for an earlier `now`.
  EXPECT_FALSE(this->Revoked("short", "", kT0, kT0));
  EXPECT_FALSE(this->Revoked("x", "alice", kT0 - 1h, kT0));
}

TYPED_TEST(RevocationStoreContract, Prune_RemovesWhatIsPastKeepUntilOnly) {
  auto& store = this->store();
  ASSERT_TRUE(this->io_.Run(store.RevokeJti("short", kT0 + 1h)));
  ASSERT_TRUE(this->io_.Run(store.RevokeJti("edge", kT0 + 2h)));  // keep_until == now: gone
  ASSERT_TRUE(this->io_.Run(store.RevokeJti("long", kT0 + 3h)));
  ASSERT_TRUE(this->io_.Run(store.RevokeSubject("alice", kT0, kT0 + 90min)));
  ASSERT_TRUE(this->io_.Run(store.RevokeSubject("bob", kT0, kT0 + 24h)));
  auto pruned = this->io_.Run(store.Prune(kT0 + 2h));
  ASSERT_TRUE(pruned) << pruned.error().message();
  EXPECT_EQ(*pruned, 3u);  // short, edge, alice
  EXPECT_EQ(this->Revision(), 5u);  // pruning is not a change of what is in force
  // Pruned entries are gone, even for an earlier `now`; the others stay.
  EXPECT_FALSE(this->Revoked("short", "", kT0, kT0));
  EXPECT_FALSE(this->Revoked("edge", "", kT0, kT0));
  EXPECT_FALSE(this->Revoked("x", "alice", kT0 - 1h, kT0));
  EXPECT_TRUE(this->Revoked("long", "", kT0, kT0));
  EXPECT_TRUE(this->Revoked("y", "bob", kT0 - 1h, kT0));
  auto snapshot = this->io_.Run(store.Snapshot(kT0));
  ASSERT_TRUE(snapshot);
  EXPECT_EQ(snapshot->jtis, (std::vector<RevokedJti>{{"long", kT0 + 3h}}));
  EXPECT_EQ(snapshot->subjects, (std::vector<SubjectCutoff>{{"bob", kT0}}));
  // Nothing left to prune at the same moment.
  EXPECT_EQ(this->io_.Run(store.Prune(kT0 + 2h)).value(), 0u);
}

TYPED_TEST(RevocationStoreContract, Prune_OnAnEmptyStoreRemovesNothing) {
  auto pruned = this->io_.Run(this->store().Prune(kT0));
  ASSERT_TRUE(pruned) << pruned.error().message();
  EXPECT_EQ(*pruned, 0u);
  EXPECT_EQ(this->Revision(), 0u);
}

// A later cut-off that extends keep_until keeps the subject past its first keep_until.
TYPED_TEST(RevocationStoreContract, Prune_KeepsASubjectWhoseKeepUntilWasExtended) {
  auto& store = this->store();
  ASSERT_TRUE(this->io_.Run(store.RevokeSubject("alice", kT0, kT0 + 1h)));
  ASSERT_TRUE(this->io_.Run(store.RevokeSubject("alice", kT0 + 30min, kT0 + 2h)));
  EXPECT_EQ(this->io_.Run(store.Prune(kT0 + 1h)).value(), 0u);
  EXPECT_TRUE(this->Revoked("a", "alice", kT0 + 10min, kT0 + 1h));
  EXPECT_EQ(this->io_.Run(store.Prune(kT0 + 2h)).value(), 1u);
}

TYPED_TEST(RevocationStoreContract, RevokeJti_ConcurrentRevocationsAreAllCounted) {
  constexpr int kCount = 200;
  std::vector<std::future<Result<void>>> done;
  for (int i = 0; i < kCount; ++i) {
    done.push_back(net::co_spawn(this->io_.io(),
                                 this->store().RevokeJti("jti-" + std::to_string(i), kT0 + 1h),
                                 net::use_future));
  }
  for (auto& f : done) ASSERT_TRUE(f.get());
  EXPECT_EQ(this->Revision(), static_cast<std::uint64_t>(kCount));
  auto snapshot = this->io_.Run(this->store().Snapshot(kT0));
  ASSERT_TRUE(snapshot);
  EXPECT_EQ(snapshot->jtis.size(), static_cast<std::size_t>(kCount));
}

// Without Redis the answer is an error (the server's 503), never "not revoked".
TEST(RedisRevocationStore, FailsUnavailableWhileRedisIsDown) {
  test_support::RedisServer redis;
  IoThreads io(2);
  RedisAsyncClient client(io.executor(), ParseRedisUrl(redis.url()).value());
  RedisRevocationStore store(client);
  ASSERT_TRUE(Eventually([&] { return client.connected(); }));
  redis.Stop();
  ASSERT_TRUE(Eventually([&] { return !client.connected(); }));
  auto revoked = io.Run(store.IsRevoked("jti", "alice", kT0, kT0));
  ASSERT_FALSE(revoked);
  EXPECT_EQ(revoked.error(), Errc::kUnavailable);
  EXPECT_EQ(io.Run(store.RevokeJti("jti", kT0 + 1h)).error(), Errc::kUnavailable);
  EXPECT_EQ(io.Run(store.Snapshot(kT0)).error(), Errc::kUnavailable);
  EXPECT_EQ(io.Run(store.Prune(kT0)).error(), Errc::kUnavailable);
}

}  // namespace
}  // namespace signet::store

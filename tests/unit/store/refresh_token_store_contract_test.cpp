// One contract for every RefreshTokenStore (House style 23): the in-memory store of a single
// node and the Redis store of a cluster (on a real redis-server, 2 I/O threads). Time is
// injected (`now`); Redis TTLs run in real time, so kT0 (2033) lies safely after it.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "store/internal/redis_key_name.hpp"
#include "store/memory_refresh_token_store.hpp"
#include "store/redis_async_client.hpp"
#include "store/redis_refresh_token_store.hpp"
#include "store/redis_sync_client.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/unit/store/async_test_support.hpp"
#include "tests/unit/store/store_environments.hpp"

namespace signet::store {
namespace {

namespace net = boost::asio;
using namespace std::chrono_literals;

const WallTime kT0 = FromUnixSeconds(2'000'000'000);

// `prefix` followed by exactly 64 lower-case hex digits (a hex SHA-256). No std::regex: GCC
// 12 warns inside <regex> under the sanitizers.
bool IsPrefixAndHexSha256(std::string_view key, std::string_view prefix) {
  if (!key.starts_with(prefix) || key.size() != prefix.size() + 64) return false;
  return key.substr(prefix.size()).find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// What the server stores for an opaque token: its SHA-256, 32 raw bytes.
std::string Hash(const std::string& token) { return internal::Sha256(token); }

RefreshGrant Grant(const std::string& family, WallTime expires) {
  return {.family_id = family,
          .client_id = "client-a",
          .subject = "alice",
          .scope = "openid offline_access",
          .audience = "https://api.example",
          .auth_time = kT0 - 1min,
          .expires = expires};
}

// A family started at the authorization endpoint in login session `sid`.
RefreshGrant SessionGrant(const std::string& family, WallTime expires, const std::string& sid) {
  RefreshGrant grant = Grant(family, expires);
  grant.sid = sid;
  return grant;
}

using MemoryEnvironment = MemoryStoreEnvironment<RefreshTokenStore, MemoryRefreshTokenStore>;
using RedisEnvironment = RedisStoreEnvironment<RefreshTokenStore, RedisRefreshTokenStore>;

template <class Environment>
class RefreshTokenStoreContract : public ::testing::Test {
 protected:
  RefreshTokenStore& store() { return environment_.store(); }

  void Issue(const std::string& token, const RefreshGrant& grant) {
    auto issued = io_.Run(store().Issue(Hash(token), grant));
    ASSERT_TRUE(issued) << issued.error().message();
  }
  RotateResult Rotate(const std::string& old_token, const std::string& new_token,
                      WallTime new_expires, WallTime now) {
    auto rotated = io_.Run(store().Rotate(Hash(old_token), Hash(new_token), new_expires, now));
    EXPECT_TRUE(rotated) << rotated.error().message();
    return rotated ? *rotated : RotateResult{};
  }
  std::optional<RefreshGrant> Find(const std::string& token, WallTime now) {
    auto found = io_.Run(store().Find(Hash(token), now));
    EXPECT_TRUE(found) << found.error().message();
    return found ? *found : std::nullopt;
  }
  std::size_t RevokeSession(const std::string& sid, WallTime now) {
    auto revoked = io_.Run(store().RevokeSession(sid, now));
    EXPECT_TRUE(revoked) << revoked.error().message();
    return revoked ? *revoked : 0;
  }

  IoThreads io_{2};
  Environment environment_{io_};
};

using Environments = ::testing::Types<MemoryEnvironment, RedisEnvironment>;
TYPED_TEST_SUITE(RefreshTokenStoreContract, Environments);

TYPED_TEST(RefreshTokenStoreContract, Find_ReturnsTheIssuedGrant) {
  const RefreshGrant grant = Grant("fam-1", kT0 + 1h);
  this->Issue("rt-1", grant);
  EXPECT_EQ(this->Find("rt-1", kT0), grant);
}

TYPED_TEST(RefreshTokenStoreContract, Sid_IsKeptThroughFindRotationAndReuse) {
  RefreshGrant grant = Grant("fam-1", kT0 + 1h);
  grant.sid = "c2lkLW9mLXRoZS1sb2dpbg";
  this->Issue("rt-1", grant);
  EXPECT_EQ(this->Find("rt-1", kT0), grant);
  const RotateResult rotated = this->Rotate("rt-1", "rt-2", kT0 + 2h, kT0);
  ASSERT_EQ(rotated.status, RotateStatus::kRotated);
  EXPECT_EQ(rotated.grant.sid, grant.sid);
  EXPECT_EQ(this->Find("rt-2", kT0)->sid, grant.sid);
  const RotateResult reused = this->Rotate("rt-1", "rt-3", kT0 + 3h, kT0);
  ASSERT_EQ(reused.status, RotateStatus::kReused);
  EXPECT_EQ(reused.grant.sid, grant.sid);
}

TYPED_TEST(RefreshTokenStoreContract, Sid_EmptyStaysEmpty) {
  this->Issue("rt-1", Grant("fam-1", kT0 + 1h));  // a password grant's family: no session
  EXPECT_EQ(this->Find("rt-1", kT0)->sid, "");
  EXPECT_EQ(this->Rotate("rt-1", "rt-2", kT0 + 2h, kT0).grant.sid, "");
}

TYPED_TEST(RefreshTokenStoreContract, Find_UnknownTokenIsNullopt) {
  this->Issue("rt-1", Grant("fam-1", kT0 + 1h));
  EXPECT_EQ(this->Find("rt-2", kT0), std::nullopt);
}

TYPED_TEST(RefreshTokenStoreContract, Rotate_ReplacesTheTokenWithinItsFamily) {
  this->Issue("rt-1", Grant("fam-1", kT0 + 1h));
  const RotateResult rotated = this->Rotate("rt-1", "rt-2", kT0 + 2h, kT0 + 10min);
  ASSERT_EQ(rotated.status, RotateStatus::kRotated);
  EXPECT_EQ(rotated.grant, Grant("fam-1", kT0 + 2h));  // same family, the new expiry
  EXPECT_EQ(this->Find("rt-1", kT0 + 10min), std::nullopt);
  EXPECT_EQ(this->Find("rt-2", kT0 + 10min), Grant("fam-1", kT0 + 2h));
  // The family outlives its first token.
  EXPECT_EQ(this->Find("rt-2", kT0 + 90min), Grant("fam-1", kT0 + 2h));
}

TYPED_TEST(RefreshTokenStoreContract, Rotate_ReusedTokenRevokesTheFamily) {
  this->Issue("rt-1", Grant("fam-1", kT0 + 1h));
  ASSERT_EQ(this->Rotate("rt-1", "rt-2", kT0 + 2h, kT0).status, RotateStatus::kRotated);
  // The thief (or the client) presents rt-1 again.
  const RotateResult reused = this->Rotate("rt-1", "rt-3", kT0 + 3h, kT0 + 1min);
  EXPECT_EQ(reused.status, RotateStatus::kReused);
  EXPECT_EQ(reused.grant, Grant("fam-1", kT0 + 2h));  // the family's end, for the log line
  EXPECT_EQ(this->Find("rt-2", kT0 + 1min), std::nullopt);
  EXPECT_EQ(this->Find("rt-3", kT0 + 1min), std::nullopt);
  EXPECT_EQ(this->Rotate("rt-2", "rt-4", kT0 + 2h, kT0 + 1min).status, RotateStatus::kUnknown);
}

TYPED_TEST(RefreshTokenStoreContract, Rotate_RecognisesAReplayAfterSeveralRotations) {
  this->Issue("rt-1", Grant("fam-1", kT0 + 1h));
  ASSERT_EQ(this->Rotate("rt-1", "rt-2", kT0 + 2h, kT0 + 30min).status, RotateStatus::kRotated);
  ASSERT_EQ(this->Rotate("rt-2", "rt-3", kT0 + 3h, kT0 + 90min).status, RotateStatus::kRotated);
  // rt-1's own expiry has passed, but its family lives: a replay still revokes it.
  EXPECT_EQ(this->Rotate("rt-1", "rt-x", kT0 + 3h, kT0 + 2h).status, RotateStatus::kReused);
  EXPECT_EQ(this->Find("rt-3", kT0 + 2h), std::nullopt);
}

TYPED_TEST(RefreshTokenStoreContract, Rotate_UnknownTokenIsUnknown) {
  this->Issue("rt-1", Grant("fam-1", kT0 + 1h));
  EXPECT_EQ(this->Rotate("never-issued", "rt-2", kT0 + 2h, kT0).status, RotateStatus::kUnknown);
  EXPECT_EQ(this->Find("rt-2", kT0), std::nullopt);
  EXPECT_EQ(this->Find("rt-1", kT0), Grant("fam-1", kT0 + 1h));  // untouched
}

TYPED_TEST(RefreshTokenStoreContract, Rotate_ExpiredTokenIsUnknown) {
  this->Issue("rt-1", Grant("fam-1", kT0 + 1h));
  EXPECT_EQ(this->Find("rt-1", kT0 + 1h - 1s), Grant("fam-1", kT0 + 1h));
  EXPECT_EQ(this->Find("rt-1", kT0 + 1h), std::nullopt);
  EXPECT_EQ(this->Rotate("rt-1", "rt-2", kT0 + 3h, kT0 + 1h).status, RotateStatus::kUnknown);
  EXPECT_EQ(this->Find("rt-2", kT0 + 1h), std::nullopt);
}

TYPED_TEST(RefreshTokenStoreContract, RevokeFamily_RevokesEveryTokenOfItOnly) {
  this->Issue("rt-1", Grant("fam-1", kT0 + 1h));
  this->Issue("other", Grant("fam-2", kT0 + 1h));
  ASSERT_EQ(this->Rotate("rt-1", "rt-2", kT0 + 2h, kT0).status, RotateStatus::kRotated);
  ASSERT_TRUE(this->io_.Run(this->store().RevokeFamily("fam-1")));
  EXPECT_EQ(this->Find("rt-2", kT0), std::nullopt);
  EXPECT_EQ(this->Rotate("rt-2", "rt-3", kT0 + 2h, kT0).status, RotateStatus::kUnknown);
  EXPECT_EQ(this->Rotate("rt-1", "rt-3", kT0 + 2h, kT0).status, RotateStatus::kUnknown);
  EXPECT_EQ(this->Find("other", kT0), Grant("fam-2", kT0 + 1h));
}

TYPED_TEST(RefreshTokenStoreContract, RevokeFamily_UnknownFamilyIsNotAnError) {
  auto revoked = this->io_.Run(this->store().RevokeFamily("no-such-family"));
  EXPECT_TRUE(revoked);
}

// --- RevokeSession (logout) -----------------------------------------------------------------

TYPED_TEST(RefreshTokenStoreContract, RevokeSession_RevokesEveryFamilyOfTheSessionOnly) {
  this->Issue("a-1", SessionGrant("fam-a", kT0 + 1h, "sid-1"));
  this->Issue("b-1", SessionGrant("fam-b", kT0 + 1h, "sid-1"));  // a second client's family
  this->Issue("other-session", SessionGrant("fam-c", kT0 + 1h, "sid-2"));
  this->Issue("no-session", Grant("fam-d", kT0 + 1h));  // password grant: no sid
  ASSERT_EQ(this->Rotate("b-1", "b-2", kT0 + 2h, kT0).status, RotateStatus::kRotated);

  EXPECT_EQ(this->RevokeSession("sid-1", kT0 + 1min), 2u);

  EXPECT_EQ(this->Find("a-1", kT0 + 1min), std::nullopt);
  EXPECT_EQ(this->Find("b-2", kT0 + 1min), std::nullopt);
  EXPECT_EQ(this->Rotate("a-1", "a-2", kT0 + 2h, kT0 + 1min).status, RotateStatus::kUnknown);
  EXPECT_EQ(this->Rotate("b-2", "b-3", kT0 + 2h, kT0 + 1min).status, RotateStatus::kUnknown);
  // The used token too is gone with its family: no replay to detect, only an unknown token.
  EXPECT_EQ(this->Rotate("b-1", "b-4", kT0 + 2h, kT0 + 1min).status, RotateStatus::kUnknown);
  EXPECT_EQ(this->Find("other-session", kT0 + 1min), SessionGrant("fam-c", kT0 + 1h, "sid-2"));
  EXPECT_EQ(this->Find("no-session", kT0 + 1min), Grant("fam-d", kT0 + 1h));
}

TYPED_TEST(RefreshTokenStoreContract, RevokeSession_IsIdempotent) {
  this->Issue("a-1", SessionGrant("fam-a", kT0 + 1h, "sid-1"));
  this->Issue("other-session", SessionGrant("fam-c", kT0 + 1h, "sid-2"));
  EXPECT_EQ(this->RevokeSession("sid-1", kT0), 1u);
  EXPECT_EQ(this->RevokeSession("sid-1", kT0), 0u);
  EXPECT_EQ(this->Find("a-1", kT0), std::nullopt);
  EXPECT_EQ(this->Find("other-session", kT0), SessionGrant("fam-c", kT0 + 1h, "sid-2"));
}

TYPED_TEST(RefreshTokenStoreContract, RevokeSession_UnknownSidRevokesNothing) {
  this->Issue("a-1", SessionGrant("fam-a", kT0 + 1h, "sid-1"));
  this->Issue("no-session", Grant("fam-d", kT0 + 1h));
  EXPECT_EQ(this->RevokeSession("no-such-sid", kT0), 0u);
  EXPECT_EQ(this->Find("a-1", kT0), SessionGrant("fam-a", kT0 + 1h, "sid-1"));
  EXPECT_EQ(this->Find("no-session", kT0), Grant("fam-d", kT0 + 1h));
}

// Families without a session are never grouped: an empty sid is no session at all.
TYPED_TEST(RefreshTokenStoreContract, RevokeSession_EmptySidRevokesNothing) {
  this->Issue("no-session", Grant("fam-d", kT0 + 1h));
  this->Issue("other-no-session", Grant("fam-e", kT0 + 1h));
  EXPECT_EQ(this->RevokeSession("", kT0), 0u);
  EXPECT_EQ(this->Find("no-session", kT0), Grant("fam-d", kT0 + 1h));
  EXPECT_EQ(this->Find("other-no-session", kT0), Grant("fam-e", kT0 + 1h));
}

// Revoked (RevokeFamily, or a replay) and ended families are not counted again.
TYPED_TEST(RefreshTokenStoreContract, RevokeSession_CountsOnlyFamiliesStillAlive) {
  this->Issue("revoked", SessionGrant("fam-a", kT0 + 3h, "sid-1"));
  this->Issue("replayed-1", SessionGrant("fam-b", kT0 + 3h, "sid-1"));
  this->Issue("ended", SessionGrant("fam-c", kT0 + 1h, "sid-1"));
  this->Issue("live", SessionGrant("fam-d", kT0 + 3h, "sid-1"));
  ASSERT_TRUE(this->io_.Run(this->store().RevokeFamily("fam-a")));
  ASSERT_EQ(this->Rotate("replayed-1", "replayed-2", kT0 + 3h, kT0).status, RotateStatus::kRotated);
  ASSERT_EQ(this->Rotate("replayed-1", "replayed-3", kT0 + 3h, kT0).status, RotateStatus::kReused);
  EXPECT_EQ(this->RevokeSession("sid-1", kT0 + 2h), 1u);  // fam-c ended at kT0 + 1h
  EXPECT_EQ(this->Find("live", kT0 + 2h), std::nullopt);
}

TYPED_TEST(RefreshTokenStoreContract, Rotate_ConcurrentUseOfOneTokenRotatesOnce) {
  constexpr int kRounds = 20;
  for (int round = 0; round < kRounds; ++round) {
    const std::string family = "fam-" + std::to_string(round);
    const std::string old_token = "rt-" + family;
    this->Issue(old_token, Grant(family, kT0 + 1h));
    // Both in flight before either is awaited (two replicas, or two threads).
    auto first =
        net::co_spawn(this->io_.io(),
                      this->store().Rotate(Hash(old_token), Hash(old_token + "-a"), kT0 + 2h, kT0),
                      net::use_future);
    auto second =
        net::co_spawn(this->io_.io(),
                      this->store().Rotate(Hash(old_token), Hash(old_token + "-b"), kT0 + 2h, kT0),
                      net::use_future);
    auto a = first.get();
    auto b = second.get();
    ASSERT_TRUE(a && b);
    std::vector<RotateStatus> statuses{a->status, b->status};
    std::sort(statuses.begin(), statuses.end());
    EXPECT_EQ(statuses, (std::vector<RotateStatus>{RotateStatus::kRotated, RotateStatus::kReused}));
    // The loser revoked the family, the winner's fresh token included.
    EXPECT_EQ(this->Find(old_token + "-a", kT0), std::nullopt);
    EXPECT_EQ(this->Find(old_token + "-b", kT0), std::nullopt);
  }
}

// The memory twin forgets what has expired once the map has grown.
TEST(MemoryRefreshTokenStore, PrunesExpiredFamiliesWhenItGrows) {
  IoThreads io(1);
  MemoryRefreshTokenStore store;
  for (int i = 0; i < 1000; ++i) {
    const std::string family = "old-" + std::to_string(i);
    ASSERT_TRUE(io.Run(store.Issue(Hash(family), Grant(family, kT0 + 1h))));
  }
  // Time passes (seen through any call); the old families are over.
  ASSERT_TRUE(io.Run(store.Find(Hash("x"), kT0 + 2h)));
  for (int i = 0; i < 1000; ++i) {
    const std::string family = "new-" + std::to_string(i);
    ASSERT_TRUE(io.Run(store.Issue(Hash(family), Grant(family, kT0 + 3h))));
  }
  EXPECT_LE(store.token_count(), 1000u + 1000u / 2);
  auto found = io.Run(store.Find(Hash("new-999"), kT0 + 2h));
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->has_value());
}

// The sid index holds only families that are held: it empties as they go.
TEST(MemoryRefreshTokenStore, SessionIndexForgetsFamiliesThatAreGone) {
  IoThreads io(1);
  MemoryRefreshTokenStore store;
  ASSERT_TRUE(io.Run(store.Issue(Hash("a-1"), SessionGrant("fam-a", kT0 + 1h, "sid-1"))));
  ASSERT_TRUE(io.Run(store.Issue(Hash("b-1"), SessionGrant("fam-b", kT0 + 1h, "sid-2"))));
  ASSERT_TRUE(io.Run(store.Issue(Hash("c-1"), SessionGrant("fam-c", kT0 + 1h, "sid-3"))));
  ASSERT_TRUE(io.Run(store.Issue(Hash("d-1"), Grant("fam-d", kT0 + 1h))));
  EXPECT_EQ(store.indexed_session_count(), 3u);
  ASSERT_TRUE(io.Run(store.RevokeFamily("fam-a")));
  EXPECT_EQ(store.indexed_session_count(), 2u);
  ASSERT_TRUE(io.Run(store.Rotate(Hash("b-1"), Hash("b-2"), kT0 + 1h, kT0)));
  ASSERT_TRUE(io.Run(store.Rotate(Hash("b-1"), Hash("b-3"), kT0 + 1h, kT0)));  // a replay
  EXPECT_EQ(store.indexed_session_count(), 1u);
  auto revoked = io.Run(store.RevokeSession("sid-3", kT0));
  ASSERT_TRUE(revoked);
  EXPECT_EQ(*revoked, 1u);
  EXPECT_EQ(store.indexed_session_count(), 0u);
}

TEST(MemoryRefreshTokenStore, SessionIndexIsPrunedWithExpiredFamilies) {
  IoThreads io(1);
  MemoryRefreshTokenStore store;
  for (int i = 0; i < 100; ++i) {
    const std::string family = "old-" + std::to_string(i);
    ASSERT_TRUE(io.Run(store.Issue(Hash(family), SessionGrant(family, kT0 + 1h, "sid-" + family))));
  }
  EXPECT_EQ(store.indexed_session_count(), 100u);
  // Time passes; the next growth prunes the old families and their sessions with them.
  ASSERT_TRUE(io.Run(store.Find(Hash("x"), kT0 + 2h)));
  for (int i = 0; i < 200; ++i) {
    const std::string family = "new-" + std::to_string(i);
    ASSERT_TRUE(io.Run(store.Issue(Hash(family), Grant(family, kT0 + 3h))));
  }
  EXPECT_EQ(store.indexed_session_count(), 0u);
}

class RedisRefreshTokenStoreTest : public RedisStoreTest<RedisRefreshTokenStore> {};

// The index must outlive every family of the session (else a logout would miss one): it
// expires with the longest, and follows a rotation that extends a family.
TEST_F(RedisRefreshTokenStoreTest, SessionIndexExpiresWithTheLongestFamily) {
  const auto now = std::chrono::system_clock::now();
  const auto base = std::chrono::floor<std::chrono::seconds>(now);
  const std::int64_t hour_ms = 3'600'000;
  ASSERT_TRUE(io_.Run(store_.Issue(Hash("a-1"), SessionGrant("fam-a", base + 1h, "sid-1"))));
  const std::string index = store_.SessionKey("sid-1");
  EXPECT_GT(Pttl(index), 0);
  EXPECT_LE(Pttl(index), hour_ms);
  ASSERT_TRUE(io_.Run(store_.Issue(Hash("b-1"), SessionGrant("fam-b", base + 3h, "sid-1"))));
  EXPECT_GT(Pttl(index), 2 * hour_ms);
  EXPECT_LE(Pttl(index), 3 * hour_ms);
  // A shorter family does not shorten it.
  ASSERT_TRUE(io_.Run(store_.Issue(Hash("c-1"), SessionGrant("fam-c", base + 2h, "sid-1"))));
  EXPECT_GT(Pttl(index), 2 * hour_ms);
  auto rotated = io_.Run(store_.Rotate(Hash("a-1"), Hash("a-2"), base + 5h, now));
  ASSERT_TRUE(rotated);
  ASSERT_EQ(rotated->status, RotateStatus::kRotated);
  EXPECT_GT(Pttl(index), 4 * hour_ms);
  EXPECT_LE(Pttl(index), 5 * hour_ms);
  for (const auto& key : AllKeys()) EXPECT_GT(Pttl(key), 0) << key;
}

TEST_F(RedisRefreshTokenStoreTest, SessionIndexHoldsTheFamilyKeysAndLosesRevokedOnes) {
  ASSERT_TRUE(io_.Run(store_.Issue(Hash("a-1"), SessionGrant("fam-a", kT0 + 1h, "sid-1"))));
  ASSERT_TRUE(io_.Run(store_.Issue(Hash("b-1"), SessionGrant("fam-b", kT0 + 1h, "sid-1"))));
  const std::string index = store_.SessionKey("sid-1");
  EXPECT_EQ(index, "signet:rs:sid-1");
  auto members = sync_.Command("SCARD", index);
  ASSERT_TRUE(members);
  EXPECT_EQ(members->integer(), 2);
  ASSERT_TRUE(io_.Run(store_.RevokeFamily("fam-a")));
  auto member = sync_.Command("SISMEMBER", index, store_.FamilyKey("fam-b"));
  ASSERT_TRUE(member);
  EXPECT_EQ(member->integer(), 1);
  members = sync_.Command("SCARD", index);
  ASSERT_TRUE(members);
  EXPECT_EQ(members->integer(), 1);
  auto revoked = io_.Run(store_.RevokeSession("sid-1", kT0));
  ASSERT_TRUE(revoked);
  EXPECT_EQ(*revoked, 1u);
  EXPECT_TRUE(AllKeys().empty());  // tokens, families and the index: nothing left behind
}

TEST_F(RedisRefreshTokenStoreTest, SessionIndexKeyNeverHoldsAnOddSid) {
  const std::string odd_sid = "sid with spaces\n*?[]";
  ASSERT_TRUE(io_.Run(store_.Issue(Hash("a-1"), SessionGrant("fam-a", kT0 + 1h, odd_sid))));
  const std::string index = store_.SessionKey(odd_sid);
  EXPECT_TRUE(IsPrefixAndHexSha256(index, "signet:rs:h:")) << index;
  auto revoked = io_.Run(store_.RevokeSession(odd_sid, kT0));
  ASSERT_TRUE(revoked);
  EXPECT_EQ(*revoked, 1u);
}

// A family written before the index existed (a rolling upgrade) has no "sidx": rotating it
// works as before, and a logout cannot find it (it lives until it expires or is revoked).
TEST_F(RedisRefreshTokenStoreTest, FamilyWithoutTheIndexFieldRotatesAndIsNotRevokedBySession) {
  ASSERT_TRUE(io_.Run(store_.Issue(Hash("a-1"), SessionGrant("fam-a", kT0 + 1h, "sid-1"))));
  ASSERT_TRUE(sync_.Command("HDEL", store_.FamilyKey("fam-a"), "sidx"));
  ASSERT_TRUE(sync_.Command("DEL", store_.SessionKey("sid-1")));
  auto rotated = io_.Run(store_.Rotate(Hash("a-1"), Hash("a-2"), kT0 + 2h, kT0));
  ASSERT_TRUE(rotated);
  EXPECT_EQ(rotated->status, RotateStatus::kRotated);
  auto revoked = io_.Run(store_.RevokeSession("sid-1", kT0));
  ASSERT_TRUE(revoked);
  EXPECT_EQ(*revoked, 0u);
  auto found = io_.Run(store_.Find(Hash("a-2"), kT0));
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->has_value());
}

TEST_F(RedisRefreshTokenStoreTest, EveryKeyExpiresWithItsTokenOrFamily) {
  const auto now = std::chrono::system_clock::now();
  const auto expires = std::chrono::floor<std::chrono::seconds>(now) + 1h;
  ASSERT_TRUE(io_.Run(store_.Issue(Hash("rt-1"), Grant("fam-1", expires))));
  ASSERT_TRUE(io_.Run(store_.Rotate(Hash("rt-1"), Hash("rt-2"), expires + 1h, now)));
  const std::int64_t hour_ms = 3'600'000;
  EXPECT_GT(Pttl(store_.TokenKey(Hash("rt-2"))), hour_ms);  // about two hours
  EXPECT_LE(Pttl(store_.TokenKey(Hash("rt-2"))), 2 * hour_ms);
  // The used token is kept as long as the family, to recognise a replay.
  EXPECT_GT(Pttl(store_.TokenKey(Hash("rt-1"))), hour_ms);
  EXPECT_GT(Pttl(store_.FamilyKey("fam-1")), hour_ms);
  EXPECT_LE(Pttl(store_.FamilyKey("fam-1")), 2 * hour_ms);
  for (const auto& key : AllKeys()) EXPECT_GT(Pttl(key), 0) << key;
}

TEST_F(RedisRefreshTokenStoreTest, KeyNamesHoldOnlyTheHexOfTheHash) {
  const std::string token = "opaque-refresh-token-value";
  const std::string odd_family = "fam with spaces\n*?[]";
  ASSERT_TRUE(io_.Run(store_.Issue(Hash(token), Grant(odd_family, kT0 + 1h))));
  const auto keys = AllKeys();
  ASSERT_EQ(keys.size(), 2u);
  for (const auto& key : keys) {
    EXPECT_TRUE(IsPrefixAndHexSha256(key, "signet:rt:") ||
                IsPrefixAndHexSha256(key, "signet:rtf:h:"))
        << key;
    EXPECT_EQ(key.find(token), std::string::npos);
    EXPECT_EQ(key.find(Hash(token)), std::string::npos);  // the raw hash bytes
  }
  auto found = io_.Run(store_.Find(Hash(token), kT0));
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->family_id, odd_family);
}

// A family written before `sid` existed (a rolling upgrade) reads as one without a session.
TEST_F(RedisRefreshTokenStoreTest, FamilyWithoutTheSidFieldReadsAsNoSid) {
  RefreshGrant grant = Grant("fam-1", kT0 + 1h);
  grant.sid = "sid-1";
  ASSERT_TRUE(io_.Run(store_.Issue(Hash("rt-1"), grant)));
  ASSERT_TRUE(sync_.Command("HDEL", store_.FamilyKey("fam-1"), "sid"));
  auto found = io_.Run(store_.Find(Hash("rt-1"), kT0));
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->sid, "");
  EXPECT_EQ((*found)->subject, "alice");
  auto rotated = io_.Run(store_.Rotate(Hash("rt-1"), Hash("rt-2"), kT0 + 2h, kT0));
  ASSERT_TRUE(rotated);
  EXPECT_EQ(rotated->status, RotateStatus::kRotated);
  EXPECT_EQ(rotated->grant.sid, "");
  auto reused = io_.Run(store_.Rotate(Hash("rt-1"), Hash("rt-3"), kT0 + 3h, kT0));
  ASSERT_TRUE(reused);
  EXPECT_EQ(reused->status, RotateStatus::kReused);
  EXPECT_EQ(reused->grant.sid, "");
}

// Without Redis the answer is an error (the server's 503), never "unknown".
TEST_F(RedisRefreshTokenStoreTest, FailsUnavailableWhileRedisIsDown) {
  ASSERT_TRUE(io_.Run(store_.Issue(Hash("rt-1"), Grant("fam-1", kT0 + 1h))));
  redis_.Stop();
  ASSERT_TRUE(Eventually([&] { return !client_.connected(); }));
  auto rotated = io_.Run(store_.Rotate(Hash("rt-1"), Hash("rt-2"), kT0 + 2h, kT0));
  ASSERT_FALSE(rotated);
  EXPECT_EQ(rotated.error(), Errc::kUnavailable);
  EXPECT_EQ(io_.Run(store_.Find(Hash("rt-1"), kT0)).error(), Errc::kUnavailable);
  EXPECT_EQ(io_.Run(store_.RevokeFamily("fam-1")).error(), Errc::kUnavailable);
  EXPECT_EQ(io_.Run(store_.RevokeSession("sid-1", kT0)).error(), Errc::kUnavailable);
}

}  // namespace
}  // namespace signet::store

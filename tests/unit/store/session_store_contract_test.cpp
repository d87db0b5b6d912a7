// One contract for every SessionStore (House style 23): the in-memory store of a single node
// and the Redis store of a cluster (on a real redis-server, 2 I/O threads). Time is injected
// (`now`); Redis TTLs run in real time, so kT0 (2033) lies safely after it.

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "store/internal/redis_key_name.hpp"
#include "store/memory_session_store.hpp"
#include "store/redis_async_client.hpp"
#include "store/redis_session_store.hpp"
#include "store/redis_sync_client.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/unit/store/async_test_support.hpp"
#include "tests/unit/store/store_environments.hpp"

namespace signet::store {
namespace {

using namespace std::chrono_literals;

const WallTime kT0 = FromUnixSeconds(2'000'000'000);

// What the server stores for the cookie value: its SHA-256, 32 raw bytes.
std::string Hash(const std::string& cookie) { return internal::Sha256(cookie); }

LoginSession Session(const std::string& sid, const std::string& subject, WallTime expires) {
  return {.sid = sid, .subject = subject, .auth_time = kT0, .expires = expires, .client_ids = {}};
}

using MemoryEnvironment = MemoryStoreEnvironment<SessionStore, MemorySessionStore>;
using RedisEnvironment = RedisStoreEnvironment<SessionStore, RedisSessionStore>;

template <class Environment>
class SessionStoreContract : public ::testing::Test {
 protected:
  SessionStore& store() { return environment_.store(); }

  void Create(const std::string& cookie, const LoginSession& session) {
    auto created = io_.Run(store().Create(Hash(cookie), session));
    ASSERT_TRUE(created) << created.error().message();
  }
  std::optional<LoginSession> Find(const std::string& cookie, WallTime now) {
    auto found = io_.Run(store().Find(Hash(cookie), now));
    EXPECT_TRUE(found) << found.error().message();
    return found ? *found : std::nullopt;
  }
  bool AddClient(const std::string& cookie, const std::string& client_id, WallTime now) {
    auto added = io_.Run(store().AddClient(Hash(cookie), client_id, now));
    EXPECT_TRUE(added) << added.error().message();
    return added && *added;
  }
  std::optional<LoginSession> End(const std::string& cookie) {
    auto ended = io_.Run(store().End(Hash(cookie)));
    EXPECT_TRUE(ended) << ended.error().message();
    return ended ? *ended : std::nullopt;
  }
  std::size_t EndAll(const std::string& subject) {
    auto ended = io_.Run(store().EndAllForSubject(subject));
    EXPECT_TRUE(ended) << ended.error().message();
    return ended ? *ended : 999;
  }

  IoThreads io_{2};
  Environment environment_{io_};
};

using Environments = ::testing::Types<MemoryEnvironment, RedisEnvironment>;
TYPED_TEST_SUITE(SessionStoreContract, Environments);

TYPED_TEST(SessionStoreContract, Find_ReturnsTheCreatedSession) {
  const LoginSession session = Session("sid-1", "alice", kT0 + 8h);
  this->Create("cookie-1", session);
  EXPECT_EQ(this->Find("cookie-1", kT0 + 1h), session);
}

TYPED_TEST(SessionStoreContract, Find_UnknownSessionIsNullopt) {
  this->Create("cookie-1", Session("sid-1", "alice", kT0 + 8h));
  EXPECT_EQ(this->Find("cookie-2", kT0), std::nullopt);
}

TYPED_TEST(SessionStoreContract, Find_ExpiredSessionIsNullopt) {
  this->Create("cookie-1", Session("sid-1", "alice", kT0 + 8h));
  EXPECT_NE(this->Find("cookie-1", kT0 + 8h - 1s), std::nullopt);
  EXPECT_EQ(this->Find("cookie-1", kT0 + 8h), std::nullopt);
}

TYPED_TEST(SessionStoreContract, Create_KeepsGivenClientsSortedAndUnique) {
  LoginSession session = Session("sid-1", "alice", kT0 + 8h);
  session.client_ids = {"b", "a", "b"};
  this->Create("cookie-1", session);
  const auto found = this->Find("cookie-1", kT0);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->client_ids, (std::vector<std::string>{"a", "b"}));
}

TYPED_TEST(SessionStoreContract, AddClient_RecordsEachClientOnce) {
  this->Create("cookie-1", Session("sid-1", "alice", kT0 + 8h));
  EXPECT_TRUE(this->AddClient("cookie-1", "client-b", kT0));
  EXPECT_TRUE(this->AddClient("cookie-1", "client-a", kT0 + 1min));
  EXPECT_TRUE(this->AddClient("cookie-1", "client-b", kT0 + 2min));
  const auto found = this->Find("cookie-1", kT0 + 3min);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->client_ids, (std::vector<std::string>{"client-a", "client-b"}));
}

TYPED_TEST(SessionStoreContract, AddClient_WithoutALiveSessionIsFalse) {
  this->Create("cookie-1", Session("sid-1", "alice", kT0 + 8h));
  EXPECT_FALSE(this->AddClient("cookie-2", "client-a", kT0));
  EXPECT_FALSE(this->AddClient("cookie-1", "client-a", kT0 + 8h));
  EXPECT_EQ(this->Find("cookie-2", kT0), std::nullopt);  // not created by AddClient
}

TYPED_TEST(SessionStoreContract, End_RemovesTheSessionAndReturnsIt) {
  this->Create("cookie-1", Session("sid-1", "alice", kT0 + 8h));
  this->Create("cookie-2", Session("sid-2", "alice", kT0 + 8h));
  ASSERT_TRUE(this->AddClient("cookie-1", "client-a", kT0));
  LoginSession expected = Session("sid-1", "alice", kT0 + 8h);
  expected.client_ids = {"client-a"};
  EXPECT_EQ(this->End("cookie-1"), expected);  // whom the logout must tell
  EXPECT_EQ(this->Find("cookie-1", kT0), std::nullopt);
  EXPECT_FALSE(this->AddClient("cookie-1", "client-b", kT0));
  EXPECT_EQ(this->End("cookie-1"), std::nullopt);
  EXPECT_NE(this->Find("cookie-2", kT0), std::nullopt);  // the other browser stays logged in
}

TYPED_TEST(SessionStoreContract, EndAllForSubject_EndsOnlyThatSubjectsSessions) {
  this->Create("cookie-1", Session("sid-1", "alice", kT0 + 8h));
  this->Create("cookie-2", Session("sid-2", "alice", kT0 + 9h));
  this->Create("cookie-3", Session("sid-3", "bob", kT0 + 8h));
  EXPECT_EQ(this->EndAll("alice"), 2u);
  EXPECT_EQ(this->Find("cookie-1", kT0), std::nullopt);
  EXPECT_EQ(this->Find("cookie-2", kT0), std::nullopt);
  EXPECT_NE(this->Find("cookie-3", kT0), std::nullopt);
  EXPECT_EQ(this->EndAll("alice"), 0u);
  EXPECT_EQ(this->EndAll("nobody"), 0u);
}

TYPED_TEST(SessionStoreContract, EndAllForSubject_SkipsSessionsEndedBefore) {
  this->Create("cookie-1", Session("sid-1", "alice", kT0 + 8h));
  this->Create("cookie-2", Session("sid-2", "alice", kT0 + 8h));
  ASSERT_NE(this->End("cookie-1"), std::nullopt);
  EXPECT_EQ(this->EndAll("alice"), 1u);
  EXPECT_EQ(this->Find("cookie-2", kT0), std::nullopt);
}

TYPED_TEST(SessionStoreContract, Create_AgainReplacesTheSession) {
  this->Create("cookie-1", Session("sid-1", "alice", kT0 + 8h));
  ASSERT_TRUE(this->AddClient("cookie-1", "client-a", kT0));
  this->Create("cookie-1", Session("sid-9", "bob", kT0 + 9h));
  EXPECT_EQ(this->Find("cookie-1", kT0), Session("sid-9", "bob", kT0 + 9h));
  EXPECT_EQ(this->EndAll("alice"), 0u);  // no longer alice's
  EXPECT_EQ(this->EndAll("bob"), 1u);
}

// The memory twin forgets expired sessions once the map has grown.
TEST(MemorySessionStore, PrunesExpiredSessionsWhenItGrows) {
  IoThreads io(1);
  MemorySessionStore store;
  for (int i = 0; i < 1000; ++i) {
    const std::string cookie = "old-" + std::to_string(i);
    ASSERT_TRUE(io.Run(store.Create(Hash(cookie), Session(cookie, "alice", kT0 + 1h))));
  }
  // Time passes (seen through any call); the old sessions are over.
  ASSERT_TRUE(io.Run(store.Find(Hash("x"), kT0 + 2h)));
  for (int i = 0; i < 1000; ++i) {
    const std::string cookie = "new-" + std::to_string(i);
    ASSERT_TRUE(io.Run(store.Create(Hash(cookie), Session(cookie, "alice", kT0 + 3h))));
  }
  EXPECT_LE(store.session_count(), 1000u + 1000u / 2);
  EXPECT_EQ(store.indexed_session_count(), store.session_count());  // the index follows
  const std::size_t held = store.session_count();
  auto ended = io.Run(store.EndAllForSubject("alice"));
  ASSERT_TRUE(ended);
  EXPECT_EQ(*ended, held);
  EXPECT_EQ(store.session_count(), 0u);
  EXPECT_EQ(store.indexed_session_count(), 0u);
}

class RedisSessionStoreTest : public RedisStoreTest<RedisSessionStore> {
 protected:
  std::int64_t IndexSize(const std::string& subject) {
    auto reply = sync_.Command("ZCARD", store_.SubjectKey(subject));
    EXPECT_TRUE(reply);
    return reply ? reply->integer() : -1;
  }
};

TEST_F(RedisSessionStoreTest, KeysExpireWithTheSessionAndTheLastOfTheSubject) {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const std::int64_t hour_ms = 3'600'000;
  ASSERT_TRUE(io_.Run(store_.Create(Hash("cookie-1"), Session("sid-1", "alice", now + 2h))));
  ASSERT_TRUE(io_.Run(store_.Create(Hash("cookie-2"), Session("sid-2", "alice", now + 1h))));
  EXPECT_GT(Pttl(store_.SessionKey(Hash("cookie-1"))), hour_ms);
  EXPECT_LE(Pttl(store_.SessionKey(Hash("cookie-1"))), 2 * hour_ms);
  EXPECT_GT(Pttl(store_.SessionKey(Hash("cookie-2"))), 0);
  EXPECT_LE(Pttl(store_.SessionKey(Hash("cookie-2"))), hour_ms);
  // The subject index lives as long as its longest session, not its newest.
  EXPECT_GT(Pttl(store_.SubjectKey("alice")), hour_ms);
  EXPECT_LE(Pttl(store_.SubjectKey("alice")), 2 * hour_ms);
  ASSERT_TRUE(io_.Run(store_.AddClient(Hash("cookie-1"), "client-a", now)));
  EXPECT_GT(Pttl(store_.SessionKey(Hash("cookie-1"))), hour_ms);  // AddClient keeps the TTL
  for (const auto& key : AllKeys()) EXPECT_GT(Pttl(key), 0) << key;
}

TEST_F(RedisSessionStoreTest, SubjectIndexForgetsEndedSessions) {
  for (int i = 0; i < 5; ++i) {
    const std::string cookie = "cookie-" + std::to_string(i);
    ASSERT_TRUE(io_.Run(store_.Create(Hash(cookie), Session(cookie, "alice", kT0 + 8h))));
    ASSERT_TRUE(io_.Run(store_.End(Hash(cookie))));
  }
  EXPECT_EQ(IndexSize("alice"), 0);
  ASSERT_TRUE(io_.Run(store_.Create(Hash("cookie-1"), Session("s", "alice", kT0 + 8h))));
  // A session that vanished without End (its TTL ran out) is dropped on the next Create.
  ASSERT_TRUE(sync_.Command("DEL", store_.SessionKey(Hash("cookie-1"))));
  ASSERT_TRUE(io_.Run(store_.Create(Hash("cookie-2"), Session("s", "alice", kT0 + 8h))));
  EXPECT_EQ(IndexSize("alice"), 1);
}

TEST_F(RedisSessionStoreTest, KeyNamesHoldOnlyHexOfHashes) {
  const std::string cookie = "opaque-session-cookie";
  ASSERT_TRUE(io_.Run(store_.Create(Hash(cookie), Session("sid-1", "alice@example", kT0 + 8h))));
  const auto keys = AllKeys();
  ASSERT_EQ(keys.size(), 2u);
  for (const std::string_view key : keys) {
    const std::string_view prefix = key.starts_with("signet:ss:") ? "signet:ss:" : "signet:sss:";
    ASSERT_TRUE(key.starts_with(prefix)) << key;
    EXPECT_EQ(key.size(), prefix.size() + 64) << key;
    EXPECT_EQ(key.substr(prefix.size()).find_first_not_of("0123456789abcdef"),
              std::string_view::npos)
        << key;
    EXPECT_EQ(key.find(cookie), std::string_view::npos);
    EXPECT_EQ(key.find("alice"), std::string_view::npos);
  }
}

// Without Redis the answer is an error (the server's 503), never "no session".
TEST_F(RedisSessionStoreTest, FailsUnavailableWhileRedisIsDown) {
  ASSERT_TRUE(io_.Run(store_.Create(Hash("cookie-1"), Session("sid-1", "alice", kT0 + 8h))));
  redis_.Stop();
  ASSERT_TRUE(Eventually([&] { return !client_.connected(); }));
  EXPECT_EQ(io_.Run(store_.Create(Hash("c"), Session("s", "a", kT0 + 8h))).error(),
            Errc::kUnavailable);
  EXPECT_EQ(io_.Run(store_.Find(Hash("cookie-1"), kT0)).error(), Errc::kUnavailable);
  EXPECT_EQ(io_.Run(store_.AddClient(Hash("cookie-1"), "client-a", kT0)).error(),
            Errc::kUnavailable);
  EXPECT_EQ(io_.Run(store_.End(Hash("cookie-1"))).error(), Errc::kUnavailable);
  EXPECT_EQ(io_.Run(store_.EndAllForSubject("alice")).error(), Errc::kUnavailable);
}

}  // namespace
}  // namespace signet::store

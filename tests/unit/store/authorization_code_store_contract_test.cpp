// One contract for every AuthorizationCodeStore (House style 23): the in-memory store of a
// single node and the Redis store of a cluster (on a real redis-server, 2 I/O threads). Time
// is injected (`now`); Redis TTLs run in real time, so kT0 (2033) lies safely after it.

#include <algorithm>
#include <chrono>
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
#include "store/memory_authorization_code_store.hpp"
#include "store/redis_async_client.hpp"
#include "store/redis_authorization_code_store.hpp"
#include "store/redis_sync_client.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/unit/store/async_test_support.hpp"
#include "tests/unit/store/store_environments.hpp"

namespace signet::store {
namespace {

namespace net = boost::asio;
using namespace std::chrono_literals;

const WallTime kT0 = FromUnixSeconds(2'000'000'000);

// What the server stores for an opaque code: its SHA-256, 32 raw bytes.
std::string Hash(const std::string& code) { return internal::Sha256(code); }

AuthorizationGrant Grant(WallTime expires) {
  return {.client_id = "client-a",
          .redirect_uri = "https://app-a.example/cb?x=1",
          .code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
          .scope = "openid profile email",
          .nonce = "n-0S6_WzA2Mj",
          .subject = "alice",
          .auth_time = kT0 - 5min,
          .sid = "sid-1",
          .expires = expires};
}

IssuedFromCode Issued() {
  return {.access_jti = "jti-1", .access_expires = kT0 + 1h, .refresh_family_id = "fam-1"};
}

using MemoryEnvironment =
    MemoryStoreEnvironment<AuthorizationCodeStore, MemoryAuthorizationCodeStore>;
using RedisEnvironment = RedisStoreEnvironment<AuthorizationCodeStore, RedisAuthorizationCodeStore>;

template <class Environment>
class AuthorizationCodeStoreContract : public ::testing::Test {
 protected:
  AuthorizationCodeStore& store() { return environment_.store(); }

  void Issue(const std::string& code, const AuthorizationGrant& grant) {
    auto issued = io_.Run(store().Issue(Hash(code), grant));
    ASSERT_TRUE(issued) << issued.error().message();
  }
  ConsumeResult Consume(const std::string& code, WallTime now) {
    auto consumed = io_.Run(store().Consume(Hash(code), now));
    EXPECT_TRUE(consumed) << consumed.error().message();
    return consumed ? *consumed : ConsumeResult{};
  }
  RecordIssuedStatus Record(const std::string& code, const IssuedFromCode& issued) {
    auto recorded = io_.Run(store().RecordIssued(Hash(code), issued));
    EXPECT_TRUE(recorded) << recorded.error().message();
    return recorded ? *recorded : RecordIssuedStatus::kUnknown;
  }

  IoThreads io_{2};
  Environment environment_{io_};
};

using Environments = ::testing::Types<MemoryEnvironment, RedisEnvironment>;
TYPED_TEST_SUITE(AuthorizationCodeStoreContract, Environments);

TYPED_TEST(AuthorizationCodeStoreContract, Consume_ReturnsTheIssuedGrant) {
  this->Issue("code-1", Grant(kT0 + 60s));
  const ConsumeResult consumed = this->Consume("code-1", kT0);
  EXPECT_EQ(consumed.status, ConsumeStatus::kConsumed);
  EXPECT_EQ(consumed.grant, Grant(kT0 + 60s));
  EXPECT_EQ(consumed.issued, std::nullopt);
}

TYPED_TEST(AuthorizationCodeStoreContract, Consume_KeepsEmptyChallengeAndNonce) {
  AuthorizationGrant grant = Grant(kT0 + 60s);
  grant.code_challenge.clear();  // a confidential client that sent no PKCE
  grant.nonce.clear();
  this->Issue("code-1", grant);
  EXPECT_EQ(this->Consume("code-1", kT0).grant, grant);
}

TYPED_TEST(AuthorizationCodeStoreContract, Consume_SecondUseIsReused) {
  this->Issue("code-1", Grant(kT0 + 60s));
  ASSERT_EQ(this->Consume("code-1", kT0).status, ConsumeStatus::kConsumed);
  const ConsumeResult again = this->Consume("code-1", kT0 + 1s);
  EXPECT_EQ(again.status, ConsumeStatus::kReused);
  EXPECT_EQ(again.grant, Grant(kT0 + 60s));  // for the log line
  EXPECT_EQ(again.issued, std::nullopt);     // nothing recorded yet
  EXPECT_EQ(this->Consume("code-1", kT0 + 2s).status, ConsumeStatus::kReused);
}

TYPED_TEST(AuthorizationCodeStoreContract, Consume_UnknownCodeIsUnknown) {
  this->Issue("code-1", Grant(kT0 + 60s));
  EXPECT_EQ(this->Consume("never-issued", kT0).status, ConsumeStatus::kUnknown);
  EXPECT_EQ(this->Consume("code-1", kT0).status, ConsumeStatus::kConsumed);  // untouched
}

TYPED_TEST(AuthorizationCodeStoreContract, Consume_ExpiredCodeIsUnknown) {
  this->Issue("code-1", Grant(kT0 + 60s));
  this->Issue("code-2", Grant(kT0 + 60s));
  EXPECT_EQ(this->Consume("code-1", kT0 + 59s).status, ConsumeStatus::kConsumed);
  EXPECT_EQ(this->Consume("code-2", kT0 + 60s).status, ConsumeStatus::kUnknown);
  // An expired unused code stays unusable (it is not turned into a "reuse").
  EXPECT_EQ(this->Consume("code-2", kT0 + 61s).status, ConsumeStatus::kUnknown);
}

TYPED_TEST(AuthorizationCodeStoreContract, Consume_ReuseReturnsWhatTheFirstUseIssued) {
  this->Issue("code-1", Grant(kT0 + 60s));
  ASSERT_EQ(this->Consume("code-1", kT0).status, ConsumeStatus::kConsumed);
  EXPECT_EQ(this->Record("code-1", Issued()), RecordIssuedStatus::kRecorded);
  const ConsumeResult reused = this->Consume("code-1", kT0 + 10s);
  EXPECT_EQ(reused.status, ConsumeStatus::kReused);
  EXPECT_EQ(reused.issued, Issued());
}

TYPED_TEST(AuthorizationCodeStoreContract, Consume_ReuseWithoutRefreshTokenHasEmptyFamily) {
  this->Issue("code-1", Grant(kT0 + 60s));
  ASSERT_EQ(this->Consume("code-1", kT0).status, ConsumeStatus::kConsumed);
  IssuedFromCode issued = Issued();
  issued.refresh_family_id.clear();
  EXPECT_EQ(this->Record("code-1", issued), RecordIssuedStatus::kRecorded);
  EXPECT_EQ(this->Consume("code-1", kT0 + 10s).issued, issued);
}

TYPED_TEST(AuthorizationCodeStoreContract, Consume_ReuseIsRecognisedUntilTheWindowEnds) {
  this->Issue("code-1", Grant(kT0 + 60s));
  ASSERT_EQ(this->Consume("code-1", kT0).status, ConsumeStatus::kConsumed);
  EXPECT_EQ(this->Record("code-1", Issued()), RecordIssuedStatus::kRecorded);
  // Past the code's own expiry, inside the reuse window.
  const WallTime last = kT0 + 60s + kCodeReuseWindow - 1s;
  EXPECT_EQ(this->Consume("code-1", kT0 + 2min).status, ConsumeStatus::kReused);
  EXPECT_EQ(this->Consume("code-1", last).issued, Issued());
  EXPECT_EQ(this->Consume("code-1", last + 1s).status, ConsumeStatus::kUnknown);
}

TYPED_TEST(AuthorizationCodeStoreContract, RecordIssued_AfterAReuseSaysSo) {
  this->Issue("code-1", Grant(kT0 + 60s));
  ASSERT_EQ(this->Consume("code-1", kT0).status, ConsumeStatus::kConsumed);
  // The attacker's copy arrives while the first exchange is still issuing its tokens.
  ASSERT_EQ(this->Consume("code-1", kT0).status, ConsumeStatus::kReused);
  EXPECT_EQ(this->Record("code-1", Issued()), RecordIssuedStatus::kReused);
  // Still recorded: later reuses hand it back.
  EXPECT_EQ(this->Consume("code-1", kT0 + 1s).issued, Issued());
}

TYPED_TEST(AuthorizationCodeStoreContract, RecordIssued_UnconsumedOrUnknownCodeIsUnknown) {
  this->Issue("code-1", Grant(kT0 + 60s));
  EXPECT_EQ(this->Record("code-1", Issued()), RecordIssuedStatus::kUnknown);
  EXPECT_EQ(this->Record("never-issued", Issued()), RecordIssuedStatus::kUnknown);
  const ConsumeResult consumed = this->Consume("code-1", kT0);
  EXPECT_EQ(consumed.status, ConsumeStatus::kConsumed);  // still unused
}

TYPED_TEST(AuthorizationCodeStoreContract, Issue_AgainReplacesAConsumedCode) {
  this->Issue("code-1", Grant(kT0 + 60s));
  ASSERT_EQ(this->Consume("code-1", kT0).status, ConsumeStatus::kConsumed);
  AuthorizationGrant other = Grant(kT0 + 90s);
  other.client_id = "client-b";
  this->Issue("code-1", other);
  const ConsumeResult consumed = this->Consume("code-1", kT0 + 1s);
  EXPECT_EQ(consumed.status, ConsumeStatus::kConsumed);
  EXPECT_EQ(consumed.grant, other);
}

TYPED_TEST(AuthorizationCodeStoreContract, Consume_ConcurrentUseConsumesOnce) {
  constexpr int kRounds = 20;
  for (int round = 0; round < kRounds; ++round) {
    const std::string code = "code-" + std::to_string(round);
    this->Issue(code, Grant(kT0 + 60s));
    // Both in flight before either is awaited (two replicas, or two threads).
    auto first = net::co_spawn(this->io_.io(), this->store().Consume(Hash(code), kT0),
                               net::use_future);
    auto second = net::co_spawn(this->io_.io(), this->store().Consume(Hash(code), kT0),
                                net::use_future);
    auto a = first.get();
    auto b = second.get();
    ASSERT_TRUE(a && b);
    std::vector<ConsumeStatus> statuses{a->status, b->status};
    std::sort(statuses.begin(), statuses.end());
    EXPECT_EQ(statuses,
              (std::vector<ConsumeStatus>{ConsumeStatus::kConsumed, ConsumeStatus::kReused}));
  }
}

// The memory twin forgets codes whose time is over once the map has grown.
TEST(MemoryAuthorizationCodeStore, PrunesExpiredCodesWhenItGrows) {
  IoThreads io(1);
  MemoryAuthorizationCodeStore store;
  for (int i = 0; i < 1000; ++i) {
    const std::string code = "old-" + std::to_string(i);
    ASSERT_TRUE(io.Run(store.Issue(Hash(code), Grant(kT0 + 60s))));
    if (i % 2 == 0) {
      ASSERT_TRUE(io.Run(store.Consume(Hash(code), kT0)));  // used: kept longer
    }
  }
  // Time passes beyond every reuse window (seen through any Consume).
  ASSERT_TRUE(io.Run(store.Consume(Hash("x"), kT0 + 60s + kCodeReuseWindow)));
  for (int i = 0; i < 1000; ++i) {
    const std::string code = "new-" + std::to_string(i);
    ASSERT_TRUE(io.Run(store.Issue(Hash(code), Grant(kT0 + 60s + kCodeReuseWindow + 60s))));
  }
  EXPECT_LE(store.code_count(), 1000u + 1000u / 2);
  auto consumed = io.Run(store.Consume(Hash("new-999"), kT0 + 60s + kCodeReuseWindow));
  ASSERT_TRUE(consumed);
  EXPECT_EQ(consumed->status, ConsumeStatus::kConsumed);
}

class RedisAuthorizationCodeStoreTest : public RedisStoreTest<RedisAuthorizationCodeStore> {
};

TEST_F(RedisAuthorizationCodeStoreTest, KeyLivesUntilExpiryThenUntilTheReuseWindowEnds) {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  ASSERT_TRUE(io_.Run(store_.Issue(Hash("code-1"), Grant(now + 60s))));
  const std::string key = store_.CodeKey(Hash("code-1"));
  EXPECT_GT(Pttl(key), 0);
  EXPECT_LE(Pttl(key), 60'000);
  auto consumed = io_.Run(store_.Consume(Hash("code-1"), now));
  ASSERT_TRUE(consumed);
  ASSERT_EQ(consumed->status, ConsumeStatus::kConsumed);
  const std::int64_t window_ms = kCodeReuseWindow.count() * 1000;
  EXPECT_GT(Pttl(key), window_ms);
  EXPECT_LE(Pttl(key), window_ms + 60'000);
  ASSERT_TRUE(io_.Run(store_.RecordIssued(Hash("code-1"), Issued())));
  EXPECT_GT(Pttl(key), window_ms);  // recording keeps the TTL
}

TEST_F(RedisAuthorizationCodeStoreTest, KeyNamesHoldOnlyTheHexOfTheHash) {
  const std::string code = "opaque-authorization-code";
  ASSERT_TRUE(io_.Run(store_.Issue(Hash(code), Grant(kT0 + 60s))));
  const auto keys = AllKeys();
  ASSERT_EQ(keys.size(), 1u);
  const std::string_view key = keys[0];
  ASSERT_TRUE(key.starts_with("signet:ac:"));
  EXPECT_EQ(key.size(), std::string_view("signet:ac:").size() + 64);
  EXPECT_EQ(key.substr(10).find_first_not_of("0123456789abcdef"), std::string_view::npos) << key;
  EXPECT_EQ(key.find(code), std::string_view::npos);
  EXPECT_EQ(key.find(Hash(code)), std::string_view::npos);  // the raw hash bytes
}

// Without Redis the answer is an error (the server's 503), never "unknown".
TEST_F(RedisAuthorizationCodeStoreTest, FailsUnavailableWhileRedisIsDown) {
  ASSERT_TRUE(io_.Run(store_.Issue(Hash("code-1"), Grant(kT0 + 60s))));
  redis_.Stop();
  ASSERT_TRUE(Eventually([&] { return !client_.connected(); }));
  EXPECT_EQ(io_.Run(store_.Issue(Hash("code-2"), Grant(kT0 + 60s))).error(), Errc::kUnavailable);
  EXPECT_EQ(io_.Run(store_.Consume(Hash("code-1"), kT0)).error(), Errc::kUnavailable);
  EXPECT_EQ(io_.Run(store_.RecordIssued(Hash("code-1"), Issued())).error(), Errc::kUnavailable);
}

}  // namespace
}  // namespace signet::store

// oauth::RevocationFeed (oauth/revocation_feed.hpp): the signed list of revocations, its
// claims, its cache per (revision, kid, iat bucket) and its failures.
#include "oauth/revocation_feed.hpp"

#include <atomic>
#include <cstddef>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "oauth/revocation_list.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"
#include "tests/unit/oauth/token_lifecycle_fixture.hpp"
#include "token/jws.hpp"

namespace signet::oauth {
namespace {

using std::chrono::seconds;

// Forwards to another store and counts the calls, to show what the cache saves.
class CountingStore final : public store::RevocationStore {
 public:
  explicit CountingStore(store::RevocationStore& inner) : inner_(inner) {}
  boost::asio::awaitable<store::Result<void>> RevokeJti(std::string jti,
                                                        store::WallTime until) override {
    return inner_.RevokeJti(std::move(jti), until);
  }
  boost::asio::awaitable<store::Result<void>> RevokeSubject(std::string subject,
                                                            store::WallTime cutoff,
                                                            store::WallTime until) override {
    return inner_.RevokeSubject(std::move(subject), cutoff, until);
  }
  boost::asio::awaitable<store::Result<bool>> IsRevoked(std::string jti, std::string subject,
                                                        store::WallTime iat,
                                                        store::WallTime now) override {
    return inner_.IsRevoked(std::move(jti), std::move(subject), iat, now);
  }
  boost::asio::awaitable<store::Result<std::uint64_t>> Revision() override {
    ++revisions;
    return inner_.Revision();
  }
  boost::asio::awaitable<store::Result<store::RevocationSnapshot>> Snapshot(
      store::WallTime now) override {
    ++snapshots;
    return inner_.Snapshot(now);
  }
  boost::asio::awaitable<store::Result<std::size_t>> Prune(store::WallTime now) override {
    return inner_.Prune(now);
  }

  std::atomic<int> revisions{0};
  std::atomic<int> snapshots{0};

 private:
  store::RevocationStore& inner_;
};

class RevocationFeedTest : public testing::TokenLifecycleFixture {
 protected:
  std::unique_ptr<RevocationFeed> MakeFeed(store::RevocationStore& store,
                                           ActiveSignerFn signers = {}) {
    auto feed = RevocationFeed::Create(
        config_, {.active_signer = signers ? std::move(signers) : KeyRingSigners(ring_),
                  .store = &store,
                  .clock = Clock()});
    EXPECT_TRUE(feed);
    return feed ? std::move(*feed) : nullptr;
  }

  static RevocationFeedDocumentPtr CurrentOf(const RevocationFeed& feed) {
    auto document = signet::testing::RunAwaitable(feed.Current());
    EXPECT_TRUE(document) << (document ? "" : document.error().debug);
    return document ? *document : nullptr;
  }

  // Verifies the JWT with the ring's public key and returns its claims.
  nlohmann::json VerifiedClaims(const RevocationFeedDocument& document, nlohmann::json* header) {
    const auto snapshot = ring_.Snapshot();
    EXPECT_EQ(snapshot->Verifiers().size(), 1u);
    auto verified = token::VerifyCompact(document.jwt, snapshot->Verifiers()[0]);
    EXPECT_TRUE(verified) << (verified ? "" : verified.error().message());
    if (!verified) return {};
    if (header != nullptr) *header = verified->header;
    return nlohmann::json::parse(verified->payload);
  }

  std::int64_t NowSeconds() const { return now_.load(); }

  void RevokeJti(const std::string& jti, store::WallTime until) {
    EXPECT_TRUE(signet::testing::RunAwaitable(store_.RevokeJti(jti, until)));
  }
};

TEST_F(RevocationFeedTest, Current_IsSignedWithActiveKeyAndRevocationListTyp) {
  auto feed = MakeFeed(store_);
  const auto document = CurrentOf(*feed);
  ASSERT_NE(document, nullptr);
  nlohmann::json header;
  const nlohmann::json claims = VerifiedClaims(*document, &header);
  const auto snapshot = ring_.Snapshot();
  const keys::Signer* active = snapshot->ActiveSigner(keys::Algorithm::kEs256);
  ASSERT_NE(active, nullptr);
  EXPECT_EQ(header["typ"], "revocation-list+jwt");
  EXPECT_EQ(header["alg"], "ES256");
  EXPECT_EQ(header["kid"], active->kid());
  EXPECT_EQ(document->kid, active->kid());
  EXPECT_EQ(claims["iss"], "https://id.example.com");
  EXPECT_EQ(claims["iat"], NowSeconds());  // kLifecycleStart is a multiple of 5 s
  EXPECT_EQ(claims["exp"], NowSeconds() + 300);
  EXPECT_EQ(claims["rev"], 0);
  EXPECT_EQ(claims["jtis"], nlohmann::json::array());
  EXPECT_EQ(claims["subs"], nlohmann::json::array());
}

TEST_F(RevocationFeedTest, Current_ListsRevokedJtisAndSubjectCutoffs) {
  const auto now = Now();
  RevokeJti("jti-b", now + seconds(930));
  RevokeJti("jti-a", now + seconds(60));
  ASSERT_TRUE(signet::testing::RunAwaitable(
      store_.RevokeSubject("alice", now - seconds(10), now + seconds(920))));
  auto feed = MakeFeed(store_);
  const auto document = CurrentOf(*feed);
  ASSERT_NE(document, nullptr);
  auto list = ParseRevocationList(VerifiedClaims(*document, nullptr));
  ASSERT_TRUE(list) << list.error().message();
  EXPECT_EQ(list->revision, 3u);
  EXPECT_EQ(document->revision, 3u);
  const std::vector<RevokedJtiEntry> jtis{{"jti-a", NowSeconds() + 60},
                                          {"jti-b", NowSeconds() + 930}};
  EXPECT_EQ(list->jtis, jtis);
  // exp of a subject entry: cut-off + max(access_token_ttl, id_token_ttl) + leeway.
  const std::vector<SubjectCutoffEntry> subjects{
      {"alice", NowSeconds() - 10, NowSeconds() - 10 + 900 + 30}};
  EXPECT_EQ(list->subjects, subjects);
  EXPECT_EQ(document->jti_count, 2u);
  EXPECT_EQ(document->subject_count, 1u);
}

TEST_F(RevocationFeedTest, Current_BurstCostsOneRevisionEachAndOneSnapshot) {
  CountingStore counting(store_);
  auto feed = MakeFeed(counting);
  const auto first = CurrentOf(*feed);
  const auto second = CurrentOf(*feed);
  const auto third = CurrentOf(*feed);
  EXPECT_EQ(counting.revisions.load(), 3);
  EXPECT_EQ(counting.snapshots.load(), 1);
  EXPECT_EQ(first, second);  // the same signed document, not a new signature
  EXPECT_EQ(first, third);
}

TEST_F(RevocationFeedTest, Current_NewRevisionRebuildsWithNewTag) {
  auto feed = MakeFeed(store_);
  const auto before = CurrentOf(*feed);
  RevokeJti("jti-1", Now() + seconds(100));
  const auto after = CurrentOf(*feed);
  ASSERT_NE(before, nullptr);
  ASSERT_NE(after, nullptr);
  EXPECT_NE(before->tag, after->tag);
  EXPECT_EQ(after->revision, before->revision + 1);
  auto list = ParseRevocationList(VerifiedClaims(*after, nullptr));
  ASSERT_TRUE(list);
  ASSERT_EQ(list->jtis.size(), 1u);
  EXPECT_EQ(list->jtis[0].jti, "jti-1");
}

TEST_F(RevocationFeedTest, Current_RebuildsEveryHalfMaxAge) {
  CountingStore counting(store_);
  auto feed = MakeFeed(counting);
  const auto first = CurrentOf(*feed);
  Advance(seconds(4));
  const auto same_bucket = CurrentOf(*feed);
  Advance(seconds(1));
  const auto next_bucket = CurrentOf(*feed);
  ASSERT_NE(next_bucket, nullptr);
  EXPECT_EQ(first, same_bucket);
  EXPECT_EQ(counting.snapshots.load(), 2);
  EXPECT_EQ(next_bucket->issued_at, first->issued_at + RevocationFeed::kRebuildEvery.count());
  EXPECT_EQ(next_bucket->expires_at, next_bucket->issued_at + 300);
  EXPECT_NE(next_bucket->tag, first->tag);
}

TEST_F(RevocationFeedTest, Current_IatIsRoundedDownToTheBucket) {
  Advance(seconds(3));
  auto feed = MakeFeed(store_);
  const auto document = CurrentOf(*feed);
  ASSERT_NE(document, nullptr);
  EXPECT_EQ(document->issued_at, signet::testing::kLifecycleStart);
}

TEST_F(RevocationFeedTest, Current_LeavesOutEntriesPastTheirKeepUntil) {
  RevokeJti("short", Now() + seconds(10));
  RevokeJti("long", Now() + seconds(900));
  auto feed = MakeFeed(store_);
  Advance(seconds(15));
  const auto document = CurrentOf(*feed);
  ASSERT_NE(document, nullptr);
  auto list = ParseRevocationList(VerifiedClaims(*document, nullptr));
  ASSERT_TRUE(list);
  ASSERT_EQ(list->jtis.size(), 1u);
  EXPECT_EQ(list->jtis[0].jti, "long");
}

TEST_F(RevocationFeedTest, Current_TwoReplicasOnOneStoreAgreeOnTagAndClaims) {
  RevokeJti("jti-1", Now() + seconds(100));
  auto a = MakeFeed(store_);
  auto b = MakeFeed(store_);
  const auto from_a = CurrentOf(*a);
  const auto from_b = CurrentOf(*b);
  ASSERT_NE(from_a, nullptr);
  ASSERT_NE(from_b, nullptr);
  EXPECT_EQ(from_a->tag, from_b->tag);
  // ES256 signatures are randomised; the signed claims are the same bytes.
  EXPECT_EQ(VerifiedClaims(*from_a, nullptr).dump(), VerifiedClaims(*from_b, nullptr).dump());
}

TEST_F(RevocationFeedTest, Current_FollowsTheActiveKeyAfterRotation) {
  auto feed = MakeFeed(store_);
  const auto before = CurrentOf(*feed);
  auto key = keys::PrivateKey::Generate(keys::Algorithm::kEs256);
  ASSERT_TRUE(key);
  auto entry = keys::MakeKeyEntry(std::move(*key), keys::KeyState::kActive, Now(), Now(),
                                  Now() + std::chrono::hours(48));
  ASSERT_TRUE(entry);
  std::vector<keys::KeyEntry> entries;
  entries.push_back(std::move(*entry));
  ASSERT_TRUE(ring_.Replace(std::move(entries)));
  const auto after = CurrentOf(*feed);
  ASSERT_NE(before, nullptr);
  ASSERT_NE(after, nullptr);
  EXPECT_NE(before->kid, after->kid);
  EXPECT_NE(before->tag, after->tag);
  nlohmann::json header;
  VerifiedClaims(*after, &header);  // verifies with the new key
  EXPECT_EQ(header["kid"], after->kid);
}

TEST_F(RevocationFeedTest, Current_StoreUnavailable_IsTemporarilyUnavailableNeverAnEmptyList) {
  auto feed = MakeFeed(unavailable_store_);
  auto document = signet::testing::RunAwaitable(feed->Current());
  ASSERT_FALSE(document);
  EXPECT_EQ(document.error().code, ErrorCode::kTemporarilyUnavailable);
}

TEST_F(RevocationFeedTest, Current_NoActiveKey_IsServerError) {
  auto feed = MakeFeed(store_, [](keys::Algorithm) { return nullptr; });
  auto document = signet::testing::RunAwaitable(feed->Current());
  ASSERT_FALSE(document);
  EXPECT_EQ(document.error().code, ErrorCode::kServerError);
}

TEST_F(RevocationFeedTest, Create_RejectsMissingStore) {
  auto feed = RevocationFeed::Create(
      config_, {.active_signer = KeyRingSigners(ring_), .store = nullptr, .clock = Clock()});
  ASSERT_FALSE(feed);
  EXPECT_EQ(feed.error().code, ErrorCode::kServerError);
}

}  // namespace
}  // namespace signet::oauth

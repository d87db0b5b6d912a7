#include "keys/key_ring.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/unit/keys/test_keys.hpp"

namespace signet::keys {
namespace {

using testing::CachedKey;

const TimePoint kT0 = TimePoint(std::chrono::seconds(1'800'000'000));

KeyEntry Entry(const PrivateKey& key, KeyState state, TimePoint activates) {
  auto entry = MakeKeyEntry(key, state, activates, activates, activates + std::chrono::hours(24));
  EXPECT_TRUE(entry);
  return std::move(*entry);
}

TEST(KeyRing, StartsEmpty) {
  KeyRing ring;
  auto snapshot = ring.Snapshot();
  ASSERT_TRUE(snapshot);
  EXPECT_TRUE(snapshot->entries().empty());
  EXPECT_EQ(snapshot->ActiveSigner(Algorithm::kEs256), nullptr);
}

TEST(KeyRing, MakeKeyEntry_UsesThumbprintAsKid) {
  const KeyEntry entry = Entry(CachedKey(Algorithm::kEs256), KeyState::kActive, kT0);
  EXPECT_EQ(entry.kid.size(), 43u);
  EXPECT_EQ(entry.signer->kid(), entry.kid);
  EXPECT_EQ(entry.verifier.kid(), entry.kid);
  EXPECT_EQ(entry.alg, Algorithm::kEs256);
}

TEST(KeyRing, ActiveSigner_PicksActiveKeyOfTheAlgorithm) {
  auto next = PrivateKey::Generate(Algorithm::kEs256);
  ASSERT_TRUE(next);
  std::vector<KeyEntry> entries;
  entries.push_back(Entry(*next, KeyState::kNext, kT0 + std::chrono::hours(1)));
  entries.push_back(Entry(CachedKey(Algorithm::kEs256), KeyState::kActive, kT0));
  entries.push_back(Entry(CachedKey(Algorithm::kEdDsa), KeyState::kActive, kT0));
  const std::string active_kid = entries[1].kid;
  KeyRing ring;
  ASSERT_TRUE(ring.Replace(std::move(entries)));
  auto snapshot = ring.Snapshot();
  const Signer* signer = snapshot->ActiveSigner(Algorithm::kEs256);
  ASSERT_NE(signer, nullptr);
  EXPECT_EQ(signer->kid(), active_kid);
  EXPECT_EQ(snapshot->ActiveSigner(Algorithm::kEs384), nullptr);
  // All keys are published, including the next one.
  EXPECT_EQ(snapshot->Verifiers().size(), 3u);
  EXPECT_NE(snapshot->FindVerifier(active_kid), nullptr);
  EXPECT_EQ(snapshot->FindVerifier("unknown"), nullptr);
}

TEST(KeyRing, ActiveSigner_PrefersLatestActivation) {
  auto newer = PrivateKey::Generate(Algorithm::kEs256);
  ASSERT_TRUE(newer);
  std::vector<KeyEntry> entries;
  entries.push_back(Entry(CachedKey(Algorithm::kEs256), KeyState::kActive, kT0));
  entries.push_back(Entry(*newer, KeyState::kActive, kT0 + std::chrono::minutes(1)));
  const std::string newer_kid = entries[1].kid;
  auto snapshot = KeySetSnapshot::Create(std::move(entries));
  ASSERT_TRUE(snapshot);
  EXPECT_EQ((*snapshot)->ActiveSigner(Algorithm::kEs256)->kid(), newer_kid);
}

TEST(KeyRing, Replace_RejectsDuplicateKid) {
  std::vector<KeyEntry> entries;
  entries.push_back(Entry(CachedKey(Algorithm::kEs256), KeyState::kActive, kT0));
  entries.push_back(Entry(CachedKey(Algorithm::kEs256), KeyState::kRetiring, kT0));
  KeyRing ring;
  auto result = ring.Replace(std::move(entries));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), Errc::kDuplicateKid);
  EXPECT_TRUE(ring.Snapshot()->entries().empty());  // the old set stays
}

TEST(KeyRing, Snapshot_KeepsKeysAliveAcrossReplace) {
  KeyRing ring;
  std::vector<KeyEntry> entries;
  entries.push_back(Entry(CachedKey(Algorithm::kEdDsa), KeyState::kActive, kT0));
  ASSERT_TRUE(ring.Replace(std::move(entries)));
  auto old_snapshot = ring.Snapshot();
  ASSERT_TRUE(ring.Replace({}));
  const Signer* signer = old_snapshot->ActiveSigner(Algorithm::kEdDsa);
  ASSERT_NE(signer, nullptr);
  EXPECT_TRUE(signer->Sign("still usable"));
  EXPECT_EQ(ring.Snapshot()->ActiveSigner(Algorithm::kEdDsa), nullptr);
}

TEST(KeyRing, ConcurrentReadersAndReplace) {
  KeyRing ring;
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        auto snapshot = ring.Snapshot();
        if (const Signer* signer = snapshot->ActiveSigner(Algorithm::kEdDsa)) {
          if (!signer->Sign("x")) ++failures;
        }
      }
    });
  }
  for (int i = 0; i < 50; ++i) {
    std::vector<KeyEntry> entries;
    if (i % 2 == 0) entries.push_back(Entry(CachedKey(Algorithm::kEdDsa), KeyState::kActive, kT0));
    ASSERT_TRUE(ring.Replace(std::move(entries)));
  }
  stop = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(KeyState, NamesRoundTrip) {
  for (KeyState s : {KeyState::kNext, KeyState::kActive, KeyState::kRetiring}) {
    EXPECT_EQ(ParseKeyState(KeyStateName(s)), s);
  }
  EXPECT_EQ(KeyStateName(KeyState::kRetiring), "retiring");
  EXPECT_FALSE(ParseKeyState("Active"));
}

}  // namespace
}  // namespace signet::keys

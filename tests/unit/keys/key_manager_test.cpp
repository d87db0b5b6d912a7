#include "keys/key_manager.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "keys/file_rotation_lease.hpp"
#include "keys/internal/key_file_format.hpp"
#include "keys/jwk_thumbprint.hpp"
#include "keys/key_codec.hpp"
#include "keys/key_file_store.hpp"

namespace signet::keys {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kStart = TimePoint(seconds(1'800'000'000));
const std::vector<Algorithm> kAlgorithms{Algorithm::kEs256, Algorithm::kEdDsa};

RotationPolicy Policy() {
  RotationPolicy policy;
  policy.rotate_every = hours(1);
  policy.publish_ahead = minutes(30);
  policy.retention = minutes(20);
  return policy;
}

// Keys kept in their serialised form, as Redis keeps them; a counter as revision.
class MemoryRepository final : public KeyRepository {
 public:
  Result<std::vector<StoredKey>> LoadAll() override {
    ++loads;
    if (fail_next) return std::exchange(fail_next, {});
    std::vector<StoredKey> out;
    for (const auto& [kid, text] : texts) {
      auto key = DecodeStoredKey(text, nullptr);
      if (!key) return key.error();
      out.push_back(std::move(*key));
    }
    return out;
  }
  Result<void> Save(const StoredKey& key) override {
    auto text = EncodeStoredKey(key, nullptr);
    if (!text) return text.error();
    texts[key.metadata.kid] = *text;
    ++revision;
    ++saves;
    return {};
  }
  Result<void> Remove(const KeyMetadata& metadata) override {
    texts.erase(metadata.kid);
    ++revision;
    return {};
  }
  Result<std::string> Revision() override { return std::to_string(revision); }
  std::string Describe() const override { return "memory"; }
  std::vector<std::string> KidsToRewrite() const override { return rewrite; }

  std::map<std::string, std::string> texts;
  std::vector<std::string> rewrite;
  boost::system::error_code fail_next;
  int revision = 0;
  int loads = 0;
  int saves = 0;
};

class FakeLease final : public RotationLease {
 public:
  Result<bool> TryAcquire(milliseconds ttl) override {
    last_ttl = ttl;
    ++attempts;
    if (busy_attempts > 0) {
      --busy_attempts;
      return false;
    }
    held = true;
    return true;
  }
  void Release() override {
    if (held) ++releases;
    held = false;
  }

  int busy_attempts = 0;  // TryAcquire fails this many times (another holder)
  bool held = false;
  int attempts = 0;
  int releases = 0;
  milliseconds last_ttl{0};
};

std::unique_ptr<KeyManager> MakeManager(KeyRepository& repository, RotationLease& lease,
                                        KeyManagerOptions options = {}) {
  auto manager = KeyManager::Create(repository, lease, kAlgorithms, Policy(), std::move(options));
  EXPECT_TRUE(manager) << manager.error().message();
  return std::move(*manager);
}

std::size_t CountState(const std::vector<KeyEntry>& entries, Algorithm alg, KeyState state) {
  return static_cast<std::size_t>(std::count_if(entries.begin(), entries.end(), [&](const auto& e) {
    return e.alg == alg && e.state == state;
  }));
}

// The kid of the (last) entry of `alg` in `state`, or "".
std::string KidIn(const std::vector<KeyEntry>& entries, Algorithm alg, KeyState state) {
  std::string kid;
  for (const auto& e : entries) {
    if (e.alg == alg && e.state == state) kid = e.kid;
  }
  return kid;
}

TEST(KeyManagerTest, Create_RejectsInvalidPolicyAndNoAlgorithms) {
  MemoryRepository repository;
  FakeLease lease;
  RotationPolicy bad = Policy();
  bad.publish_ahead = hours(2);
  auto a = KeyManager::Create(repository, lease, kAlgorithms, bad);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error(), Errc::kInvalidRotationPolicy);
  auto b = KeyManager::Create(repository, lease, {}, Policy());
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error(), Errc::kUnsupportedAlgorithm);
}

TEST(KeyManagerTest, FirstTick_GeneratesActiveAndNextKeysUnderTheLeaseAndReleasesIt) {
  MemoryRepository repository;
  FakeLease lease;
  auto manager = MakeManager(repository, lease, {.lease_ttl = seconds(4)});
  auto entries = manager->Tick(kStart);
  ASSERT_TRUE(entries) << entries.error().message();
  ASSERT_TRUE(entries->has_value());
  EXPECT_EQ((*entries)->size(), 4u);
  for (const Algorithm alg : kAlgorithms) {
    EXPECT_EQ(CountState(**entries, alg, KeyState::kActive), 1u);
    EXPECT_EQ(CountState(**entries, alg, KeyState::kNext), 1u);
  }
  EXPECT_EQ(repository.texts.size(), 4u);
  EXPECT_EQ(lease.last_ttl, seconds(4));
  EXPECT_FALSE(lease.held);
  EXPECT_EQ(lease.releases, 1);
  const auto notices = manager->TakeNotices();
  ASSERT_EQ(notices.size(), 4u);
  EXPECT_EQ(notices[0].rfind("generated an ES256 key that signs from ", 0), 0u) << notices[0];
  EXPECT_TRUE(manager->TakeNotices().empty());
  // A stable order (algorithm, then activation) so that replicas build equal JWKS documents.
  const auto& e = **entries;
  EXPECT_EQ(e[0].alg, Algorithm::kEs256);
  EXPECT_EQ(e[0].state, KeyState::kActive);
  EXPECT_EQ(e[1].alg, Algorithm::kEs256);
  EXPECT_EQ(e[1].state, KeyState::kNext);
  EXPECT_EQ(e[2].alg, Algorithm::kEdDsa);
  EXPECT_EQ(e[2].state, KeyState::kActive);
}

TEST(KeyManagerTest, Tick_WithoutChange_ReturnsNulloptAndTakesNoLease) {
  MemoryRepository repository;
  FakeLease lease;
  auto manager = MakeManager(repository, lease);
  ASSERT_TRUE(manager->Tick(kStart));
  const int attempts = lease.attempts;
  const int loads = repository.loads;
  auto again = manager->Tick(kStart + minutes(1));
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->has_value());
  EXPECT_EQ(lease.attempts, attempts);
  EXPECT_EQ(repository.loads, loads);  // same revision: nothing reloaded
}

TEST(KeyManagerTest, Tick_AtRotation_UsesTheKeyGeneratedOnAnIdleTick) {
  MemoryRepository repository;
  FakeLease lease;
  int generated = 0;
  auto manager = MakeManager(repository, lease, {.generate_key = [&](Algorithm alg) {
                                                   ++generated;
                                                   return PrivateKey::Generate(alg);
                                                 }});
  ASSERT_TRUE(manager->Tick(kStart));
  EXPECT_EQ(generated, 4);  // active + next, per algorithm
  ASSERT_TRUE(manager->Tick(kStart + seconds(1)));
  EXPECT_EQ(generated, 6);  // idle: one spare per algorithm
  ASSERT_TRUE(manager->Tick(kStart + seconds(2)));
  EXPECT_EQ(generated, 6);  // spares kept, not regenerated
  auto rotated = manager->Tick(kStart + hours(1));
  ASSERT_TRUE(rotated && rotated->has_value());
  EXPECT_EQ(generated, 6);  // the new next keys are the spares: nothing generated on the spot
  EXPECT_EQ(CountState(**rotated, Algorithm::kEs256, KeyState::kNext), 1u);
  EXPECT_EQ(CountState(**rotated, Algorithm::kEdDsa, KeyState::kNext), 1u);
}

TEST(KeyManagerTest, NextChange_IsTheFirstKeyTimeAfterNow) {
  MemoryRepository repository;
  FakeLease lease;
  auto manager = MakeManager(repository, lease);
  EXPECT_EQ(manager->NextChange(kStart), std::nullopt);
  ASSERT_TRUE(manager->Tick(kStart));
  EXPECT_EQ(manager->NextChange(kStart), kStart + hours(1));  // rotation
  EXPECT_EQ(manager->NextChange(kStart + hours(1)), kStart + hours(1) + minutes(20));  // expiry
}

TEST(KeyManagerTest, Tick_AtRotation_ReturnsTheNewStates) {
  MemoryRepository repository;
  FakeLease lease;
  auto manager = MakeManager(repository, lease);
  auto first = manager->Tick(kStart);
  ASSERT_TRUE(first && first->has_value());
  const std::string next_kid = KidIn(**first, Algorithm::kEs256, KeyState::kNext);
  auto rotated = manager->Tick(kStart + hours(1));
  ASSERT_TRUE(rotated && rotated->has_value());
  for (const auto& e : **rotated) {
    if (e.kid == next_kid) {
      EXPECT_EQ(e.state, KeyState::kActive);
    }
  }
  EXPECT_EQ(CountState(**rotated, Algorithm::kEs256, KeyState::kRetiring), 1u);
  EXPECT_EQ(CountState(**rotated, Algorithm::kEs256, KeyState::kNext), 1u);
  // The retired key leaves the entries once expired, also before it is removed.
  auto later = manager->Tick(kStart + hours(1) + minutes(20));
  ASSERT_TRUE(later && later->has_value());
  EXPECT_EQ(CountState(**later, Algorithm::kEs256, KeyState::kRetiring), 0u);
  EXPECT_EQ(repository.texts.size(), 4u);
}

TEST(KeyManagerTest, Tick_LeaseHeldElsewhere_WritesNothingAndReturnsWhatIsStored) {
  MemoryRepository repository;
  FakeLease lease;
  lease.busy_attempts = 1;
  auto manager = MakeManager(repository, lease);
  auto entries = manager->Tick(kStart);
  ASSERT_TRUE(entries && entries->has_value());
  EXPECT_TRUE((*entries)->empty());
  EXPECT_TRUE(repository.texts.empty());
  auto retried = manager->Tick(kStart + seconds(1));
  ASSERT_TRUE(retried && retried->has_value());
  EXPECT_EQ((*retried)->size(), 4u);
}

TEST(KeyManagerTest, Tick_NoSuccessorWritten_TheLastActiveKeyKeepsSigning) {
  MemoryRepository repository;
  FakeLease lease;
  auto manager = MakeManager(repository, lease);
  auto first = manager->Tick(kStart);
  ASSERT_TRUE(first && first->has_value());
  const std::string next_kid = KidIn(**first, Algorithm::kEs256, KeyState::kNext);
  // From now on another holder keeps the lease (it died mid-rotation, or the store refuses
  // writes): the next key takes over by its times, but its own successor is never written.
  lease.busy_attempts = 1000;
  auto rotated = manager->Tick(kStart + hours(1) + seconds(1));
  ASSERT_TRUE(rotated);
  // Past the end of its period it still signs rather than leaving no active key.
  auto stuck = manager->Tick(kStart + hours(2) + seconds(1));
  ASSERT_TRUE(stuck);
  const std::vector<KeyEntry>& entries = stuck->has_value() ? **stuck : **rotated;
  EXPECT_EQ(CountState(entries, Algorithm::kEs256, KeyState::kActive), 1u);
  EXPECT_EQ(KidIn(entries, Algorithm::kEs256, KeyState::kActive), next_kid);
}

TEST(KeyManagerTest, TwoReplicas_OneRotatesAndTheOtherPicksItUp) {
  MemoryRepository repository;
  FakeLease lease;  // shared: one lease for the store
  auto a = MakeManager(repository, lease);
  auto b = MakeManager(repository, lease);
  auto a_first = a->Tick(kStart);
  auto b_first = b->Tick(kStart);
  ASSERT_TRUE(a_first && a_first->has_value() && b_first && b_first->has_value());
  EXPECT_EQ(repository.texts.size(), 4u);  // b planned nothing after reloading
  ASSERT_TRUE(a->ForceRotate(kStart + minutes(5)));
  auto b_seen = b->Tick(kStart + minutes(5));
  ASSERT_TRUE(b_seen && b_seen->has_value());
  EXPECT_EQ((*b_seen)->size(), 6u);  // retiring + active + next per algorithm
  for (const Algorithm alg : kAlgorithms) {
    EXPECT_EQ(CountState(**b_seen, alg, KeyState::kActive), 1u);
    EXPECT_EQ(CountState(**b_seen, alg, KeyState::kRetiring), 1u);
  }
}

TEST(KeyManagerTest, ForceRotate_FailsWhenAnotherProcessKeepsTheLease) {
  MemoryRepository repository;
  FakeLease lease;
  milliseconds slept{0};
  auto manager = MakeManager(repository, lease,
                             {.force_wait = seconds(2),
                              .force_retry = milliseconds(500),
                              .sleep = [&](milliseconds d) { slept += d; }});
  ASSERT_TRUE(manager->Tick(kStart));
  lease.busy_attempts = 100;
  const int saves = repository.saves;
  auto rotated = manager->ForceRotate(kStart + minutes(1));
  ASSERT_FALSE(rotated);
  EXPECT_EQ(rotated.error(), Errc::kLeaseHeld);
  EXPECT_EQ(slept, seconds(2));
  EXPECT_EQ(repository.saves, saves);
}

TEST(KeyManagerTest, ForceRotate_WaitsForAShortLeaseAndRotatesWhenItGetsIt) {
  MemoryRepository repository;
  FakeLease lease;
  int sleeps = 0;
  auto manager = MakeManager(repository, lease,
                             {.force_retry = milliseconds(1500),
                              .sleep = [&](milliseconds) { ++sleeps; }});
  ASSERT_TRUE(manager->Tick(kStart));
  lease.busy_attempts = 2;
  ASSERT_TRUE(manager->ForceRotate(kStart + minutes(1)));
  EXPECT_EQ(sleeps, 2);
  EXPECT_FALSE(lease.held);
  // The active keys stopped signing when the rotation happened, after the 3 s wait: they
  // signed meanwhile, and their retention counts from then.
  auto listed = manager->List();
  ASSERT_TRUE(listed);
  int retired = 0;
  for (const KeyMetadata& m : *listed) {
    if (m.created == kStart && m.activates == kStart) {
      EXPECT_EQ(m.retires, kStart + minutes(1) + seconds(3));
      ++retired;
    }
  }
  EXPECT_EQ(retired, 2);
}

TEST(KeyManagerTest, Tick_RepositoryFailure_IsReturnedAndTheNextTickRecovers) {
  MemoryRepository repository;
  FakeLease lease;
  auto manager = MakeManager(repository, lease);
  repository.fail_next = Errc::kIoError;
  auto failed = manager->Tick(kStart);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error(), Errc::kIoError);
  EXPECT_TRUE(repository.texts.empty());
  auto recovered = manager->Tick(kStart + seconds(1));
  ASSERT_TRUE(recovered && recovered->has_value());
  EXPECT_EQ((*recovered)->size(), 4u);
}

TEST(KeyManagerTest, Tick_RewritesKeysTheRepositoryFlags) {
  MemoryRepository repository;
  FakeLease lease;
  auto manager = MakeManager(repository, lease);
  ASSERT_TRUE(manager->Tick(kStart));
  manager->TakeNotices();
  repository.rewrite = {repository.texts.begin()->first};
  ++repository.revision;  // as if a file changed
  const int saves = repository.saves;
  ASSERT_TRUE(manager->Tick(kStart + seconds(1)));
  EXPECT_EQ(repository.saves, saves + 1);
  const auto notices = manager->TakeNotices();
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_NE(notices[0].find(repository.rewrite[0]), std::string::npos);
}

TEST(KeyManagerTest, List_IsSortedByAlgorithmThenActivation) {
  MemoryRepository repository;
  FakeLease lease;
  auto manager = MakeManager(repository, lease);
  ASSERT_TRUE(manager->Tick(kStart));
  auto listed = manager->List();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 4u);
  EXPECT_EQ((*listed)[0].alg, Algorithm::kEs256);
  EXPECT_EQ(StateAt((*listed)[0], kStart), KeyState::kActive);
  EXPECT_EQ(StateAt((*listed)[1], kStart), KeyState::kNext);
  EXPECT_EQ((*listed)[2].alg, Algorithm::kEdDsa);
}

// The file store end to end: clear keys written without a KEK are re-written encrypted once a
// KEK is configured, and a CLI-style rotation on the same directory is picked up.
class KeyManagerFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "signet-manager-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override { fs::remove_all(dir_); }

  bool AnyClearFile() const {
    for (const auto& item : fs::directory_iterator(dir_)) {
      std::ifstream in(item.path());
      const std::string text(std::istreambuf_iterator<char>(in), {});
      if (text.find("PRIVATE KEY") != std::string::npos) return true;
    }
    return false;
  }

  fs::path dir_;
};

TEST_F(KeyManagerFileTest, ClearKeys_AreRewrittenEncryptedWhenAKekIsConfigured) {
  {
    auto store = FileKeyStore::Open(dir_);
    auto lease = FileRotationLease::Open(dir_);
    ASSERT_TRUE(store && lease);
    auto manager = MakeManager(*store, *lease);
    ASSERT_TRUE(manager->Tick(kStart));
  }
  ASSERT_TRUE(AnyClearFile());
  auto kek = Kek::FromBytes(std::string(32, '\x07'));
  auto store = FileKeyStore::Open(dir_, *kek);
  auto lease = FileRotationLease::Open(dir_);
  ASSERT_TRUE(store && lease);
  auto manager = MakeManager(*store, *lease);
  auto entries = manager->Tick(kStart + seconds(1));
  ASSERT_TRUE(entries && entries->has_value());
  EXPECT_EQ((*entries)->size(), 4u);
  EXPECT_FALSE(AnyClearFile());
  EXPECT_EQ(manager->TakeNotices().size(), 4u);
  // Without the KEK now: a clear error, nothing touched.
  auto plain = FileKeyStore::Open(dir_);
  auto plain_lease = FileRotationLease::Open(dir_);
  auto blind = MakeManager(*plain, *plain_lease);
  auto refused = blind->Tick(kStart + seconds(2));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), Errc::kKekMissing);
  EXPECT_NE(blind->LastErrorDetail().find(kek->id()), std::string::npos);
}

TEST_F(KeyManagerFileTest, ForcedRotationByAnotherProcess_IsSeenOnTheNextTick) {
  auto server_store = FileKeyStore::Open(dir_);
  auto server_lease = FileRotationLease::Open(dir_);
  ASSERT_TRUE(server_store && server_lease);
  auto server = MakeManager(*server_store, *server_lease);
  ASSERT_TRUE(server->Tick(kStart));
  {
    auto cli_store = FileKeyStore::Open(dir_);
    auto cli_lease = FileRotationLease::Open(dir_);
    auto cli = MakeManager(*cli_store, *cli_lease);
    ASSERT_TRUE(cli->ForceRotate(kStart + minutes(3)));
  }
  auto seen = server->Tick(kStart + minutes(3));
  ASSERT_TRUE(seen && seen->has_value());
  EXPECT_EQ((*seen)->size(), 6u);
}

TEST_F(KeyManagerFileTest, PreRotationFile_KeepsItsKidAndIsRewrittenInTheCurrentFormat) {
  auto key = PrivateKey::Generate(Algorithm::kEs256);
  ASSERT_TRUE(key);
  const std::string kid = Rfc7638Thumbprint(*ExportPublicMembers(key->public_key()));
  const fs::path file = dir_ / (kid + ".ES256.pem");
  {
    // What the server wrote before issue 4: state line, no retires, expires = created + 24 h,
    // and it kept signing with the key past that time.
    std::ofstream out(file);
    out << "signet-key: 1\nkid: " << kid << "\nalg: ES256\nstate: active\ncreated: "
        << internal::FormatUtc(kStart) << "\nactivates: " << internal::FormatUtc(kStart)
        << "\nexpires: " << internal::FormatUtc(kStart + hours(24)) << "\n"
        << *key->ToPem();
  }
  ASSERT_EQ(::chmod(file.c_str(), 0600), 0);
  auto store = FileKeyStore::Open(dir_);
  auto lease = FileRotationLease::Open(dir_);
  ASSERT_TRUE(store && lease);
  auto manager = KeyManager::Create(*store, *lease, {Algorithm::kEs256}, Policy());
  ASSERT_TRUE(manager);
  const TimePoint now = kStart + hours(48);
  auto entries = (*manager)->Tick(now);
  ASSERT_TRUE(entries && entries->has_value()) << (entries ? "" : entries.error().message());
  ASSERT_EQ((*entries)->size(), 2u);
  for (const KeyEntry& e : **entries) {
    if (e.kid == kid) {
      EXPECT_EQ(e.state, KeyState::kActive);  // signs on until its successor is published
    } else {
      EXPECT_EQ(e.state, KeyState::kNext);
      EXPECT_EQ(e.activates, now + Policy().publish_ahead);
    }
  }
  std::ifstream in(file);
  const std::string text(std::istreambuf_iterator<char>(in), {});
  EXPECT_EQ(text.find("state:"), std::string::npos);
  EXPECT_NE(text.find("retires: " + internal::FormatUtc(now + Policy().publish_ahead)),
            std::string::npos);
}

TEST_F(KeyManagerFileTest, ForceRotate_FailsWhileAnotherLeaseIsHeld) {
  auto store = FileKeyStore::Open(dir_);
  auto lease = FileRotationLease::Open(dir_);
  auto holder = FileRotationLease::Open(dir_);
  ASSERT_TRUE(store && lease && holder);
  ASSERT_TRUE(*holder->TryAcquire(seconds(10)));
  auto manager = MakeManager(*store, *lease,
                             {.force_wait = milliseconds(0), .sleep = [](milliseconds) {}});
  auto rotated = manager->ForceRotate(kStart);
  ASSERT_FALSE(rotated);
  EXPECT_EQ(rotated.error(), Errc::kLeaseHeld);
}

}  // namespace
}  // namespace signet::keys

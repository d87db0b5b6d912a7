#include "keys/key_file_store.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "keys/file_rotation_lease.hpp"
#include "keys/internal/key_file_format.hpp"
#include "keys/key_codec.hpp"
#include "tests/unit/keys/test_keys.hpp"

namespace signet::keys {
namespace {

namespace fs = std::filesystem;

const TimePoint kNow = TimePoint(std::chrono::seconds(1'800'000'000));
constexpr std::array<Algorithm, 2> kAlgorithms{Algorithm::kEs256, Algorithm::kEdDsa};

class FileKeyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "signet-keys-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    base_ = templ;
    dir_ = base_ / "var" / "keys";
  }
  void TearDown() override { fs::remove_all(base_); }

  static mode_t ModeOf(const fs::path& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0);
    return st.st_mode & 07777;
  }

  std::string Read(const fs::path& path) const {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void Write(const fs::path& path, const std::string& content) const {
    std::ofstream out(path, std::ios::trunc);
    out << content;
  }

  std::vector<fs::path> KeyFiles() const {
    std::vector<fs::path> files;
    for (const auto& item : fs::directory_iterator(dir_)) files.push_back(item.path());
    return files;
  }

  fs::path base_;
  fs::path dir_;
};

TEST_F(FileKeyStoreTest, Open_CreatesDirectoryWithMode0700) {
  auto store = FileKeyStore::Open(dir_);
  ASSERT_TRUE(store) << store.error().message();
  EXPECT_EQ(ModeOf(dir_), 0700u);
}

TEST_F(FileKeyStoreTest, Open_RefusesGroupWritableDirectory) {
  fs::create_directories(dir_);
  ASSERT_EQ(::chmod(dir_.c_str(), 0770), 0);
  auto store = FileKeyStore::Open(dir_);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error(), Errc::kInsecureFileMode);
}

TEST_F(FileKeyStoreTest, EnsureActiveKeys_WritesActiveAndNextKeysWithMode0600) {
  auto store = FileKeyStore::Open(dir_);
  ASSERT_TRUE(store);
  auto entries = EnsureActiveKeys(*store, kAlgorithms, kNow);
  ASSERT_TRUE(entries) << entries.error().message();
  ASSERT_EQ(entries->size(), 4u);  // per algorithm: one active, one next
  const auto files = KeyFiles();
  ASSERT_EQ(files.size(), 4u);  // no temporary files left behind
  for (const auto& file : files) {
    EXPECT_EQ(ModeOf(file), 0600u) << file;
    EXPECT_EQ(file.extension(), ".pem");
  }
  for (const Algorithm alg : kAlgorithms) {
    int active = 0;
    int next = 0;
    for (const auto& entry : *entries) {
      if (entry.alg != alg) continue;
      EXPECT_TRUE(fs::exists(dir_ / (entry.kid + "." + std::string(JwaName(alg)) + ".pem")));
      if (entry.state == KeyState::kActive) {
        ++active;
        EXPECT_EQ(entry.activates, kNow);
      } else {
        ++next;
        EXPECT_EQ(entry.state, KeyState::kNext);
        EXPECT_EQ(entry.activates, kNow + std::chrono::hours(24));
      }
    }
    EXPECT_EQ(active, 1);
    EXPECT_EQ(next, 1);
  }
}

TEST_F(FileKeyStoreTest, EnsureActiveKeys_RestartKeepsKids) {
  std::set<std::string> first_kids;
  {
    auto store = FileKeyStore::Open(dir_);
    ASSERT_TRUE(store);
    auto entries = EnsureActiveKeys(*store, kAlgorithms, kNow);
    ASSERT_TRUE(entries);
    for (const auto& e : *entries) first_kids.insert(e.kid);
  }
  auto store = FileKeyStore::Open(dir_);
  ASSERT_TRUE(store);
  auto again = EnsureActiveKeys(*store, kAlgorithms, kNow + std::chrono::hours(1));
  ASSERT_TRUE(again);
  std::set<std::string> second_kids;
  for (const auto& e : *again) second_kids.insert(e.kid);
  EXPECT_EQ(first_kids, second_kids);
  EXPECT_EQ(KeyFiles().size(), 4u);
}

TEST_F(FileKeyStoreTest, EnsureActiveKeys_AddsKeysForNewlyConfiguredAlgorithm) {
  auto store = FileKeyStore::Open(dir_);
  ASSERT_TRUE(store);
  ASSERT_TRUE(EnsureActiveKeys(*store, std::array{Algorithm::kEs256}, kNow));
  auto entries = EnsureActiveKeys(*store, kAlgorithms, kNow);
  ASSERT_TRUE(entries);
  EXPECT_EQ(entries->size(), 4u);
}

TEST_F(FileKeyStoreTest, LoadAll_RefusesKeyFileReadableByOthersAndNamesIt) {
  auto store = FileKeyStore::Open(dir_);
  ASSERT_TRUE(store);
  ASSERT_TRUE(EnsureActiveKeys(*store, std::array{Algorithm::kEs256}, kNow));
  const fs::path file = KeyFiles().at(0);
  ASSERT_EQ(::chmod(file.c_str(), 0644), 0);
  auto loaded = store->LoadAll();
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error(), Errc::kInsecureFileMode);
  EXPECT_NE(store->LastErrorDetail().find(file.string()), std::string::npos);
  auto ensured = EnsureActiveKeys(*store, std::array{Algorithm::kEs256}, kNow);
  ASSERT_FALSE(ensured);
  EXPECT_EQ(ensured.error(), Errc::kInsecureFileMode);
}

TEST_F(FileKeyStoreTest, Save_RefusesKidThatDoesNotMatchKey) {
  auto store = FileKeyStore::Open(dir_);
  ASSERT_TRUE(store);
  StoredKey wrong{KeyMetadata{"not-the-thumbprint", Algorithm::kEs256, kNow, kNow, kNow, kNow},
                  testing::CachedKey(Algorithm::kEs256)};
  auto saved = store->Save(wrong);
  ASSERT_FALSE(saved);
  EXPECT_EQ(saved.error(), Errc::kKeyFileInvalid);
  EXPECT_TRUE(KeyFiles().empty());
}

TEST_F(FileKeyStoreTest, Save_ReplacesTimesAtomicallyAndRemoveDeletes) {
  auto store = FileKeyStore::Open(dir_);
  ASSERT_TRUE(store);
  ASSERT_TRUE(EnsureActiveKeys(*store, std::array{Algorithm::kEdDsa}, kNow));
  auto loaded = store->LoadAll();
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->size(), 2u);
  StoredKey changed = (*loaded)[0];
  changed.metadata.expires += std::chrono::hours(5);
  ASSERT_TRUE(store->Save(changed));
  auto reloaded = store->LoadAll();
  ASSERT_TRUE(reloaded);
  ASSERT_EQ(reloaded->size(), 2u);
  EXPECT_EQ((*reloaded)[0].metadata.expires, changed.metadata.expires);
  EXPECT_EQ(ModeOf(store->PathOf(changed.metadata)), 0600u);
  ASSERT_TRUE(store->Remove(changed.metadata));
  ASSERT_TRUE(store->Remove(changed.metadata));  // already gone: not an error
  EXPECT_EQ(KeyFiles().size(), 1u);
}

TEST_F(FileKeyStoreTest, LoadAll_IgnoresTemporaryLeaseAndForeignFiles) {
  auto store = FileKeyStore::Open(dir_);
  ASSERT_TRUE(store);
  std::ofstream(dir_ / ".abc.ES256.pem.tmp-0011") << "partial";
  std::ofstream(dir_ / ".lease") << "";
  std::ofstream(dir_ / "README") << "not a key";
  auto loaded = store->LoadAll();
  ASSERT_TRUE(loaded);
  EXPECT_TRUE(loaded->empty());
}

TEST_F(FileKeyStoreTest, LoadAll_RefusesTamperedMetadata) {
  auto store = FileKeyStore::Open(dir_);
  ASSERT_TRUE(store);
  ASSERT_TRUE(EnsureActiveKeys(*store, std::array{Algorithm::kEs256}, kNow));
  const fs::path file = KeyFiles().at(0);
  std::string content = Read(file);
  const size_t pos = content.find("kid: ");
  ASSERT_NE(pos, std::string::npos);
  content[pos + 5] = content[pos + 5] == 'A' ? 'B' : 'A';  // no longer the thumbprint
  Write(file, content);
  auto loaded = store->LoadAll();
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error(), Errc::kKeyFileInvalid);
}

TEST_F(FileKeyStoreTest, WithKek_WritesEncryptedFilesThatLoadOnlyWithThatKek) {
  auto kek = Kek::FromBytes(std::string(32, '\x42'));
  ASSERT_TRUE(kek);
  auto store = FileKeyStore::Open(dir_, *kek);
  ASSERT_TRUE(store);
  ASSERT_TRUE(EnsureActiveKeys(*store, std::array{Algorithm::kEs256}, kNow));
  for (const auto& file : KeyFiles()) {
    EXPECT_EQ(Read(file).find("PRIVATE KEY"), std::string::npos) << file;
  }
  auto loaded = store->LoadAll();
  ASSERT_TRUE(loaded) << loaded.error().message();
  EXPECT_TRUE(store->KidsToRewrite().empty());

  auto without = FileKeyStore::Open(dir_);
  ASSERT_TRUE(without);
  auto refused = without->LoadAll();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), Errc::kKekMissing);
  EXPECT_NE(without->LastErrorDetail().find(kek->id()), std::string::npos);

  auto other_kek = Kek::FromBytes(std::string(32, '\x43'));
  auto wrong = FileKeyStore::Open(dir_, *other_kek);
  ASSERT_TRUE(wrong);
  auto mismatch = wrong->LoadAll();
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error(), Errc::kKekMismatch);
  EXPECT_NE(wrong->LastErrorDetail().find("the configured KEK has id " + other_kek->id()),
            std::string::npos)
      << wrong->LastErrorDetail();
}

TEST_F(FileKeyStoreTest, WithKek_ClearFilesLoadAndAreListedForRewrite) {
  {
    auto clear = FileKeyStore::Open(dir_);
    ASSERT_TRUE(clear);
    ASSERT_TRUE(EnsureActiveKeys(*clear, std::array{Algorithm::kEs256}, kNow));
  }
  auto kek = Kek::FromBytes(std::string(32, '\x42'));
  auto store = FileKeyStore::Open(dir_, *kek);
  ASSERT_TRUE(store);
  auto loaded = store->LoadAll();
  ASSERT_TRUE(loaded);
  EXPECT_EQ(store->KidsToRewrite().size(), 2u);
  ASSERT_TRUE(store->Save((*loaded)[0]));
  ASSERT_TRUE(store->LoadAll());
  EXPECT_EQ(store->KidsToRewrite().size(), 1u);
}

TEST_F(FileKeyStoreTest, Revision_ChangesOnSaveAndRemoveOnly) {
  auto store = FileKeyStore::Open(dir_);
  ASSERT_TRUE(store);
  auto empty = store->Revision();
  ASSERT_TRUE(empty);
  ASSERT_TRUE(EnsureActiveKeys(*store, std::array{Algorithm::kEs256}, kNow));
  auto first = store->Revision();
  ASSERT_TRUE(first);
  EXPECT_NE(*first, *empty);
  EXPECT_EQ(*store->Revision(), *first);
  std::ofstream(dir_ / "README") << "not a key";
  EXPECT_EQ(*store->Revision(), *first);
  auto loaded = store->LoadAll();
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(store->Save((*loaded)[0]));  // same content, new inode
  auto second = store->Revision();
  ASSERT_TRUE(second);
  EXPECT_NE(*second, *first);
  ASSERT_TRUE(store->Remove((*loaded)[0].metadata));
  EXPECT_NE(*store->Revision(), *second);
}

TEST_F(FileKeyStoreTest, Lease_IsExclusiveUntilReleased) {
  auto store = FileKeyStore::Open(dir_);
  ASSERT_TRUE(store);
  auto a = FileRotationLease::Open(dir_);
  auto b = FileRotationLease::Open(dir_);
  ASSERT_TRUE(a && b);
  const auto ttl = std::chrono::seconds(10);
  auto a_held = a->TryAcquire(ttl);
  ASSERT_TRUE(a_held);
  EXPECT_TRUE(*a_held);
  EXPECT_TRUE(*a->TryAcquire(ttl));  // renewing is fine
  auto b_held = b->TryAcquire(ttl);
  ASSERT_TRUE(b_held);
  EXPECT_FALSE(*b_held);
  EXPECT_EQ(ModeOf(dir_ / ".lease"), 0600u);
  a->Release();
  EXPECT_TRUE(*b->TryAcquire(ttl));
  EXPECT_FALSE(*a->TryAcquire(ttl));
}

TEST_F(FileKeyStoreTest, Lease_IsDroppedWhenTheHolderIsDestroyed) {
  auto store = FileKeyStore::Open(dir_);
  ASSERT_TRUE(store);
  auto b = FileRotationLease::Open(dir_);
  ASSERT_TRUE(b);
  {
    auto a = FileRotationLease::Open(dir_);
    ASSERT_TRUE(a);
    ASSERT_TRUE(*a->TryAcquire(std::chrono::seconds(1)));
    EXPECT_FALSE(*b->TryAcquire(std::chrono::seconds(1)));
  }
  EXPECT_TRUE(*b->TryAcquire(std::chrono::seconds(1)));
}

TEST_F(FileKeyStoreTest, Lease_OpenFailsWithoutDirectory) {
  auto lease = FileRotationLease::Open(dir_ / "missing");
  ASSERT_FALSE(lease);
  EXPECT_EQ(lease.error(), Errc::kIoError);
}

TEST(KeyFileFormat, UtcRoundTripAndStrictParse) {
  const TimePoint t = TimePoint(std::chrono::seconds(1'800'000'000));
  EXPECT_EQ(internal::FormatUtc(t), "2027-01-15T08:00:00Z");
  EXPECT_EQ(internal::ParseUtc("2027-01-15T08:00:00Z"), t);
  EXPECT_FALSE(internal::ParseUtc("2027-01-15T08:00:00+00:00"));
  EXPECT_FALSE(internal::ParseUtc("2027-02-30T08:00:00Z"));
  EXPECT_FALSE(internal::ParseUtc("2027-01-15 08:00:00Z"));
  EXPECT_FALSE(internal::ParseUtc("2027-01-15T24:00:00Z"));
  EXPECT_FALSE(internal::ParseUtc("9999-12-31T23:59:59Z"));  // beyond system_clock's range
  EXPECT_FALSE(internal::ParseUtc("1969-12-31T23:59:59Z"));
}

}  // namespace
}  // namespace signet::keys

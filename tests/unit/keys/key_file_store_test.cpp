#include "keys/key_file_store.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "keys/internal/key_file_format.hpp"
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

TEST_F(FileKeyStoreTest, EnsureActiveKeys_WritesKeyFilesWithMode0600) {
  auto store = FileKeyStore::Open(dir_);
  ASSERT_TRUE(store);
  auto entries = EnsureActiveKeys(*store, kAlgorithms, kNow);
  ASSERT_TRUE(entries) << entries.error().message();
  ASSERT_EQ(entries->size(), 2u);
  const auto files = KeyFiles();
  ASSERT_EQ(files.size(), 2u);  // no temporary files left behind
  for (const auto& file : files) {
    EXPECT_EQ(ModeOf(file), 0600u) << file;
    EXPECT_EQ(file.extension(), ".pem");
  }
  for (const auto& entry : *entries) {
    EXPECT_EQ(entry.state, KeyState::kActive);
    EXPECT_EQ(entry.activates, kNow);
    EXPECT_EQ(entry.expires, kNow + std::chrono::hours(24));
    EXPECT_TRUE(fs::exists(dir_ / (entry.kid + "." + std::string(JwaName(entry.alg)) + ".pem")));
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
  EXPECT_EQ(KeyFiles().size(), 2u);
}

TEST_F(FileKeyStoreTest, EnsureActiveKeys_AddsKeyForNewlyConfiguredAlgorithm) {
  auto store = FileKeyStore::Open(dir_);
  ASSERT_TRUE(store);
  ASSERT_TRUE(EnsureActiveKeys(*store, std::array{Algorithm::kEs256}, kNow));
  auto entries = EnsureActiveKeys(*store, kAlgorithms, kNow);
  ASSERT_TRUE(entries);
  EXPECT_EQ(entries->size(), 2u);
}

TEST_F(FileKeyStoreTest, LoadAll_RefusesKeyFileReadableByOthers) {
  auto store = FileKeyStore::Open(dir_);
  ASSERT_TRUE(store);
  ASSERT_TRUE(EnsureActiveKeys(*store, std::array{Algorithm::kEs256}, kNow));
  const fs::path file = KeyFiles().at(0);
  ASSERT_EQ(::chmod(file.c_str(), 0644), 0);
  fs::path bad;
  auto loaded = store->LoadAll(&bad);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error(), Errc::kInsecureFileMode);
  EXPECT_EQ(bad, file);
  auto ensured = EnsureActiveKeys(*store, std::array{Algorithm::kEs256}, kNow);
  ASSERT_FALSE(ensured);
  EXPECT_EQ(ensured.error(), Errc::kInsecureFileMode);
}

TEST_F(FileKeyStoreTest, LoadAll_RefusesFileWhoseKidDoesNotMatchKey) {
  auto store = FileKeyStore::Open(dir_);
  ASSERT_TRUE(store);
  auto key = PrivateKey::Generate(Algorithm::kEs256);
  ASSERT_TRUE(key);
  StoredKey wrong{
      KeyMetadata{"not-the-thumbprint", Algorithm::kEs256, KeyState::kActive, kNow, kNow, kNow},
      *key};
  auto saved = store->Save(wrong);
  ASSERT_FALSE(saved);
  EXPECT_EQ(saved.error(), Errc::kKeyFileInvalid);
  EXPECT_TRUE(KeyFiles().empty());
}

TEST_F(FileKeyStoreTest, Save_ReplacesStateAtomically) {
  auto store = FileKeyStore::Open(dir_);
  ASSERT_TRUE(store);
  ASSERT_TRUE(EnsureActiveKeys(*store, std::array{Algorithm::kEdDsa}, kNow));
  auto loaded = store->LoadAll();
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->size(), 1u);
  StoredKey retiring = (*loaded)[0];
  retiring.metadata.state = KeyState::kRetiring;
  ASSERT_TRUE(store->Save(retiring));
  auto reloaded = store->LoadAll();
  ASSERT_TRUE(reloaded);
  ASSERT_EQ(reloaded->size(), 1u);
  EXPECT_EQ((*reloaded)[0].metadata.state, KeyState::kRetiring);
  EXPECT_EQ(ModeOf(store->PathOf(retiring.metadata)), 0600u);
  // No active key any more: EnsureActiveKeys makes a new one and keeps the retiring one.
  auto entries = EnsureActiveKeys(*store, std::array{Algorithm::kEdDsa}, kNow);
  ASSERT_TRUE(entries);
  EXPECT_EQ(entries->size(), 2u);
  ASSERT_TRUE(store->Remove(retiring.metadata));
  EXPECT_EQ(KeyFiles().size(), 1u);
}

TEST_F(FileKeyStoreTest, LoadAll_IgnoresTemporaryAndForeignFiles) {
  auto store = FileKeyStore::Open(dir_);
  ASSERT_TRUE(store);
  std::ofstream(dir_ / ".abc.ES256.pem.tmp-0011") << "partial";
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
  std::string content;
  {
    std::ifstream in(file);
    content.assign(std::istreambuf_iterator<char>(in), {});
  }
  const size_t pos = content.find("state: active");
  ASSERT_NE(pos, std::string::npos);
  content.replace(pos, 13, "state: bogus!");
  {
    std::ofstream out(file, std::ios::trunc);
    out << content;
  }
  auto loaded = store->LoadAll();
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error(), Errc::kKeyFileInvalid);
}

TEST(KeyFileFormat, UtcRoundTripAndStrictParse) {
  const TimePoint t = TimePoint(std::chrono::seconds(1'800'000'000));
  EXPECT_EQ(internal::FormatUtc(t), "2027-01-15T08:00:00Z");
  EXPECT_EQ(internal::ParseUtc("2027-01-15T08:00:00Z"), t);
  EXPECT_FALSE(internal::ParseUtc("2027-01-15T08:00:00+00:00"));
  EXPECT_FALSE(internal::ParseUtc("2027-02-30T08:00:00Z"));
  EXPECT_FALSE(internal::ParseUtc("2027-01-15 08:00:00Z"));
  EXPECT_FALSE(internal::ParseUtc("2027-01-15T24:00:00Z"));
}

}  // namespace
}  // namespace signet::keys

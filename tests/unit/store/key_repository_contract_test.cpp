// One contract for every keys::KeyRepository (House style 23): the directory store of a
// single node and the Redis repository of a cluster, the latter on a real redis-server.

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "keys/key_file_store.hpp"
#include "keys/key_repository.hpp"
#include "store/redis_key_repository.hpp"
#include "tests/support/redis_server.hpp"

namespace signet::store {
namespace {

namespace fs = std::filesystem;
using keys::Algorithm;
using keys::Kek;
using keys::KeyRepository;
using keys::TimePoint;

const TimePoint kNow = TimePoint(std::chrono::seconds(1'800'000'000));
constexpr std::array<Algorithm, 2> kAlgorithms{Algorithm::kEs256, Algorithm::kEdDsa};

Kek MakeKek(char fill) { return Kek::FromBytes(std::string(32, fill)).value(); }

class FileEnvironment {
 public:
  FileEnvironment() {
    std::string pattern = (fs::temp_directory_path() / "signet-contract-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp");
    base_ = pattern;
  }
  ~FileEnvironment() { fs::remove_all(base_); }
  std::unique_ptr<KeyRepository> Make(std::optional<Kek> kek) {
    auto store = keys::FileKeyStore::Open(base_ / "keys", std::move(kek));
    if (!store) throw std::runtime_error(store.error().message());
    return std::make_unique<keys::FileKeyStore>(std::move(*store));
  }

 private:
  fs::path base_;
};

class RedisEnvironment {
 public:
  std::unique_ptr<KeyRepository> Make(std::optional<Kek> kek) {
    return std::make_unique<RedisKeyRepository>(
        RedisSyncClient(ParseRedisUrl(redis_.url()).value()), std::move(kek));
  }

 private:
  test_support::RedisServer redis_;
};

template <class Environment>
class KeyRepositoryContract : public ::testing::Test {
 protected:
  Environment environment_;
};

using Environments = ::testing::Types<FileEnvironment, RedisEnvironment>;
TYPED_TEST_SUITE(KeyRepositoryContract, Environments);

TYPED_TEST(KeyRepositoryContract, LoadAll_EmptyStoreHasNoKeys) {
  auto repo = this->environment_.Make(std::nullopt);
  auto keys = repo->LoadAll();
  ASSERT_TRUE(keys) << keys.error().message();
  EXPECT_TRUE(keys->empty());
}

TYPED_TEST(KeyRepositoryContract, LoadAll_ReturnsWhatEnsureActiveKeysSaved) {
  auto repo = this->environment_.Make(MakeKek('k'));
  auto entries = keys::EnsureActiveKeys(*repo, kAlgorithms, kNow);
  ASSERT_TRUE(entries) << entries.error().message();
  auto loaded = repo->LoadAll();
  ASSERT_TRUE(loaded) << loaded.error().message();
  EXPECT_EQ(loaded->size(), 4u);  // one active and one next key per algorithm
  // Another process with the same KEK reads the same keys.
  auto other = this->environment_.Make(MakeKek('k'));
  auto again = other->LoadAll();
  ASSERT_TRUE(again) << again.error().message();
  ASSERT_EQ(again->size(), loaded->size());
  for (std::size_t i = 0; i < loaded->size(); ++i) {
    EXPECT_EQ((*again)[i].metadata.kid, (*loaded)[i].metadata.kid);
  }
}

TYPED_TEST(KeyRepositoryContract, Revision_ChangesWithEverySaveAndRemoveOnly) {
  auto repo = this->environment_.Make(std::nullopt);
  auto before = repo->Revision();
  ASSERT_TRUE(before);
  EXPECT_EQ(repo->Revision().value(), *before);  // stable without changes
  ASSERT_TRUE(keys::EnsureActiveKeys(*repo, kAlgorithms, kNow));
  auto after_save = repo->Revision();
  ASSERT_TRUE(after_save);
  EXPECT_NE(*after_save, *before);
  auto loaded = repo->LoadAll();
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(repo->Remove(loaded->front().metadata));
  auto after_remove = repo->Revision();
  ASSERT_TRUE(after_remove);
  EXPECT_NE(*after_remove, *after_save);
}

TYPED_TEST(KeyRepositoryContract, Save_ReplacesTheKeyWithTheSameKid) {
  auto repo = this->environment_.Make(std::nullopt);
  ASSERT_TRUE(keys::EnsureActiveKeys(*repo, kAlgorithms, kNow));
  auto loaded = repo->LoadAll();
  ASSERT_TRUE(loaded);
  keys::StoredKey changed = loaded->front();
  changed.metadata.retires = changed.metadata.activates + std::chrono::hours(1);
  changed.metadata.expires = changed.metadata.retires + std::chrono::hours(1);
  ASSERT_TRUE(repo->Save(changed));
  auto reloaded = repo->LoadAll();
  ASSERT_TRUE(reloaded);
  ASSERT_EQ(reloaded->size(), loaded->size());
  bool found = false;
  for (const auto& key : *reloaded) {
    if (key.metadata.kid != changed.metadata.kid) continue;
    found = true;
    EXPECT_EQ(key.metadata.retires, changed.metadata.retires);
    EXPECT_EQ(key.metadata.expires, changed.metadata.expires);
  }
  EXPECT_TRUE(found);
}

TYPED_TEST(KeyRepositoryContract, Remove_DeletesAndAMissingKeyIsNoError) {
  auto repo = this->environment_.Make(std::nullopt);
  ASSERT_TRUE(keys::EnsureActiveKeys(*repo, kAlgorithms, kNow));
  auto loaded = repo->LoadAll();
  ASSERT_TRUE(loaded);
  const keys::KeyMetadata gone = loaded->front().metadata;
  ASSERT_TRUE(repo->Remove(gone));
  EXPECT_TRUE(repo->Remove(gone));  // again: nothing to delete, no error
  auto reloaded = repo->LoadAll();
  ASSERT_TRUE(reloaded);
  EXPECT_EQ(reloaded->size(), loaded->size() - 1);
  for (const auto& key : *reloaded) EXPECT_NE(key.metadata.kid, gone.kid);
}

TYPED_TEST(KeyRepositoryContract, LoadAll_WithAnotherKekIsKekMismatch) {
  auto repo = this->environment_.Make(MakeKek('a'));
  ASSERT_TRUE(keys::EnsureActiveKeys(*repo, kAlgorithms, kNow));
  auto other = this->environment_.Make(MakeKek('b'));
  auto loaded = other->LoadAll();
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error(), keys::Errc::kKekMismatch);
  EXPECT_FALSE(other->LastErrorDetail().empty());
}

TYPED_TEST(KeyRepositoryContract, LoadAll_EncryptedWithoutKekIsKekMissing) {
  auto repo = this->environment_.Make(MakeKek('a'));
  ASSERT_TRUE(keys::EnsureActiveKeys(*repo, kAlgorithms, kNow));
  auto loaded = this->environment_.Make(std::nullopt)->LoadAll();
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error(), keys::Errc::kKekMissing);
}

TYPED_TEST(KeyRepositoryContract, LoadAll_ListsClearKeysToRewriteOnceAKekIsConfigured) {
  auto clear = this->environment_.Make(std::nullopt);
  ASSERT_TRUE(keys::EnsureActiveKeys(*clear, kAlgorithms, kNow));
  auto repo = this->environment_.Make(MakeKek('a'));
  auto loaded = repo->LoadAll();
  ASSERT_TRUE(loaded) << loaded.error().message();
  EXPECT_EQ(repo->KidsToRewrite().size(), loaded->size());
}

}  // namespace
}  // namespace signet::store

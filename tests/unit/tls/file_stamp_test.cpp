// tls::StampFiles: the stat() fingerprint changes when a file is replaced in place, when a
// symlink is swapped to another file (the Kubernetes ..data rotation), and when it vanishes.
#include "tls/file_stamp.hpp"

#include <filesystem>

#include <gtest/gtest.h>

#include "tests/support/test_certificates.hpp"

namespace signet::tls {
namespace {

using test_support::TempDir;

TEST(FileStampTest, StampFile_MissingFileDoesNotExist) {
  TempDir dir;
  EXPECT_FALSE(StampFile(dir.File("absent")).exists);
}

TEST(FileStampTest, StampFile_IsStableWhileFileIsUntouched) {
  TempDir dir;
  const std::string path = dir.Write("a.pem", "one");
  EXPECT_EQ(StampFile(path), StampFile(path));
  EXPECT_TRUE(StampFile(path).exists);
}

TEST(FileStampTest, StampFile_ChangesWhenContentIsRewrittenWithOtherSize) {
  TempDir dir;
  const std::string path = dir.Write("a.pem", "one");
  const FileStamp before = StampFile(path);
  dir.Write("a.pem", "three");
  EXPECT_NE(StampFile(path), before);
}

TEST(FileStampTest, StampFile_ChangesWhenFileIsReplacedByRename) {
  TempDir dir;
  const std::string path = dir.Write("a.pem", "one");
  const FileStamp before = StampFile(path);
  const std::string next = dir.Write("b.pem", "two");
  std::filesystem::rename(next, path);
  EXPECT_NE(StampFile(path), before);  // same size, other inode
}

TEST(FileStampTest, StampFile_FollowsSwappedSymlink) {
  TempDir dir;
  dir.Write("v1.pem", "one");
  dir.Write("v2.pem", "two");
  const std::string link = dir.File("cert.pem");
  std::filesystem::create_symlink(dir.File("v1.pem"), link);
  const FileStamp before = StampFile(link);
  std::filesystem::remove(link);
  std::filesystem::create_symlink(dir.File("v2.pem"), link);
  EXPECT_NE(StampFile(link), before);
}

TEST(FileStampTest, StampFiles_ChangesWhenOnlyTheKeyChanges) {
  TempDir dir;
  const config::Tls files{dir.Write("cert.pem", "cert"), dir.Write("key.pem", "key")};
  const CredentialStamp before = StampFiles(files);
  dir.Write("key.pem", "other key");
  EXPECT_NE(StampFiles(files), before);
  EXPECT_EQ(StampFiles(files).cert, before.cert);
}

}  // namespace
}  // namespace signet::tls

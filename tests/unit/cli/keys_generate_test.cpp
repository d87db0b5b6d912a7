#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include "keys/jwk_thumbprint.hpp"
#include "keys/private_key.hpp"
#include "tests/unit/cli/cli_runner.hpp"

namespace signet::cli {
namespace {

using testing::CliRunner;
using testing::TempDir;

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

class KeysGenerateTest : public ::testing::TestWithParam<keys::Algorithm> {};

TEST_P(KeysGenerateTest, WritesA0600KeyNamedAfterItsKidThatLoadsBack) {
  TempDir dir;
  const std::string alg(keys::JwaName(GetParam()));
  auto run = CliRunner().Run({"keys", "generate", "--alg", alg, "--out", dir.path()});
  ASSERT_EQ(run.status, kExitOk) << run.err;

  std::istringstream lines(run.out);
  std::string path, kid;
  std::getline(lines, path);
  std::getline(lines, kid);
  EXPECT_EQ(path, dir.path() + "/" + kid + ".pem");

  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  const std::string pem = ReadFile(path);
  EXPECT_NE(pem.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
  auto key = keys::PrivateKey::FromPem(pem, GetParam());
  ASSERT_TRUE(key) << key.error().message();
  auto members = keys::ExportPublicMembers(key->public_key());
  ASSERT_TRUE(members);
  EXPECT_EQ(keys::Rfc7638Thumbprint(*members), kid);
}

INSTANTIATE_TEST_SUITE_P(EveryAlgorithm, KeysGenerateTest,
                         ::testing::Values(keys::Algorithm::kRs256, keys::Algorithm::kPs256,
                                           keys::Algorithm::kEs256, keys::Algorithm::kEs384,
                                           keys::Algorithm::kEdDsa),
                         [](const auto& param_info) {
                           return std::string(keys::JwaName(param_info.param));
                         });

TEST(KeysGenerateCliTest, RsaBitsAreHonoured) {
  TempDir dir;
  auto run = CliRunner().Run(
      {"keys", "generate", "--alg", "RS256", "--bits", "3072", "--out", dir.path()});
  ASSERT_EQ(run.status, kExitOk) << run.err;
  const std::string path = run.out.substr(0, run.out.find('\n'));
  auto key = keys::PrivateKey::FromPem(ReadFile(path), keys::Algorithm::kRs256);
  ASSERT_TRUE(key);
  EXPECT_EQ(EVP_PKEY_get_bits(key->native()), 3072);
}

TEST(KeysGenerateCliTest, RejectsBadArguments) {
  TempDir dir;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"keys", "generate"},
        std::vector<std::string>{"keys", "generate", "--alg", "HS256"},
        std::vector<std::string>{"keys", "generate", "--alg", "none"},
        std::vector<std::string>{"keys", "generate", "--alg", "ES256", "--bits", "2048"},
        std::vector<std::string>{"keys", "generate", "--alg", "RS256", "--bits", "1024"},
        std::vector<std::string>{"keys", "generate", "--alg", "ES256", "extra"}}) {
    auto run = CliRunner().Run(args);
    EXPECT_EQ(run.status, kExitUsage) << run.err;
    EXPECT_FALSE(run.err.empty());
  }
}

TEST(KeysGenerateCliTest, MissingDirectoryFailsWithoutWriting) {
  auto run =
      CliRunner().Run({"keys", "generate", "--alg", "ES256", "--out", "/nonexistent-signet-dir"});
  EXPECT_EQ(run.status, kExitFailure);
  EXPECT_NE(run.err.find("cannot create"), std::string::npos);
  EXPECT_EQ(run.err.find("PRIVATE KEY"), std::string::npos);
}

}  // namespace
}  // namespace signet::cli

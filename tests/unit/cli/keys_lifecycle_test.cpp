// signet keys list / keys rotate on a file store (the Redis store is covered by the
// integration suite, tests/integration/key_replicas.test.mjs, against a real Redis).

#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli/cli.hpp"
#include "tests/unit/cli/cli_runner.hpp"

namespace signet::cli {
namespace {

using testing::CliRunner;
using testing::TempDir;

struct Row {
  std::string kid, alg, state;
};

// The rows of the table (the header line skipped): the first three columns.
std::vector<Row> Rows(const std::string& out) {
  std::vector<Row> rows;
  std::istringstream lines(out);
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    Row row;
    fields >> row.kid >> row.alg >> row.state;
    rows.push_back(row);
  }
  return rows;
}

// Issuer and one client: the least a config file must have.
constexpr const char* kClients =
    "issuer: https://id.example.com\n"
    "tokens:\n  signing_alg: ES256\n"
    "clients:\n  - { client_id: svc, client_secret: s }\n";

std::string Config(const TempDir& dir) {
  return dir.Write("signet.yaml", std::string(kClients) +
                                      "keys:\n  algorithms: [ES256]\n  dir: \"" + dir.path() +
                                      "/keys\"\n");
}

TEST(KeysLifecycleCliTest, List_PrintsHeaderAndEveryKeyWithItsState) {
  TempDir dir;
  const std::string config = Config(dir);
  // An empty store: rotate creates the chain (an active key and a published next key).
  auto created = CliRunner().Run({"keys", "rotate", "--config", config});
  ASSERT_EQ(created.status, kExitOk) << created.err;
  auto run = CliRunner().Run({"keys", "list", "--config", config});
  ASSERT_EQ(run.status, kExitOk) << run.err;
  EXPECT_EQ(run.out.rfind("KID", 0), 0u) << run.out;
  EXPECT_NE(run.out.find("ACTIVATES"), std::string::npos);
  int active = 0;
  int next = 0;
  for (const Row& row : Rows(run.out)) {
    EXPECT_EQ(row.alg, "ES256");
    EXPECT_EQ(row.kid.size(), 43u) << "an RFC 7638 thumbprint in base64url";
    active += row.state == "active";
    next += row.state == "next";
  }
  EXPECT_EQ(active, 1);
  EXPECT_EQ(next, 1);
}

TEST(KeysLifecycleCliTest, Rotate_MakesTheNextKeyActiveAndKeepsTheOldOnePublished) {
  TempDir dir;
  const std::string config = Config(dir);
  ASSERT_EQ(CliRunner().Run({"keys", "rotate", "--config", config}).status, kExitOk);
  std::string old_active, old_next;
  for (const Row& row : Rows(CliRunner().Run({"keys", "list", "--config", config}).out)) {
    if (row.state == "active") old_active = row.kid;
    if (row.state == "next") old_next = row.kid;
  }
  ASSERT_FALSE(old_active.empty());
  ASSERT_FALSE(old_next.empty());

  auto run = CliRunner().Run({"keys", "rotate", "--config", config});
  ASSERT_EQ(run.status, kExitOk) << run.err;
  std::string new_next;
  for (const Row& row : Rows(run.out)) {
    if (row.kid == old_active) {
      EXPECT_EQ(row.state, "retiring");
    }
    if (row.kid == old_next) {
      EXPECT_EQ(row.state, "active");
    }
    if (row.state == "next") new_next = row.kid;
  }
  EXPECT_FALSE(new_next.empty());
  EXPECT_NE(new_next, old_next);
}

TEST(KeysLifecycleCliTest, BadConfigOrWrongKek_IsAClearErrorOnStderr) {
  TempDir dir;
  auto missing = CliRunner().Run({"keys", "list", "--config", dir.path() + "/absent.yaml"});
  EXPECT_EQ(missing.status, kExitUsage);
  EXPECT_FALSE(missing.err.empty());
  EXPECT_TRUE(missing.out.empty());

  const std::string kek_a = dir.Write("kek-a", std::string(32, 'a'));
  const std::string kek_b = dir.Write("kek-b", std::string(32, 'b'));
  const auto config_with = [&](const std::string& kek) {
    return dir.Write("signet-" + kek.substr(kek.size() - 1) + ".yaml",
                     std::string(kClients) +
                         "keys:\n  algorithms: [ES256]\n  dir: \"" +
                         dir.path() + "/sealed\"\n  encryption_key_file: \"" + kek + "\"\n");
  };
  ASSERT_EQ(CliRunner().Run({"keys", "rotate", "--config", config_with(kek_a)}).status, kExitOk);
  auto wrong = CliRunner().Run({"keys", "list", "--config", config_with(kek_b)});
  EXPECT_EQ(wrong.status, kExitFailure);
  EXPECT_NE(wrong.err.find("KEK id"), std::string::npos) << wrong.err;
  EXPECT_EQ(wrong.err.find("aaaa"), std::string::npos) << "no key material in messages";
}

}  // namespace
}  // namespace signet::cli

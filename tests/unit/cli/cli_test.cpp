// RunCli: dispatch, help, serve, config check and hash-secret.

#include "cli/cli.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

#include "keys/password_hash.hpp"
#include "tests/unit/cli/cli_runner.hpp"

namespace signet::cli {
namespace {

using testing::CliRunner;
using testing::TempDir;

constexpr const char* kGoodConfig =
    "issuer: https://id.example.com\nlisten: 0.0.0.0:9090\n"
    "clients:\n  - { client_id: svc, client_secret: s }\n";

TEST(CliTest, Help_PrintsUsageAndExitsZero) {
  for (const char* flag : {"--help", "-h", "help"}) {
    auto run = CliRunner().Run({flag});
    EXPECT_EQ(run.status, kExitOk) << flag;
    EXPECT_NE(run.out.find("usage: signet <command>"), std::string::npos) << flag;
    EXPECT_TRUE(run.err.empty());
  }
}

TEST(CliTest, EveryCommandTakesHelp) {
  const std::vector<std::vector<std::string>> commands{
      {"serve", "--help"},        {"config", "check", "--help"}, {"keys", "generate", "--help"},
      {"keys", "list", "--help"}, {"keys", "rotate", "--help"},  {"revoke", "--help"},
      {"hash-secret", "--help"},  {"token", "verify", "--help"}, {"help", "token", "verify"}};
  for (const auto& args : commands) {
    auto run = CliRunner().Run(args);
    EXPECT_EQ(run.status, kExitOk) << args[0] << " " << args[1];
    EXPECT_NE(run.out.find("usage: signet"), std::string::npos) << args[0] << " " << args[1];
  }
}

TEST(CliTest, NoCommand_IsUsageError) {
  auto run = CliRunner().Run({});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_NE(run.err.find("missing command"), std::string::npos);
}

TEST(CliTest, UnknownCommandOrSubcommand_IsUsageErrorOnStderr) {
  auto run = CliRunner().Run({"frobnicate"});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_NE(run.err.find("unknown command 'frobnicate'"), std::string::npos);
  EXPECT_TRUE(run.out.empty());
  EXPECT_EQ(CliRunner().Run({"keys", "destroy"}).status, kExitUsage);
  EXPECT_EQ(CliRunner().Run({"config"}).status, kExitUsage);
}

TEST(CliTest, UnknownFlag_IsUsageError) {
  auto run = CliRunner().Run({"config", "check", "--conf", "x.yaml"});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_NE(run.err.find("unknown option '--conf'"), std::string::npos);
}

TEST(CliTest, ConfigCheck_ValidFilePrintsOk) {
  TempDir dir;
  const std::string file = dir.Write("signet.yaml", kGoodConfig);
  auto run = CliRunner().Run({"config", "check", "--config", file});
  EXPECT_EQ(run.status, kExitOk) << run.err;
  EXPECT_EQ(run.out, "ok: " + file + "\n");
}

TEST(CliTest, ConfigCheck_InvalidFileListsEveryProblemAndExitsTwo) {
  TempDir dir;
  const std::string file =
      dir.Write("bad.yaml", "tokens:\n  acess_token_ttl: 900\n  leeway: 1.5h\n");
  auto run = CliRunner().Run({"config", "check", "--config", file});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_NE(run.err.find("tokens.acess_token_ttl"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("did you mean 'access_token_ttl'?"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("tokens.leeway"), std::string::npos) << run.err;
  EXPECT_TRUE(run.out.empty());
}

TEST(CliTest, ConfigCheck_AppliesEnvironmentOverrides) {
  TempDir dir;
  const std::string file = dir.Write("signet.yaml", kGoodConfig);
  auto run = CliRunner().Env("SIGNET_LOG_FORMAT", "xml").Run({"config", "check", "--config", file});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_NE(run.err.find("SIGNET_LOG_FORMAT"), std::string::npos);
}

TEST(CliTest, ConfigCheck_RefusesAStandardClaimOfTheWrongTypeAsStartUpDoes) {
  TempDir dir;
  const std::string file = dir.Write(
      "claims.yaml", std::string(kGoodConfig) +
                         "users:\n  - username: dave\n    password: pw\n"
                         "    claims: { email: dave@example.com, email_verified: \"yes\" }\n");
  auto run = CliRunner().Run({"config", "check", "--config", file});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_NE(run.err.find("users[0].claims.email_verified"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("OIDC Core 5.1 wants a boolean"), std::string::npos) << run.err;
  std::string messages = run.err;  // without the (random) file name
  for (auto at = messages.find(file); at != std::string::npos; at = messages.find(file)) {
    messages.erase(at, file.size());
  }
  EXPECT_EQ(messages.find("yes"), std::string::npos) << run.err;  // never the value
  EXPECT_TRUE(run.out.empty());
  // serve loads the same way: it never reaches the server.
  CliRunner runner;
  bool served = false;
  runner.hooks().serve = [&](const config::Config&) {
    served = true;
    return kExitOk;
  };
  auto serve = runner.Run({"serve", "--config", file});
  EXPECT_EQ(serve.status, kExitUsage);
  EXPECT_FALSE(served);
  EXPECT_NE(serve.err.find("users[0].claims.email_verified"), std::string::npos) << serve.err;
}

TEST(CliTest, ConfigCheck_WithoutConfigIsUsageError) {
  auto run = CliRunner().Run({"config", "check"});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_NE(run.err.find("--config FILE is required"), std::string::npos);
}

TEST(CliTest, ConfigCheck_MissingFileExitsTwo) {
  auto run = CliRunner().Run({"config", "check", "--config", "/nonexistent/signet.yaml"});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_NE(run.err.find("cannot open"), std::string::npos);
}

TEST(CliTest, Serve_PassesValidatedConfigToHook) {
  TempDir dir;
  const std::string file = dir.Write("signet.yaml", kGoodConfig);
  CliRunner runner;
  std::string seen_listen;
  runner.hooks().serve = [&](const config::Config& c) {
    seen_listen = c.listen;
    return 7;
  };
  auto run = runner.Env("SIGNET_LISTEN", "127.0.0.1:7777").Run({"serve", "--config", file});
  EXPECT_EQ(run.status, 7);
  EXPECT_EQ(seen_listen, "127.0.0.1:7777");
}

TEST(CliTest, Serve_UsesSignetConfigEnvironmentVariable) {
  TempDir dir;
  const std::string file = dir.Write("signet.yaml", kGoodConfig);
  CliRunner runner;
  std::string seen_issuer;
  runner.hooks().serve = [&](const config::Config& c) {
    seen_issuer = c.issuer;
    return 0;
  };
  EXPECT_EQ(runner.Env("SIGNET_CONFIG", file).Run({"serve"}).status, kExitOk);
  EXPECT_EQ(seen_issuer, "https://id.example.com");
}

TEST(CliTest, Serve_WithoutConfigRunsEmbeddedDefault) {
  CliRunner runner;
  std::string seen_client;
  runner.hooks().serve = [&](const config::Config& c) {
    seen_client = c.clients.empty() ? "" : c.clients[0].client_id;
    return 0;
  };
  auto run = runner.Run({"serve"});
  EXPECT_EQ(run.status, kExitOk) << run.err;
  EXPECT_EQ(seen_client, "demo-client");
  EXPECT_NE(run.err.find("embedded development default"), std::string::npos);
}

TEST(CliTest, Serve_InvalidConfigNeverStartsServer) {
  TempDir dir;
  const std::string file = dir.Write("bad.yaml", "threads: lots\n");
  CliRunner runner;
  bool started = false;
  runner.hooks().serve = [&](const config::Config&) {
    started = true;
    return 0;
  };
  auto run = runner.Run({"serve", "--config", file});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_FALSE(started);
  EXPECT_NE(run.err.find("threads"), std::string::npos);
}

TEST(CliTest, Serve_ExceptionFromHookBecomesOneLine) {
  CliRunner runner;
  runner.hooks().serve = [](const config::Config&) -> int {
    throw std::runtime_error("bind: address in use");
  };
  auto run = runner.Run({"serve"});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_NE(run.err.find("internal error: bind: address in use"), std::string::npos);
}

TEST(CliTest, HashSecret_PrintsArgon2idThatVerifies) {
  auto run = CliRunner().Stdin("correct horse\n").Run({"hash-secret"});
  ASSERT_EQ(run.status, kExitOk) << run.err;
  ASSERT_FALSE(run.out.empty());
  ASSERT_EQ(run.out.back(), '\n');
  const std::string encoded = run.out.substr(0, run.out.size() - 1);
  EXPECT_EQ(encoded.rfind("$argon2id$", 0), 0u);
  auto ok = keys::VerifyPassword(encoded, "correct horse");
  ASSERT_TRUE(ok);
  EXPECT_TRUE(*ok);
  auto wrong = keys::VerifyPassword(encoded, "correct horse\n");
  ASSERT_TRUE(wrong);
  EXPECT_FALSE(*wrong);
}

TEST(CliTest, HashSecret_OutputIsAcceptedByTheConfigLoader) {
  auto run = CliRunner().Stdin("s3cret\r\n").Run({"hash-secret"});
  ASSERT_EQ(run.status, kExitOk);
  TempDir dir;
  const std::string file =
      dir.Write("signet.yaml", "clients:\n  - client_id: a\n    client_secret_hash: '" +
                                   run.out.substr(0, run.out.size() - 1) + "'\n");
  auto check = CliRunner().Run({"config", "check", "--config", file});
  EXPECT_EQ(check.status, kExitOk) << check.err;
}

TEST(CliTest, HashSecret_EmptyInputIsAnError) {
  for (const char* input : {"", "\n", "\r\n"}) {
    auto run = CliRunner().Stdin(input).Run({"hash-secret"});
    EXPECT_EQ(run.status, kExitUsage);
    EXPECT_NE(run.err.find("empty secret"), std::string::npos);
    EXPECT_TRUE(run.out.empty());
  }
}

TEST(CliTest, HashSecret_RefusesSecretAsArgument) {
  auto run = CliRunner().Run({"hash-secret", "hunter2"});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_EQ(run.err.find("hunter2"), std::string::npos);
}

TEST(CliTest, Revoke_UnreadableConfig_IsUsageError) {
  // The command itself is tested in revoke_command_test.cpp.
  auto run = CliRunner().Run({"revoke", "--sub", "alice", "--config", "x"});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_FALSE(run.err.empty());
}

}  // namespace
}  // namespace signet::cli

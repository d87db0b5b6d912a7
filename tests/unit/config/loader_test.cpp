// LoadConfigText / LoadConfigFile: top-level keys and the tokens, keys, tls, redis, server
// and log sections. Clients and users are in loader_clients_test.cpp.

#include "config/loader.hpp"

#include <gtest/gtest.h>

#include "config/key_names.hpp"
#include "tests/unit/config/problem_matchers.hpp"

namespace signet::config {
namespace {

using testing::FailsWith;
using testing::FindProblem;
using testing::Loads;

TEST(LoaderTest, LoadConfigText_EmptyDocumentGivesDefaults) {
  auto loaded = LoadConfigText("", "empty.yaml");
  ASSERT_TRUE(loaded) << loaded.error().Format();
  EXPECT_EQ(loaded->issuer, "http://127.0.0.1:8080");
  EXPECT_EQ(loaded->tokens.access_token_ttl, std::chrono::seconds{900});
  EXPECT_EQ(loaded->keys.dir, "./var/keys");
}

TEST(LoaderTest, LoadConfigText_ContractExampleLoadsWithEveryField) {
  const std::string yaml = R"(
issuer: "https://id.example.com"
listen: "0.0.0.0:8080"
threads: 4
tls: { cert_file: "/tls/cert.pem", key_file: "/tls/key.pem" }
tokens:
  access_token_ttl: 900
  id_token_ttl: "15m"
  refresh_token_ttl: 30d
  signing_alg: ES256
  leeway: 0
keys:
  algorithms: [RS256, ES256, EdDSA]
  rotate_every: "24h"
  publish_ahead: "1h"
  dir: "/var/lib/signet/keys"
  encryption_key_file: "/run/secrets/kek"
redis:
  url: "redis://127.0.0.1:6379/0"
server: { max_connections: 500, read_timeout: 10s, shutdown_grace: 0 }
login: { max_failures_per_username: 5, max_failures_per_ip: 50, failure_window: 10m }
log: { level: debug, format: json }
)";
  auto loaded = LoadConfigText(yaml, "full.yaml");
  ASSERT_TRUE(loaded) << loaded.error().Format();
  const Config& c = *loaded;
  EXPECT_EQ(c.issuer, "https://id.example.com");
  EXPECT_EQ(c.listen, "0.0.0.0:8080");
  EXPECT_EQ(c.threads, 4u);
  ASSERT_TRUE(c.tls.has_value());
  EXPECT_EQ(c.tls->key_file, "/tls/key.pem");
  EXPECT_EQ(c.tokens.id_token_ttl, std::chrono::seconds{900});
  EXPECT_EQ(c.tokens.refresh_token_ttl, std::chrono::seconds{2592000});
  EXPECT_EQ(c.tokens.signing_alg, keys::Algorithm::kEs256);
  EXPECT_EQ(c.tokens.leeway, std::chrono::seconds{0});
  EXPECT_EQ(c.keys.algorithms.size(), 3u);
  EXPECT_EQ(c.keys.publish_ahead, std::chrono::seconds{3600});
  EXPECT_EQ(c.keys.encryption_key_file, "/run/secrets/kek");
  EXPECT_EQ(c.redis.url, "redis://127.0.0.1:6379/0");
  EXPECT_EQ(c.server.max_connections, 500u);
  EXPECT_EQ(c.server.read_timeout, std::chrono::seconds{10});
  EXPECT_EQ(c.login.max_failures_per_username, 5u);
  EXPECT_EQ(c.login.max_failures_per_ip, 50u);
  EXPECT_EQ(c.login.failure_window, std::chrono::seconds{600});
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_EQ(c.log_format, LogFormat::kJson);
}

TEST(LoaderTest, UnknownKey_NamesPathAndSuggestsNearest) {
  auto loaded = LoadConfigText("tokens:\n  acess_token_ttl: 900\n", "t.yaml");
  ASSERT_FALSE(loaded);
  const std::optional<Problem> p =
      FindProblem(loaded.error(), "tokens.acess_token_ttl", Errc::kUnknownKey);
  ASSERT_TRUE(p) << loaded.error().Format();
  EXPECT_NE(p->detail.find("did you mean 'access_token_ttl'?"), std::string::npos) << p->detail;
}

TEST(LoaderTest, UnknownKey_TopLevelTypoSuggestsIssuer) {
  auto loaded = LoadConfigText("isuer: https://id.example.com\n", "t.yaml");
  ASSERT_FALSE(loaded);
  const std::optional<Problem> p = FindProblem(loaded.error(), "isuer", Errc::kUnknownKey);
  ASSERT_TRUE(p);
  EXPECT_NE(p->detail.find("did you mean 'issuer'?"), std::string::npos);
}

TEST(LoaderTest, UnknownKey_FarFromAnyNameHasNoSuggestion) {
  auto loaded = LoadConfigText("database: postgres\n", "t.yaml");
  ASSERT_FALSE(loaded);
  const std::optional<Problem> p = FindProblem(loaded.error(), "database", Errc::kUnknownKey);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->detail.find("did you mean"), std::string::npos) << p->detail;
}

TEST(LoaderTest, DuplicateKey_IsReported) {
  EXPECT_TRUE(
      FailsWith("listen: 127.0.0.1:1\nlisten: 127.0.0.1:2\n", "listen", Errc::kDuplicateKey));
}

TEST(LoaderTest, WrongType_NamesPath) {
  EXPECT_TRUE(FailsWith("issuer: [a, b]\n", "issuer", Errc::kWrongType));
  EXPECT_TRUE(FailsWith("tokens: 900\n", "tokens", Errc::kWrongType));
  EXPECT_TRUE(FailsWith("threads: many\n", "threads", Errc::kWrongType));
  EXPECT_TRUE(FailsWith("keys: { algorithms: RS256 }\n", "keys.algorithms", Errc::kWrongType));
  EXPECT_TRUE(FailsWith("tokens: { access_token_ttl: { a: 1 } }\n", "tokens.access_token_ttl",
                        Errc::kWrongType));
  EXPECT_TRUE(FailsWith("- a\n- b\n", "", Errc::kWrongType));
}

TEST(LoaderTest, Threads_RejectsNegative) {
  EXPECT_TRUE(FailsWith("threads: -1\n", "threads", Errc::kOutOfRange));
  EXPECT_TRUE(Loads("threads: 0\n"));
}

struct DurationFieldCase {
  const char* value;
  Errc expected;
};

class BadDurationFieldTest : public ::testing::TestWithParam<DurationFieldCase> {};

TEST_P(BadDurationFieldTest, AccessTokenTtl_BadDurationNamesPath) {
  const std::string yaml = std::string("tokens:\n  access_token_ttl: ") + GetParam().value + "\n";
  EXPECT_TRUE(FailsWith(yaml, "tokens.access_token_ttl", GetParam().expected));
}

INSTANTIATE_TEST_SUITE_P(Forms, BadDurationFieldTest,
                         ::testing::Values(DurationFieldCase{"\"\"", Errc::kDurationEmpty},
                                           DurationFieldCase{"-5", Errc::kDurationNegative},
                                           DurationFieldCase{"0", Errc::kDurationZero},
                                           DurationFieldCase{"1.5h", Errc::kDurationFraction},
                                           DurationFieldCase{"10w", Errc::kDurationUnknownUnit},
                                           DurationFieldCase{"soon", Errc::kDurationNotANumber},
                                           DurationFieldCase{"99999d", Errc::kDurationOverflow}));

TEST(LoaderTest, Leeway_AcceptsZeroButTtlDoesNot) {
  EXPECT_TRUE(Loads("tokens: { leeway: 0 }\n"));
  EXPECT_TRUE(
      FailsWith("tokens: { id_token_ttl: 0 }\n", "tokens.id_token_ttl", Errc::kDurationZero));
}

TEST(LoaderTest, Issuer_RejectsEveryUnfitForm) {
  EXPECT_TRUE(FailsWith("issuer: id.example.com\n", "issuer", Errc::kBadIssuer));
  EXPECT_TRUE(FailsWith("issuer: /relative\n", "issuer", Errc::kBadIssuer));
  EXPECT_TRUE(FailsWith("issuer: ftp://id.example.com\n", "issuer", Errc::kBadIssuer));
  EXPECT_TRUE(FailsWith("issuer: http://id.example.com\n", "issuer", Errc::kBadIssuer));
  EXPECT_TRUE(FailsWith("issuer: https://id.example.com?x=1\n", "issuer", Errc::kBadIssuer));
  EXPECT_TRUE(FailsWith("issuer: https://id.example.com#top\n", "issuer", Errc::kBadIssuer));
  EXPECT_TRUE(FailsWith("issuer: https://id.example.com/\n", "issuer", Errc::kBadIssuer));
  EXPECT_TRUE(FailsWith("issuer: https://user@id.example.com\n", "issuer", Errc::kBadIssuer));
  EXPECT_TRUE(FailsWith("issuer: \"https://\"\n", "issuer", Errc::kBadIssuer));
}

TEST(LoaderTest, Issuer_AcceptsHttpsAndLoopbackHttp) {
  EXPECT_TRUE(Loads("issuer: https://id.example.com\n"));
  EXPECT_TRUE(Loads("issuer: https://example.com/tenants/a\n"));
  EXPECT_TRUE(Loads("issuer: http://127.0.0.1:8080\n"));
  EXPECT_TRUE(Loads("issuer: http://localhost:9000\n"));
  EXPECT_TRUE(Loads("issuer: http://[::1]:8080\n"));
}

TEST(LoaderTest, Listen_RequiresHostAndPort) {
  EXPECT_TRUE(FailsWith("listen: \"8080\"\n", "listen", Errc::kBadListen));
  EXPECT_TRUE(FailsWith("listen: \"0.0.0.0:99999\"\n", "listen", Errc::kBadListen));
  EXPECT_TRUE(FailsWith("listen: \"0.0.0.0:http\"\n", "listen", Errc::kBadListen));
  EXPECT_TRUE(FailsWith("listen: \":8080\"\n", "listen", Errc::kBadListen));
  EXPECT_TRUE(Loads("listen: \"[::1]:8080\"\n"));
  EXPECT_TRUE(Loads("listen: \"signet.internal:0\"\n"));
}

TEST(LoaderTest, Algorithms_RejectNoneAndHmacWithReason) {
  auto loaded = LoadConfigText("keys: { algorithms: [RS256, none, HS256] }\n", "t.yaml");
  ASSERT_FALSE(loaded);
  const std::optional<Problem> none =
      FindProblem(loaded.error(), "keys.algorithms[1]", Errc::kBadAlgorithm);
  ASSERT_TRUE(none) << loaded.error().Format();
  EXPECT_NE(none->detail.find("unsigned"), std::string::npos);
  const std::optional<Problem> hs =
      FindProblem(loaded.error(), "keys.algorithms[2]", Errc::kBadAlgorithm);
  ASSERT_TRUE(hs);
  EXPECT_NE(hs->detail.find("HMAC"), std::string::npos);
}

TEST(LoaderTest, Algorithms_RejectEmptyListAndDuplicates) {
  EXPECT_TRUE(FailsWith("keys: { algorithms: [] }\n", "keys.algorithms", Errc::kMissingValue));
  EXPECT_TRUE(FailsWith("keys: { algorithms: [ES256, ES256] }\n", "keys.algorithms[1]",
                        Errc::kDuplicateValue));
  EXPECT_TRUE(
      FailsWith("tokens: { signing_alg: rs256 }\n", "tokens.signing_alg", Errc::kBadAlgorithm));
}

TEST(LoaderTest, SigningAlg_MustBeInKeysAlgorithms) {
  EXPECT_TRUE(FailsWith("tokens: { signing_alg: PS256 }\nkeys: { algorithms: [RS256] }\n",
                        "tokens.signing_alg", Errc::kAlgorithmNotEnabled));
}

TEST(LoaderTest, PublishAhead_MustNotExceedRotateEvery) {
  EXPECT_TRUE(FailsWith("keys: { rotate_every: 1h, publish_ahead: 2h }\n", "keys.publish_ahead",
                        Errc::kConflictingSettings));
  EXPECT_TRUE(Loads("keys: { rotate_every: 1h, publish_ahead: 1h }\n"));
}

TEST(LoaderTest, Tls_NeedsBothFiles) {
  EXPECT_TRUE(FailsWith("tls: { cert_file: /c.pem }\n", "tls.key_file", Errc::kMissingValue));
  EXPECT_TRUE(FailsWith("tls: { key_file: /k.pem }\n", "tls.cert_file", Errc::kMissingValue));
}

TEST(LoaderTest, Redis_RejectsBadUrlAndNeedsEncryptionKey) {
  EXPECT_TRUE(FailsWith("redis: { url: \"http://x\" }\n", "redis.url", Errc::kBadUrl));
  EXPECT_TRUE(FailsWith("redis: { url: \"redis://h:6379/0\" }\n", "keys.encryption_key_file",
                        Errc::kMissingValue));
}

TEST(LoaderTest, Redis_ErrorNeverEchoesThePassword) {
  auto loaded = LoadConfigText("redis: { url: \"redis://:hunter2@h:6379/zero\" }\n", "t.yaml");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().Format().find("hunter2"), std::string::npos);
}

TEST(LoaderTest, Log_RejectsUnknownLevelAndFormat) {
  EXPECT_TRUE(FailsWith("log: { level: loud }\n", "log.level", Errc::kBadEnumValue));
  EXPECT_TRUE(FailsWith("log: { format: xml }\n", "log.format", Errc::kBadEnumValue));
}

TEST(LoaderTest, Server_RejectsZeroConnections) {
  EXPECT_TRUE(
      FailsWith("server: { max_connections: 0 }\n", "server.max_connections", Errc::kOutOfRange));
}

TEST(LoaderTest, Login_DefaultsAndRejectsZeroLimitsAndWindow) {
  auto loaded = LoadConfigText("", "empty.yaml");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->login.max_failures_per_username, 10u);
  EXPECT_EQ(loaded->login.max_failures_per_ip, 100u);
  EXPECT_EQ(loaded->login.failure_window, std::chrono::seconds{900});
  EXPECT_TRUE(FailsWith("login: { max_failures_per_username: 0 }\n",
                        "login.max_failures_per_username", Errc::kOutOfRange));
  EXPECT_TRUE(
      FailsWith("login: { max_failures_per_ip: 0 }\n", "login.max_failures_per_ip", Errc::kOutOfRange));
  EXPECT_TRUE(FailsWith("login: { failure_window: 0 }\n", "login.failure_window",
                        Errc::kDurationZero));
}

TEST(LoaderTest, LoginSessionTtl_DefaultsTo12HoursAndReadsADuration) {
  auto defaults = LoadConfigText("", "empty.yaml");
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->login.session_ttl, std::chrono::hours{12});
  auto loaded = LoadConfigText("login: { session_ttl: 8h }\n", "signet.yaml");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->login.session_ttl, std::chrono::hours{8});
}

TEST(LoaderTest, LoginSessionTtl_AcceptsExactly30Days) {
  auto loaded = LoadConfigText("login: { session_ttl: 30d }\n", "signet.yaml");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->login.session_ttl, std::chrono::hours{30 * 24});
}

TEST(LoaderTest, LoginSessionTtl_RejectsZeroAndMoreThan30Days) {
  EXPECT_TRUE(FailsWith("login: { session_ttl: 0 }\n", "login.session_ttl", Errc::kDurationZero));
  EXPECT_TRUE(FailsWith("login: { session_ttl: 31d }\n", "login.session_ttl", Errc::kOutOfRange));
  EXPECT_TRUE(
      FailsWith("login: { session_ttl: 2592001 }\n", "login.session_ttl", Errc::kOutOfRange));
  EXPECT_TRUE(FailsWith("login: { session_ttl: [1h] }\n", "login.session_ttl", Errc::kWrongType));
}

TEST(LoaderTest, YamlSyntaxError_IsAProblemNotAnException) {
  auto loaded = LoadConfigText("tokens: [\n  - : :\n  {", "broken.yaml");
  ASSERT_FALSE(loaded);
  ASSERT_EQ(loaded.error().problems.size(), 1u);
  EXPECT_EQ(loaded.error().problems[0].code, Errc::kYamlSyntax);
  EXPECT_NE(loaded.error().problems[0].detail.find("line"), std::string::npos);
}

TEST(LoaderTest, DeeplyNestedYaml_IsRejectedWithoutCrashing) {
  const std::string yaml = "a: " + std::string(100000, '[');
  auto loaded = LoadConfigText(yaml, "deep.yaml");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().problems.at(0).code, Errc::kTooComplex) << loaded.error().Format();
}

TEST(LoaderTest, SeveralProblems_AreAllReportedAtOnce) {
  const std::string yaml = R"(
issuer: "id.example.com"
listen: "nowhere"
tokens:
  access_token_ttl: 1.5h
  refersh_token_ttl: 30d
keys:
  algorithms: [HS256]
)";
  auto loaded = LoadConfigText(yaml, "multi.yaml");
  ASSERT_FALSE(loaded);
  const LoadErrors& e = loaded.error();
  EXPECT_TRUE(FindProblem(e, "issuer", Errc::kBadIssuer));
  EXPECT_TRUE(FindProblem(e, "listen", Errc::kBadListen));
  EXPECT_TRUE(FindProblem(e, "tokens.access_token_ttl", Errc::kDurationFraction));
  EXPECT_TRUE(FindProblem(e, "tokens.refersh_token_ttl", Errc::kUnknownKey));
  EXPECT_TRUE(FindProblem(e, "keys.algorithms[0]", Errc::kBadAlgorithm));
  EXPECT_EQ(e.problems.size(), 5u) << e.Format();
}

TEST(LoaderTest, Format_PrefixesSourceAndPath) {
  auto loaded = LoadConfigText("threads: x\n", "signet.yaml");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().Format().rfind("signet.yaml: threads: ", 0), 0u)
      << loaded.error().Format();
}

TEST(LoaderTest, LoadConfigFile_MissingFileIsIoError) {
  auto loaded = LoadConfigFile("/nonexistent/signet.yaml");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().problems.at(0).code, Errc::kIoError);
  EXPECT_EQ(loaded.error().source, "/nonexistent/signet.yaml");
}

TEST(LoaderTest, LoadConfigText_RejectsOversizedInput) {
  const std::string huge(kMaxConfigBytes + 1, '#');
  auto loaded = LoadConfigText(huge, "huge.yaml");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().problems.at(0).code, Errc::kTooComplex);
}

TEST(LoaderTest, KeyNames_EveryTopLevelKeyIsAccepted) {
  // Each documented section parses as an (empty) mapping or value of its kind.
  EXPECT_TRUE(
      Loads("tls:\ntokens: {}\nkeys: {}\nredis: {}\nserver: {}\nlog: {}\nlogin: {}\n"
            "clients: []\nusers: []\n"));
  EXPECT_EQ(key::kTopLevelKeys.size(), 12u);
}

}  // namespace
}  // namespace signet::config

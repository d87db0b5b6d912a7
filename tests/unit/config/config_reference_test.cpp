// Keeps the configuration reference of docs/operations.md (section 1) honest: every key of
// config/key_names.hpp (and every SIGNET_* override) has a row there, no row names a key the
// code does not know, and every documented default is the value a default-constructed Config
// holds (durations compared in seconds). The last tests change a copy of the guide and show
// that the checks catch it.
//
// The guide's rows look like
//   | `tokens.access_token_ttl` | duration | `15m` | what it does / bounds |
// with the default as a code span, or "—" for none (empty string, empty list, unset).

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config/duration.hpp"
#include "config/key_names.hpp"
#include "keys/algorithm.hpp"

namespace signet::config {
namespace {

constexpr std::string_view kNone = "—";  // the guide's "no default" cell

std::string ReadSourceFile(const std::string& relative) {
  std::ifstream file(std::string(SIGNET_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// Cells of a Markdown table row; "\|" does not split.
std::vector<std::string> SplitRow(std::string_view line) {
  std::vector<std::string> cells;
  std::string cell;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      cell.push_back('|');
      ++i;
    } else if (line[i] == '|') {
      cells.emplace_back(Trim(cell));
      cell.clear();
    } else {
      cell.push_back(line[i]);
    }
  }
  cells.emplace_back(Trim(cell));
  return cells;
}

// The content of a cell that is exactly one code span, else nullopt.
std::optional<std::string> CodeSpan(std::string_view cell) {
  if (cell.size() < 2 || cell.front() != '`' || cell.back() != '`') return std::nullopt;
  const std::string_view inner = cell.substr(1, cell.size() - 2);
  if (inner.empty() || inner.find('`') != std::string_view::npos) return std::nullopt;
  return std::string(inner);
}

struct DocRow {
  std::string key;
  std::string default_cell;
  std::size_t line = 0;  // 1-based, for messages
};

// Every row of section 1 ("## 1. ..." up to the next "## ") whose first cell is a code span.
std::vector<DocRow> ParseReference(std::string_view markdown) {
  std::vector<DocRow> rows;
  bool inside = false;
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start <= markdown.size()) {
    std::size_t end = markdown.find('\n', start);
    if (end == std::string_view::npos) end = markdown.size();
    const std::string_view line = markdown.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (line.starts_with("## ")) {
      if (inside) break;
      inside = line.starts_with("## 1.");
      continue;
    }
    if (!inside || !line.starts_with("| `")) continue;
    const std::vector<std::string> cells = SplitRow(line);
    // "", key, type, default, description, "" (text after the closing pipe)
    if (cells.size() < 5) {
      rows.push_back({"<malformed row>", "", line_number});
      continue;
    }
    rows.push_back({CodeSpan(cells[1]).value_or("<malformed key cell " + cells[1] + ">"),
                    cells[3], line_number});
  }
  return rows;
}

// Every key the code accepts, spelt as the guide spells it.
std::set<std::string> CodeKeys() {
  std::set<std::string> names;
  const auto add = [&names](std::string_view prefix, const auto& array) {
    for (std::string_view name : array) names.insert(std::string(prefix) + std::string(name));
  };
  const auto section = [](std::string_view name) { return std::string(name) + "."; };
  const auto list = [](std::string_view name) { return std::string(name) + "[]."; };
  add("", key::kTopLevelKeys);
  add(section(key::kTls), key::kTlsKeys);
  add(section(key::kTokens), key::kTokensKeys);
  add(section(key::kKeys), key::kKeysKeys);
  add(section(key::kRedis), key::kRedisKeys);
  add(section(key::kServer), key::kServerKeys);
  add(section(key::kLogin), key::kLoginKeys);
  add(section(key::kLog), key::kLogKeys);
  add(list(key::kClients), key::kClientKeys);
  add(list(key::kUsers), key::kUserKeys);
  for (const char* env : {key::kEnvConfig, key::kEnvIssuer, key::kEnvListen, key::kEnvRedisUrl,
                          key::kEnvLogLevel, key::kEnvLogFormat}) {
    names.insert(env);
  }
  return names;
}
// CodeKeys() reads this many k*Keys arrays (kTopLevelKeys included) and kEnv* names; a new
// one in key_names.hpp must be added there (and to the guide).
constexpr std::size_t kKeyArrays = 10;
constexpr std::size_t kEnvNames = 6;

struct NotCompared {};  // sections and environment variables: the guide says "—"
using StringList = std::vector<std::string>;
using Expected = std::variant<NotCompared, Seconds, std::int64_t, std::string, StringList>;

std::string GrantName(GrantType grant) {
  switch (grant) {
    case GrantType::kClientCredentials: return "client_credentials";
    case GrantType::kAuthorizationCode: return "authorization_code";
    case GrantType::kRefreshToken: return "refresh_token";
    case GrantType::kPassword: return "password";
  }
  return "?";
}

std::string AuthMethodName(TokenEndpointAuthMethod method) {
  switch (method) {
    case TokenEndpointAuthMethod::kClientSecretBasic: return "client_secret_basic";
    case TokenEndpointAuthMethod::kClientSecretPost: return "client_secret_post";
    case TokenEndpointAuthMethod::kPrivateKeyJwt: return "private_key_jwt";
    case TokenEndpointAuthMethod::kNone: return "none";
  }
  return "?";
}

std::string AlgName(const std::optional<keys::Algorithm>& alg) {
  return alg ? std::string(keys::JwaName(*alg)) : std::string();
}

std::string Joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

// What each documented key's default must be: the member initialisers of config.hpp.
std::map<std::string, Expected> ExpectedDefaults() {
  const Config config{};
  const Tls tls{};
  const Client client{};
  const User user{};
  StringList algorithms;
  for (keys::Algorithm alg : config.keys.algorithms) algorithms.emplace_back(keys::JwaName(alg));
  StringList grants;
  for (GrantType grant : client.grant_types) grants.push_back(GrantName(grant));
  const auto integer = [](auto value) { return Expected(static_cast<std::int64_t>(value)); };
  return {
      {"issuer", config.issuer},
      {"listen", config.listen},
      {"threads", integer(config.threads)},
      {"tls", NotCompared{}},
      {"tokens", NotCompared{}},
      {"keys", NotCompared{}},
      {"redis", NotCompared{}},
      {"server", NotCompared{}},
      {"log", NotCompared{}},
      {"login", NotCompared{}},
      {"clients", NotCompared{}},
      {"users", NotCompared{}},
      {"tls.cert_file", tls.cert_file},
      {"tls.key_file", tls.key_file},
      {"tokens.access_token_ttl", config.tokens.access_token_ttl},
      {"tokens.id_token_ttl", config.tokens.id_token_ttl},
      {"tokens.refresh_token_ttl", config.tokens.refresh_token_ttl},
      {"tokens.signing_alg", AlgName(config.tokens.signing_alg)},
      {"tokens.leeway", config.tokens.leeway},
      {"keys.algorithms", algorithms},
      {"keys.rotate_every", config.keys.rotate_every},
      {"keys.publish_ahead", config.keys.publish_ahead},
      {"keys.dir", config.keys.dir},
      {"keys.encryption_key_file", config.keys.encryption_key_file},
      {"redis.url", config.redis.url},
      {"server.max_connections", integer(config.server.max_connections)},
      {"server.read_timeout", config.server.read_timeout},
      {"server.shutdown_grace", config.server.shutdown_grace},
      {"login.max_failures_per_username", integer(config.login.max_failures_per_username)},
      {"login.max_failures_per_ip", integer(config.login.max_failures_per_ip)},
      {"login.failure_window", config.login.failure_window},
      {"login.session_ttl", config.login.session_ttl},
      {"log.level", config.log_level},
      {"log.format", std::string(config.log_format == LogFormat::kJson ? "json" : "text")},
      {"clients[].client_id", client.client_id},
      {"clients[].client_secret", client.client_secret},
      {"clients[].client_secret_hash", client.client_secret_hash},
      {"clients[].token_endpoint_auth_method", AuthMethodName(client.token_endpoint_auth_method)},
      {"clients[].grant_types", grants},
      {"clients[].redirect_uris", client.redirect_uris},
      {"clients[].post_logout_redirect_uris", client.post_logout_redirect_uris},
      {"clients[].scope", Joined(client.scope)},  // a space-separated string in YAML
      {"clients[].audience", client.audience},
      {"clients[].access_token_signed_response_alg",
       AlgName(client.access_token_signed_response_alg)},
      {"clients[].id_token_signed_response_alg", AlgName(client.id_token_signed_response_alg)},
      {"users[].username", user.username},
      {"users[].password", user.password},
      {"users[].password_hash", user.password_hash},
      {"users[].claims", user.claims_json},
      {key::kEnvConfig, NotCompared{}},
      {key::kEnvIssuer, NotCompared{}},
      {key::kEnvListen, NotCompared{}},
      {key::kEnvRedisUrl, NotCompared{}},
      {key::kEnvLogLevel, NotCompared{}},
      {key::kEnvLogFormat, NotCompared{}},
  };
}

StringList ParseList(std::string_view text) {
  StringList items;
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return {"<not a [list]>"};
  text = Trim(text.substr(1, text.size() - 2));
  while (!text.empty()) {
    const std::size_t comma = std::min(text.find(','), text.size());
    items.emplace_back(Trim(text.substr(0, comma)));
    text = comma < text.size() ? Trim(text.substr(comma + 1)) : std::string_view();
  }
  return items;
}

// "" when the documented default equals `expected`, else why not.
std::string CompareDefault(const DocRow& row, const Expected& expected) {
  const std::string_view cell = row.default_cell;
  const std::optional<std::string> span = CodeSpan(cell);
  if (!span && cell != kNone) {
    return "default cell '" + row.default_cell + "' is neither a `code span` nor " +
           std::string(kNone);
  }
  const std::string where = row.key + " (line " + std::to_string(row.line) + "): ";
  if (std::holds_alternative<NotCompared>(expected)) {
    return span ? where + "expected " + std::string(kNone) + ", the guide says " + *span : "";
  }
  if (const auto* seconds = std::get_if<Seconds>(&expected)) {
    if (!span) return where + "no default documented, the code has " +
                      std::to_string(seconds->count()) + "s";
    auto parsed = ParseDuration(*span, {.allow_zero = true});
    if (!parsed) return where + "'" + *span + "' is not a duration";
    if (*parsed == *seconds) return "";
    return where + "the guide says " + *span + " (" + std::to_string(parsed->count()) +
           "s), the code " + std::to_string(seconds->count()) + "s";
  }
  if (const auto* number = std::get_if<std::int64_t>(&expected)) {
    std::int64_t value = 0;
    const std::string text = span.value_or("");
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
      return where + "'" + text + "' is not an integer";
    }
    if (value == *number) return "";
    return where + "the guide says " + text + ", the code " + std::to_string(*number);
  }
  if (const auto* text = std::get_if<std::string>(&expected)) {
    const std::string documented = span.value_or("");
    if (documented == *text) return "";
    return where + "the guide says '" + documented + "', the code '" + *text + "'";
  }
  const auto& list = std::get<StringList>(expected);
  const StringList documented = span ? ParseList(*span) : StringList{};
  if (documented == list) return "";
  return where + "the guide says " + span.value_or(std::string(kNone)) + ", the code [" +
         Joined(list) + "]";
}

// Every disagreement between the guide's rows and the code, one message each.
std::vector<std::string> CheckReference(std::string_view markdown) {
  std::vector<std::string> problems;
  const std::vector<DocRow> rows = ParseReference(markdown);
  const std::set<std::string> code_keys = CodeKeys();
  const std::map<std::string, Expected> expected = ExpectedDefaults();
  std::set<std::string> documented;
  for (const DocRow& row : rows) {
    if (!documented.insert(row.key).second) {
      problems.push_back(row.key + " (line " + std::to_string(row.line) + "): documented twice");
    }
    if (!code_keys.contains(row.key)) {
      problems.push_back(row.key + " (line " + std::to_string(row.line) +
                         "): documented, but not a key of config/key_names.hpp");
      continue;
    }
    const auto found = expected.find(row.key);
    if (found == expected.end()) {
      problems.push_back(row.key + ": no expected default in this test (add it)");
    } else if (std::string problem = CompareDefault(row, found->second); !problem.empty()) {
      problems.push_back(std::move(problem));
    }
  }
  for (const std::string& key : code_keys) {
    if (!documented.contains(key)) {
      problems.push_back(key + ": a key of config/key_names.hpp missing from the guide");
    }
  }
  return problems;
}

std::string OperationsGuide() { return ReadSourceFile("docs/operations.md"); }

// The guide with one line (the row of `key`) replaced by `transform(line)`.
template <class Transform>
std::string WithRowChanged(std::string markdown, std::string_view key, Transform transform) {
  const std::string needle = "| `" + std::string(key) + "` |";
  const std::size_t begin = markdown.find(needle);
  if (begin == std::string::npos) return markdown;
  const std::size_t end = markdown.find('\n', begin);
  const std::string row = markdown.substr(begin, end - begin);
  return markdown.replace(begin, end - begin, transform(row));
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

TEST(ConfigReferenceTest, GuideHasTheReferenceTables) {
  const std::vector<DocRow> rows = ParseReference(OperationsGuide());
  // 12 top-level keys + 36 in sections and lists + 6 environment variables.
  EXPECT_EQ(rows.size(), CodeKeys().size());
  EXPECT_GE(rows.size(), 54u) << "docs/operations.md section 1 not found or not parsed";
}

TEST(ConfigReferenceTest, GuideAgreesWithKeyNamesAndConfigDefaults) {
  const std::vector<std::string> problems = CheckReference(OperationsGuide());
  EXPECT_TRUE(problems.empty()) << "docs/operations.md section 1 vs the code:\n"
                                << JoinLines(problems);
}

TEST(ConfigReferenceTest, TestTableCoversEveryCodeKey) {
  std::set<std::string> in_table;
  for (const auto& [name, expected] : ExpectedDefaults()) in_table.insert(name);
  EXPECT_EQ(in_table, CodeKeys());
}

TEST(ConfigReferenceTest, TestReadsEveryKeyArrayOfKeyNames) {
  // A new section (a new k*Keys array) or override must reach CodeKeys() above.
  const std::string header = ReadSourceFile("config/key_names.hpp");
  ASSERT_FALSE(header.empty());
  std::size_t arrays = 0;
  std::size_t envs = 0;
  for (std::size_t at = header.find("inline constexpr std::array "); at != std::string::npos;
       at = header.find("inline constexpr std::array ", at + 1)) {
    ++arrays;
  }
  for (std::size_t at = header.find("inline constexpr const char* kEnv"); at != std::string::npos;
       at = header.find("inline constexpr const char* kEnv", at + 1)) {
    ++envs;
  }
  EXPECT_EQ(arrays, kKeyArrays);
  EXPECT_EQ(envs, kEnvNames);
}

TEST(ConfigReferenceTest, CheckReportsAChangedDefault) {
  const std::string changed =
      WithRowChanged(OperationsGuide(), "tokens.access_token_ttl", [](std::string row) {
        return row.replace(row.find("`15m`"), 5, "`20m`");
      });
  const std::vector<std::string> problems = CheckReference(changed);
  ASSERT_EQ(problems.size(), 1u) << JoinLines(problems);
  EXPECT_NE(problems[0].find("tokens.access_token_ttl"), std::string::npos);
  EXPECT_NE(problems[0].find("1200s"), std::string::npos);
}

TEST(ConfigReferenceTest, CheckReportsAChangedListDefault) {
  const std::string changed =
      WithRowChanged(OperationsGuide(), "keys.algorithms", [](std::string row) {
        return row.replace(row.find("`[RS256, ES256]`"), 16, "`[ES256, RS256]`");
      });
  const std::vector<std::string> problems = CheckReference(changed);
  ASSERT_EQ(problems.size(), 1u) << JoinLines(problems);
  EXPECT_NE(problems[0].find("keys.algorithms"), std::string::npos);
}

TEST(ConfigReferenceTest, CheckReportsAMissingKey) {
  const std::string changed = WithRowChanged(OperationsGuide(), "server.read_timeout",
                                             [](const std::string&) { return std::string(); });
  const std::vector<std::string> problems = CheckReference(changed);
  ASSERT_EQ(problems.size(), 1u) << JoinLines(problems);
  EXPECT_EQ(problems[0], "server.read_timeout: a key of config/key_names.hpp missing from the guide");
}

TEST(ConfigReferenceTest, CheckReportsAnUnknownKey) {
  const std::string changed =
      WithRowChanged(OperationsGuide(), "server.read_timeout", [](const std::string& row) {
        return row + "\n| `server.write_timeout` | duration | `30` | not a setting |";
      });
  const std::vector<std::string> problems = CheckReference(changed);
  ASSERT_EQ(problems.size(), 1u) << JoinLines(problems);
  EXPECT_NE(problems[0].find("server.write_timeout"), std::string::npos);
  EXPECT_NE(problems[0].find("not a key of config/key_names.hpp"), std::string::npos);
}

}  // namespace
}  // namespace signet::config

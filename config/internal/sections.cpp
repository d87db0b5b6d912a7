#include "config/internal/sections.hpp"

#include <string>

#include "config/internal/validators.hpp"
#include "config/key_names.hpp"

namespace signet::config::internal {
namespace {

constexpr Seconds kMaxSessionTtl{30 * 24 * 3600};

void ReportIfInvalid(const std::optional<Invalid>& invalid, const std::string& path,
                     ProblemList& problems) {
  if (invalid) problems.Add(path, invalid->code, invalid->detail);
}

void ParseTls(const YAML::Node& node, const std::string& path, Config& config,
              ProblemList& problems) {
  auto map = MapReader::Open(node, path, key::kTlsKeys, problems);
  if (!map) return;
  Tls tls;
  WithKey(*map, key::kCertFile, [&](const YAML::Node& n, const std::string& p) {
    if (auto v = ReadString(n, p, problems)) tls.cert_file = *v;
  });
  WithKey(*map, key::kKeyFile, [&](const YAML::Node& n, const std::string& p) {
    if (auto v = ReadString(n, p, problems)) tls.key_file = *v;
  });
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    const auto missing = tls.cert_file.empty() ? key::kCertFile : key::kKeyFile;
    problems.Add(map->PathOf(missing), Errc::kMissingValue,
                 "TLS needs both cert_file and key_file");
    return;
  }
  if (!tls.cert_file.empty()) config.tls = std::move(tls);
}

void ParseTokens(const YAML::Node& node, const std::string& path, Tokens& tokens,
                 ProblemList& problems) {
  auto map = MapReader::Open(node, path, key::kTokensKeys, problems);
  if (!map) return;
  auto duration = [&](std::string_view name, Seconds& out, DurationOptions options) {
    WithKey(*map, name, [&](const YAML::Node& n, const std::string& p) {
      if (auto v = ReadDuration(n, p, options, problems)) out = *v;
    });
  };
  duration(key::kAccessTokenTtl, tokens.access_token_ttl, {});
  duration(key::kIdTokenTtl, tokens.id_token_ttl, {});
  duration(key::kRefreshTokenTtl, tokens.refresh_token_ttl, {});
  duration(key::kLeeway, tokens.leeway, {.allow_zero = true});
  WithKey(*map, key::kSigningAlg, [&](const YAML::Node& n, const std::string& p) {
    if (auto v = ReadAlgorithm(n, p, problems)) tokens.signing_alg = *v;
  });
}

void ParseKeys(const YAML::Node& node, const std::string& path, Keys& keys, ProblemList& problems) {
  auto map = MapReader::Open(node, path, key::kKeysKeys, problems);
  if (!map) return;
  WithKey(*map, key::kAlgorithms, [&](const YAML::Node& n, const std::string& p) {
    if (!n.IsSequence()) {
      problems.Add(p, Errc::kWrongType, "expected a list, got " + std::string(DescribeNode(n)));
      return;
    }
    std::vector<keys::Algorithm> algorithms;
    std::size_t index = 0;
    for (const YAML::Node& element : n) {
      const std::string element_path = IndexPath(p, index++);
      auto alg = ReadAlgorithm(element, element_path, problems);
      if (!alg) continue;
      if (std::find(algorithms.begin(), algorithms.end(), *alg) != algorithms.end()) {
        problems.Add(element_path, Errc::kDuplicateValue, "algorithm listed twice");
        continue;
      }
      algorithms.push_back(*alg);
    }
    if (index == 0) {
      problems.Add(p, Errc::kMissingValue, "at least one algorithm is needed to sign tokens");
    }
    keys.algorithms = std::move(algorithms);
  });
  WithKey(*map, key::kRotateEvery, [&](const YAML::Node& n, const std::string& p) {
    if (auto v = ReadDuration(n, p, {}, problems)) keys.rotate_every = *v;
  });
  WithKey(*map, key::kPublishAhead, [&](const YAML::Node& n, const std::string& p) {
    if (auto v = ReadDuration(n, p, {.allow_zero = true}, problems)) keys.publish_ahead = *v;
  });
  WithKey(*map, key::kDir, [&](const YAML::Node& n, const std::string& p) {
    auto v = ReadString(n, p, problems);
    if (v && v->empty()) problems.Add(p, Errc::kMissingValue, "must not be empty");
    if (v && !v->empty()) keys.dir = *v;
  });
  WithKey(*map, key::kEncryptionKeyFile, [&](const YAML::Node& n, const std::string& p) {
    if (auto v = ReadString(n, p, problems)) keys.encryption_key_file = *v;
  });
}

void ParseRedis(const YAML::Node& node, const std::string& path, Redis& redis,
                ProblemList& problems) {
  auto map = MapReader::Open(node, path, key::kRedisKeys, problems);
  if (!map) return;
  WithKey(*map, key::kUrl, [&](const YAML::Node& n, const std::string& p) {
    auto v = ReadString(n, p, problems);
    if (!v) return;
    // The message never repeats the URL: it may carry a Redis password.
    if (auto invalid = CheckRedisUrl(*v)) return problems.Add(p, invalid->code, invalid->detail);
    redis.url = *v;
  });
}

void ParseServer(const YAML::Node& node, const std::string& path, Server& server,
                 ProblemList& problems) {
  auto map = MapReader::Open(node, path, key::kServerKeys, problems);
  if (!map) return;
  WithKey(*map, key::kMaxConnections, [&](const YAML::Node& n, const std::string& p) {
    if (auto v = ReadInt(n, p, 1, 1'000'000, problems)) {
      server.max_connections = static_cast<std::uint32_t>(*v);
    }
  });
  WithKey(*map, key::kReadTimeout, [&](const YAML::Node& n, const std::string& p) {
    if (auto v = ReadDuration(n, p, {}, problems)) server.read_timeout = *v;
  });
  WithKey(*map, key::kShutdownGrace, [&](const YAML::Node& n, const std::string& p) {
    if (auto v = ReadDuration(n, p, {.allow_zero = true}, problems)) server.shutdown_grace = *v;
  });
}

void ParseLogin(const YAML::Node& node, const std::string& path, Login& login,
                ProblemList& problems) {
  auto map = MapReader::Open(node, path, key::kLoginKeys, problems);
  if (!map) return;
  WithKey(*map, key::kMaxFailuresPerUsername, [&](const YAML::Node& n, const std::string& p) {
    if (auto v = ReadInt(n, p, 1, 1'000'000, problems)) {
      login.max_failures_per_username = static_cast<std::uint32_t>(*v);
    }
  });
  WithKey(*map, key::kMaxFailuresPerIp, [&](const YAML::Node& n, const std::string& p) {
    if (auto v = ReadInt(n, p, 1, 1'000'000, problems)) {
      login.max_failures_per_ip = static_cast<std::uint32_t>(*v);
    }
  });
  WithKey(*map, key::kFailureWindow, [&](const YAML::Node& n, const std::string& p) {
    if (auto v = ReadDuration(n, p, {}, problems)) login.failure_window = *v;
  });
  WithKey(*map, key::kSessionTtl, [&](const YAML::Node& n, const std::string& p) {
    auto v = ReadDuration(n, p, {}, problems);
    if (!v) return;
    // An SSO session lets anyone at that browser sign in as the user without a password
    // (OIDC Core §3.1.2.3: re-authentication is the OP's choice); a month bounds how long a
    // forgotten browser stays signed in.
    if (*v > kMaxSessionTtl) {
      return problems.Add(p, Errc::kOutOfRange, "must be at most 30d");
    }
    login.session_ttl = *v;
  });
}

void ParseLog(const YAML::Node& node, const std::string& path, Config& config,
              ProblemList& problems) {
  auto map = MapReader::Open(node, path, key::kLogKeys, problems);
  if (!map) return;
  WithKey(*map, key::kLevel, [&](const YAML::Node& n, const std::string& p) {
    auto v = ReadString(n, p, problems);
    if (!v) return;
    if (!IsValidLogLevel(*v)) {
      return problems.Add(p, Errc::kBadEnumValue,
                          "must be one of trace, debug, info, warn, error, critical, off");
    }
    config.log_level = *v;
  });
  WithKey(*map, key::kFormat, [&](const YAML::Node& n, const std::string& p) {
    auto v = ReadString(n, p, problems);
    if (!v) return;
    if (*v == "json") {
      config.log_format = LogFormat::kJson;
    } else if (*v == "text") {
      config.log_format = LogFormat::kText;
    } else {
      problems.Add(p, Errc::kBadEnumValue, "must be json or text");
    }
  });
}

}  // namespace

void ParseDocument(const YAML::Node& root, Config& config, ProblemList& problems) {
  if (root.IsNull()) return;  // an empty file: every default applies
  auto map = MapReader::Open(root, "", key::kTopLevelKeys, problems);
  if (!map) return;
  WithKey(*map, key::kIssuer, [&](const YAML::Node& n, const std::string& p) {
    auto v = ReadString(n, p, problems);
    if (!v) return;
    ReportIfInvalid(CheckIssuer(*v), p, problems);
    config.issuer = *v;
  });
  WithKey(*map, key::kListen, [&](const YAML::Node& n, const std::string& p) {
    auto v = ReadString(n, p, problems);
    if (!v) return;
    ReportIfInvalid(CheckListen(*v), p, problems);
    config.listen = *v;
  });
  WithKey(*map, key::kThreads, [&](const YAML::Node& n, const std::string& p) {
    if (auto v = ReadInt(n, p, 0, 1024, problems)) config.threads = static_cast<unsigned>(*v);
  });
  WithKey(*map, key::kTls,
          [&](const YAML::Node& n, const std::string& p) { ParseTls(n, p, config, problems); });
  WithKey(*map, key::kTokens, [&](const YAML::Node& n, const std::string& p) {
    ParseTokens(n, p, config.tokens, problems);
  });
  WithKey(*map, key::kKeys, [&](const YAML::Node& n, const std::string& p) {
    ParseKeys(n, p, config.keys, problems);
  });
  WithKey(*map, key::kRedis, [&](const YAML::Node& n, const std::string& p) {
    ParseRedis(n, p, config.redis, problems);
  });
  WithKey(*map, key::kServer, [&](const YAML::Node& n, const std::string& p) {
    ParseServer(n, p, config.server, problems);
  });
  WithKey(*map, key::kLog,
          [&](const YAML::Node& n, const std::string& p) { ParseLog(n, p, config, problems); });
  WithKey(*map, key::kLogin, [&](const YAML::Node& n, const std::string& p) {
    ParseLogin(n, p, config.login, problems);
  });
  WithKey(*map, key::kClients, [&](const YAML::Node& n, const std::string& p) {
    ParseClients(n, p, config.clients, problems);
  });
  WithKey(*map, key::kUsers, [&](const YAML::Node& n, const std::string& p) {
    ParseUsers(n, p, config.users, problems);
  });
}

}  // namespace signet::config::internal

#include "config/loader.hpp"

#include <cstdlib>
#include <exception>
#include <fstream>
#include <sstream>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "config/internal/sections.hpp"
#include "config/internal/validators.hpp"
#include "config/key_names.hpp"

namespace signet::config {
namespace {

LoadErrors Failure(std::string_view source, internal::ProblemList& problems) {
  return LoadErrors{std::string(source), problems.Take()};
}

LoadErrors OneFailure(std::string_view source, Errc code, std::string detail) {
  internal::ProblemList problems;
  problems.Add("", code, std::move(detail));
  return Failure(source, problems);
}

// The value of an environment variable, or nullopt when it is unset or empty.
std::optional<std::string> Env(const EnvLookup& env, const char* name) {
  const char* value = env ? env(name) : nullptr;
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

}  // namespace

LoadResult<Config> LoadConfigText(std::string_view yaml_text, std::string_view source_name) {
  if (yaml_text.size() > kMaxConfigBytes) {
    return OneFailure(source_name, Errc::kTooComplex, "config larger than 1 MiB");
  }
  internal::ProblemList problems;
  Config config;
  try {
    const YAML::Node root = YAML::Load(std::string(yaml_text));
    internal::ParseDocument(root, config, problems);
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own depth guard (2000 levels) reports "bad file"; say what happened.
    return OneFailure(source_name, Errc::kTooComplex,
                      "YAML nested too deeply at line " + std::to_string(e.mark.line + 1));
  } catch (const YAML::Exception& e) {
    // e.mark is the position of the syntax error; e.msg the reason (never file content).
    std::string detail = "YAML syntax error";
    if (!e.mark.is_null()) {
      detail += " at line " + std::to_string(e.mark.line + 1) + ", column " +
                std::to_string(e.mark.column + 1);
    }
    detail += ": " + e.msg;
    return OneFailure(source_name, Errc::kYamlSyntax, std::move(detail));
  } catch (const std::exception&) {
    // yaml-cpp may also fail with std::bad_alloc or a stack guard; never let it escape.
    return OneFailure(source_name, Errc::kTooComplex, "the document could not be parsed");
  }
  // Cross-field checks run even after other problems, so that one run lists everything;
  // a field that failed keeps its default and so cannot cause a second, misleading problem.
  internal::CheckCrossFields(config, problems);
  if (!problems.empty()) return Failure(source_name, problems);
  return config;
}

LoadResult<Config> LoadConfigFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return OneFailure(path, Errc::kIoError, "cannot open the file");
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) return OneFailure(path, Errc::kIoError, "cannot read the file");
  return LoadConfigText(text.str(), path);
}

LoadResult<Config> ApplyEnvOverrides(Config config, const EnvLookup& env) {
  internal::ProblemList problems;
  auto add = [&](const char* name, const std::optional<internal::Invalid>& invalid) {
    if (invalid) problems.Add(name, invalid->code, invalid->detail);
    return !invalid;
  };
  if (auto v = Env(env, key::kEnvIssuer); v && add(key::kEnvIssuer, internal::CheckIssuer(*v))) {
    config.issuer = *v;
  }
  if (auto v = Env(env, key::kEnvListen); v && add(key::kEnvListen, internal::CheckListen(*v))) {
    config.listen = *v;
  }
  if (auto v = Env(env, key::kEnvRedisUrl);
      v && add(key::kEnvRedisUrl, internal::CheckRedisUrl(*v))) {
    config.redis.url = *v;
  }
  if (auto v = Env(env, key::kEnvLogLevel)) {
    if (internal::IsValidLogLevel(*v)) {
      config.log_level = *v;
    } else {
      problems.Add(key::kEnvLogLevel, Errc::kBadEnumValue,
                   "must be one of trace, debug, info, warn, error, critical, off");
    }
  }
  if (auto v = Env(env, key::kEnvLogFormat)) {
    if (*v == "json" || *v == "text") {
      config.log_format = *v == "json" ? LogFormat::kJson : LogFormat::kText;
    } else {
      problems.Add(key::kEnvLogFormat, Errc::kBadEnumValue, "must be json or text");
    }
  }
  if (problems.empty()) internal::CheckCrossFields(config, problems);
  if (!problems.empty()) return Failure("<environment>", problems);
  return config;
}

EnvLookup ProcessEnv() {
  return [](const char* name) -> const char* { return std::getenv(name); };
}

}  // namespace signet::config

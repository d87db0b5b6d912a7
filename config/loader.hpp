#pragma once
// Loads and validates signet's YAML configuration (interface.md, "Configuration").
//
// Every problem in the document is reported at once, each with its full key path and a
// reason (config/problem.hpp); unknown keys are errors with a "did you mean" suggestion.
// yaml-cpp exceptions never escape: malformed YAML becomes a kYamlSyntax problem.
// A Config returned by these functions has passed every check below, so users of it may
// rely on them (e.g. tokens.signing_alg is one of keys.algorithms).
//
// Usage:
//   auto loaded = config::LoadConfigFile("/etc/signet/signet.yaml");
//   if (loaded) loaded = config::ApplyEnvOverrides(std::move(*loaded), config::ProcessEnv());
//   if (!loaded) { std::cerr << loaded.error().Format(); return 2; }
//
// Note: boost::system::result<T, E>::error() returns E by value for E other than
// error_code. Bind it once (`const LoadErrors errors = loaded.error();`) before taking
// references or pointers into it.
//
// Decisions documented here:
//   - issuer must be an absolute http(s) URL with a host, no userinfo, query, fragment or
//     trailing '/', and must use https unless the host is loopback (127.0.0.0/8, ::1,
//     localhost): RFC 8414 §2 and OIDC Discovery §3 require https; loopback keeps the
//     development default usable.
//   - listen "host:port": port 0..65535 (0 = ephemeral, for tests); IPv6 as "[::1]:8080".
//   - A client with neither client_secret nor client_secret_hash must say
//     token_endpoint_auth_method: none (public client); setting both secrets is an error.
//     private_key_jwt is recognised but rejected as not supported yet.
//   - An empty environment variable counts as unset.

#include <functional>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

#include "config/config.hpp"
#include "config/problem.hpp"

namespace signet::config {

template <class T>
using LoadResult = boost::system::result<T, LoadErrors>;

// Looks up an environment variable; nullptr when unset (the signature of std::getenv).
using EnvLookup = std::function<const char*(const char*)>;

// Parses YAML text. `source_name` prefixes messages (a file name, "<embedded default>").
// Input larger than kMaxConfigBytes is rejected.
[[nodiscard]] LoadResult<Config> LoadConfigText(std::string_view yaml_text,
                                                std::string_view source_name);

// Reads and parses a file; a missing or unreadable file is a kIoError problem.
[[nodiscard]] LoadResult<Config> LoadConfigFile(const std::string& path);

// Applies SIGNET_ISSUER, SIGNET_LISTEN, SIGNET_REDIS_URL, SIGNET_LOG_LEVEL and
// SIGNET_LOG_FORMAT (json|text) on top of a loaded config, validates the new values (the
// problem path is the variable's name) and re-runs the cross-field checks (e.g. a Redis URL
// requires keys.encryption_key_file). SIGNET_CONFIG is read by the CLI, not here.
[[nodiscard]] LoadResult<Config> ApplyEnvOverrides(Config config, const EnvLookup& env);

// std::getenv.
EnvLookup ProcessEnv();

inline constexpr std::size_t kMaxConfigBytes = 1024 * 1024;

}  // namespace signet::config

#include "cli/config_source.hpp"

#include <ostream>
#include <utility>

#include "config/embedded_default.hpp"
#include "config/key_names.hpp"
#include "config/loader.hpp"

namespace signet::cli {

std::optional<std::string> ConfigPath(const ParsedArgs& parsed, const CliIo& io) {
  if (auto path = parsed.Get("config")) return path;
  const char* env = io.getenv ? io.getenv(config::key::kEnvConfig) : nullptr;
  if (env != nullptr && *env != '\0') return std::string(env);
  return std::nullopt;
}

std::optional<config::Config> LoadCommandConfig(const std::optional<std::string>& path,
                                                CliIo& io) {
  auto loaded =
      path ? config::LoadConfigFile(*path)
           : config::LoadConfigText(config::EmbeddedDefaultYaml(), config::kEmbeddedDefaultName);
  if (loaded) loaded = config::ApplyEnvOverrides(std::move(*loaded), io.getenv);
  if (!loaded) {
    const config::LoadErrors errors = loaded.error();  // error() returns a copy
    io.err << errors.Format();
    const std::size_t count = errors.problems.size();
    io.err << "signet: configuration invalid (" << count << (count == 1 ? " problem" : " problems")
           << ")\n";
    return std::nullopt;
  }
  return std::move(*loaded);
}

}  // namespace signet::cli

#include "cli/args.hpp"

#include <algorithm>
#include <stdexcept>

namespace signet::cli {

void throw_exception_from_error(const UsageError& error, const boost::source_location&) {
  throw std::invalid_argument(error.message);
}

std::optional<std::string> ParsedArgs::Get(std::string_view name) const {
  for (auto it = flags_.rbegin(); it != flags_.rend(); ++it) {
    if (it->first == name) return it->second;
  }
  return std::nullopt;
}

std::vector<std::string> ParsedArgs::GetAll(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [flag, value] : flags_) {
    if (flag == name) values.push_back(value);
  }
  return values;
}

boost::system::result<ParsedArgs, UsageError> ParseArgs(std::span<const std::string> args,
                                                        std::span<const FlagSpec> flags) {
  ParsedArgs parsed;
  bool flags_ended = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (flags_ended || arg.size() < 2 || arg[0] != '-' || arg == "-") {
      parsed.positionals_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_ended = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      parsed.help_ = true;
      continue;
    }
    if (!arg.starts_with("--")) return UsageError{"unknown option '" + arg + "'"};
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    const auto spec =
        std::find_if(flags.begin(), flags.end(), [&](const FlagSpec& f) { return f.name == name; });
    if (spec == flags.end()) return UsageError{"unknown option '--" + name + "'"};
    if (!value) {
      if (i + 1 >= args.size()) return UsageError{"option '--" + name + "' needs a value"};
      value = args[++i];
    }
    if (!spec->repeatable && parsed.Has(name)) {
      return UsageError{"option '--" + name + "' given more than once"};
    }
    parsed.flags_.emplace_back(std::move(name), std::move(*value));
  }
  return parsed;
}

}  // namespace signet::cli

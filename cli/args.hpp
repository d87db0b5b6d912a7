#pragma once
// A small, strict argument parser for the subcommands: "--flag value" and "--flag=value",
// positionals, "--" to end flags, "--help"/"-h" anywhere. Unknown flags, missing values and
// repeated single-valued flags are usage errors.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

namespace signet::cli {

struct FlagSpec {
  std::string_view name;  // without the leading "--"
  bool repeatable = false;
};

struct UsageError {
  std::string message;
};

[[noreturn]] void throw_exception_from_error(const UsageError& error,
                                             const boost::source_location& location);

class ParsedArgs {
 public:
  // The value of a flag (the last one for repeatable flags), or nullopt.
  std::optional<std::string> Get(std::string_view name) const;
  // Every value of a repeatable flag, in order.
  std::vector<std::string> GetAll(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }

  const std::vector<std::string>& positionals() const { return positionals_; }
  bool help() const { return help_; }

 private:
  friend boost::system::result<ParsedArgs, UsageError> ParseArgs(std::span<const std::string>,
                                                                 std::span<const FlagSpec>);

  std::vector<std::pair<std::string, std::string>> flags_;
  std::vector<std::string> positionals_;
  bool help_ = false;
};

// Every flag takes a value; `flags` lists the accepted ones.
[[nodiscard]] boost::system::result<ParsedArgs, UsageError> ParseArgs(
    std::span<const std::string> args, std::span<const FlagSpec> flags);

}  // namespace signet::cli

#pragma once
// One thing wrong with a configuration, and the set of all of them.
// The loader reports every problem it finds, not just the first, each with the full key
// path (`clients[2].grant_types[0]`, `tokens.access_token_ttl`, or the environment
// variable name for an override) so that `signet config check` can list them all at once.

#include <string>
#include <vector>

#include <boost/assert/source_location.hpp>

#include "config/errc.hpp"

namespace signet::config {

struct Problem {
  std::string path;    // full key path; empty for the document as a whole
  Errc code;           // the kind of problem, for programs and tests
  std::string detail;  // for people: the reason and, where possible, the fix

  // "<source>: <path>: <detail>" without the source when it is empty.
  std::string Format(std::string_view source = {}) const;
};

// The error type of the loader's results: never empty.
struct LoadErrors {
  std::string source;  // file name, "<embedded default>", "<environment>"
  std::vector<Problem> problems;

  // One line per problem, each prefixed with `source`.
  std::string Format() const;
};

// Lets boost::system::result<T, LoadErrors>::value() throw a readable exception.
[[noreturn]] void throw_exception_from_error(const LoadErrors& errors,
                                             const boost::source_location& location);

}  // namespace signet::config

#include "config/problem.hpp"

#include <stdexcept>

namespace signet::config {

std::string Problem::Format(std::string_view source) const {
  std::string line;
  if (!source.empty()) line.append(source).append(": ");
  if (!path.empty()) line.append(path).append(": ");
  line.append(detail);
  return line;
}

std::string LoadErrors::Format() const {
  std::string text;
  for (const Problem& problem : problems) {
    text.append(problem.Format(source)).push_back('\n');
  }
  return text;
}

void throw_exception_from_error(const LoadErrors& errors, const boost::source_location&) {
  throw std::runtime_error("invalid configuration:\n" + errors.Format());
}

}  // namespace signet::config

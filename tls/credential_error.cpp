#include "tls/credential_error.hpp"

#include <stdexcept>

namespace signet::tls {

std::string CredentialError::Format() const {
  std::string line = key + ": " + make_error_code(code).message();
  if (!detail.empty()) line += " (" + detail + ")";
  return line;
}

void throw_exception_from_error(const CredentialError& error, const boost::source_location&) {
  throw std::runtime_error(error.Format());
}

}  // namespace signet::tls

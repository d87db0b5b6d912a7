#pragma once
// Why a TLS certificate/key pair was refused, for people: the config key it concerns
// (tls.cert_file or tls.key_file), the rule (Errc) and the file name or OpenSSL's reason.
// Never holds key material: details are file names, errno text and OpenSSL reason strings.
//
// Usage:
//   auto credentials = tls::LoadServerCredentials(*config.tls);
//   if (!credentials) std::cerr << credentials.error().Format() << '\n';
//   // tls.key_file: private key does not match the certificate (/etc/tls/tls.key, ...)

#include <string>

#include <boost/assert/source_location.hpp>

#include "tls/errc.hpp"

namespace signet::tls {

struct CredentialError {
  Errc code;
  std::string key;     // full config key path: "tls.cert_file" or "tls.key_file"
  std::string detail;  // file name and reason; may be empty

  // One line: "<key>: <rule> (<detail>)".
  std::string Format() const;
};

// Lets boost::system::result<T, CredentialError>::value() throw a readable exception.
[[noreturn]] void throw_exception_from_error(const CredentialError& error,
                                             const boost::source_location& location);

}  // namespace signet::tls

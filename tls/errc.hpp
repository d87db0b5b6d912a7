#pragma once
// Error codes of the tls module, usable as boost::system::error_code values.
// Each enumerator is one reason a certificate/key pair (tls.cert_file, tls.key_file) is refused;
// message() names the rule. A CredentialError (server_credentials.hpp) adds the config key and
// the file name for people.

#include <boost/system/error_code.hpp>

namespace signet::tls {

enum class Errc {
  // 0 is reserved for success by boost::system.
  kCertFileMissing = 1,  // tls.cert_file does not exist
  kCertFileUnreadable,   // tls.cert_file exists but cannot be read (permissions, a directory)
  kCertNotPem,           // tls.cert_file holds no PEM certificate, or a malformed one
  kCertRejected,         // OpenSSL refuses the certificate (e.g. key too small for level 2)
  kKeyFileMissing,       // tls.key_file does not exist
  kKeyFileUnreadable,    // tls.key_file exists but cannot be read
  kKeyNotPem,            // tls.key_file holds no unencrypted PEM private key
  kKeyMismatch,          // the private key is not the one of the leaf certificate
  kContextFailed,        // OpenSSL could not create or configure the SSL_CTX
};

const boost::system::error_category& TlsCategory() noexcept;

inline boost::system::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), TlsCategory()};
}

}  // namespace signet::tls

template <>
struct boost::system::is_error_code_enum<signet::tls::Errc> : std::true_type {};

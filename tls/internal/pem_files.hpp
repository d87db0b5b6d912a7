#pragma once
// Reading and parsing the two PEM files of a TLS server: the certificate chain (leaf first,
// then intermediates, RFC 8446 §4.4.2 / RFC 5246 §7.4.2) and the unencrypted private key.
// Each failure is a CredentialError naming the config key; the key's text is cleansed after
// parsing and never appears in an error.

#include <string>
#include <string_view>
#include <vector>

#include <boost/system/result.hpp>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "keys/internal/openssl_ptr.hpp"
#include "tls/credential_error.hpp"

namespace signet::tls::internal {

template <class T>
using Result = boost::system::result<T, CredentialError>;

// A certificate chain with several intermediates is a few KiB; a key below 10 KiB.
inline constexpr std::size_t kMaxCertFileSize = 1024 * 1024;
inline constexpr std::size_t kMaxKeyFileSize = 64 * 1024;

struct CertificateChain {
  keys::internal::SslPtr<X509> leaf;
  std::vector<keys::internal::SslPtr<X509>> intermediates;
};

// Reads a regular file, following symlinks (Kubernetes mounts Secrets through ..data links).
// Missing -> `missing`; any other failure (permissions, a directory, too large) -> `unreadable`.
[[nodiscard]] Result<std::string> ReadWholeFile(const std::string& path, std::size_t max_size,
                                                const std::string& config_key, Errc missing,
                                                Errc unreadable);

// Every CERTIFICATE block of `pem`, in order; none, or a malformed one -> kCertNotPem.
[[nodiscard]] Result<CertificateChain> ParseCertificateChain(std::string_view pem,
                                                             const std::string& path);

// The first private key of `pem` (PKCS#8, or the traditional RSA/EC forms); never prompts for
// a passphrase: an encrypted key -> kKeyNotPem.
[[nodiscard]] Result<keys::internal::SslPtr<EVP_PKEY>> ParsePrivateKey(std::string_view pem,
                                                                       const std::string& path);

// "tls.cert_file" / "tls.key_file", from config/key_names.hpp.
std::string CertFileKey();
std::string KeyFileKey();

}  // namespace signet::tls::internal

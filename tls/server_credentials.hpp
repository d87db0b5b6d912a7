#pragma once
// A TLS server's certificate chain and private key, loaded from tls.cert_file / tls.key_file
// and checked, as a ready OpenSSL SSL_CTX with signet's protocol policy:
//   - TLS 1.2 minimum (RFC 8996 deprecates TLS 1.0 and 1.1), TLS 1.3 preferred;
//   - OpenSSL's default cipher list without anything weak (no RC4, 3DES, DES, export, NULL,
//     anonymous, MD5, PSK/SRP, static-RSA key exchange) at security level 2;
//   - ALPN "http/1.1" (RFC 7301) when the client offers it; no renegotiation, no compression;
//   - stateless session tickets (RFC 5077 / RFC 8446 §4.6.1) with the context's own key.
// No Asio here: the server wraps the context (boost::asio::ssl::context takes ownership), and
// `signet config check` uses the same loader to report the same errors.
//
// Usage:
//   auto credentials = tls::LoadServerCredentials(*config.tls);
//   if (!credentials) return credentials.error().Format();   // one line naming the key
//   SSL_CTX* ctx = credentials->context.release();             // to boost::asio::ssl::context

#include <boost/system/result.hpp>
#include <openssl/ssl.h>

#include "config/config.hpp"
#include "keys/internal/openssl_ptr.hpp"
#include "tls/certificate_info.hpp"
#include "tls/credential_error.hpp"

namespace signet::keys::internal {
template <>
struct SslDeleter<SSL_CTX> {
  void operator()(SSL_CTX* p) const noexcept { SSL_CTX_free(p); }
};
}  // namespace signet::keys::internal

namespace signet::tls {

struct ServerCredentials {
  keys::internal::SslPtr<SSL_CTX> context;  // certificate, chain, key and policy installed
  CertificateInfo leaf;                     // for the start-up and reload log lines
};

// Reads both files (following symlinks), parses them and checks that the key is the leaf's.
// Errors name the config key: kCertFileMissing/kCertFileUnreadable/kCertNotPem/kCertRejected
// for tls.cert_file, kKeyFileMissing/kKeyFileUnreadable/kKeyNotPem/kKeyMismatch for
// tls.key_file, kContextFailed for an OpenSSL failure that is neither file's fault.
[[nodiscard]] boost::system::result<ServerCredentials, CredentialError> LoadServerCredentials(
    const config::Tls& files);

}  // namespace signet::tls

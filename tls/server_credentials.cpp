#include "tls/server_credentials.hpp"

#include <array>
#include <string>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "keys/internal/cleanse.hpp"
#include "tls/internal/pem_files.hpp"

namespace signet::tls {
namespace {

using keys::internal::SslPtr;

// OpenSSL's DEFAULT list minus anything weak, for TLS 1.2 (TLS 1.3 suites are all AEAD and
// keep OpenSSL's default). !kRSA keeps forward secrecy (RFC 9325 §4.1 recommends ECDHE).
constexpr const char* kTls12Ciphers =
    "DEFAULT:!aNULL:!eNULL:!EXPORT:!LOW:!MEDIUM:!RC4:!3DES:!DES:!MD5:!PSK:!SRP:!kRSA";
// RFC 7301 §3.1 wire format: one length-prefixed protocol name.
constexpr std::array<unsigned char, 9> kAlpnHttp11{8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
constexpr unsigned char kSessionIdContext[] = "signet";

// ALPN (RFC 7301 §3.2): pick http/1.1 when offered; otherwise continue without ALPN rather
// than fail, as HTTP/1.1 clients that send no ALPN at all are served the same way.
int SelectAlpn(SSL*, const unsigned char** out, unsigned char* out_length,
               const unsigned char* offered, unsigned int offered_length, void*) {
  unsigned char* selected = nullptr;
  const int result =
      SSL_select_next_proto(&selected, out_length, kAlpnHttp11.data(),
                            static_cast<unsigned int>(kAlpnHttp11.size()), offered, offered_length);
  if (result != OPENSSL_NPN_NEGOTIATED) return SSL_TLSEXT_ERR_NOACK;
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

// OpenSSL's first error reason, e.g. "ee key too small"; never key material.
std::string SslReason() {
  const unsigned long code = ERR_peek_error();
  const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
  std::string text = reason != nullptr ? reason : "unknown OpenSSL error";
  ERR_clear_error();
  return text;
}

CredentialError ContextFailed(const std::string& key) {
  return CredentialError{Errc::kContextFailed, key, SslReason()};
}

boost::system::result<SslPtr<SSL_CTX>, CredentialError> NewContextWithPolicy() {
  SslPtr<SSL_CTX> ctx(SSL_CTX_new_ex(nullptr, nullptr, TLS_server_method()));
  const std::string key = internal::CertFileKey();
  if (!ctx) return ContextFailed(key);
  SSL_CTX_set_security_level(ctx.get(), 2);  // >= 112-bit keys, no SHA-1 signatures
  if (SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(ctx.get(), kTls12Ciphers) != 1 ||
      SSL_CTX_set_session_id_context(ctx.get(), kSessionIdContext, sizeof kSessionIdContext - 1) !=
          1) {
    return ContextFailed(key);
  }
  SSL_CTX_set_options(
      ctx.get(), SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_alpn_select_cb(ctx.get(), SelectAlpn, nullptr);
  return ctx;
}

// Installs leaf, chain and key; the leaf/key match is checked first so that a mismatch is
// reported as such, not as OpenSSL's generic "key values mismatch".
boost::system::result<void, CredentialError> Install(SSL_CTX& ctx,
                                                     internal::CertificateChain& chain,
                                                     EVP_PKEY& key, const config::Tls& files) {
  if (X509_check_private_key(chain.leaf.get(), &key) != 1) {
    ERR_clear_error();
    return CredentialError{
        Errc::kKeyMismatch, internal::KeyFileKey(),
        files.key_file + " is not the key of the first certificate in " + files.cert_file};
  }
  const std::string cert_key = internal::CertFileKey();
  if (SSL_CTX_use_certificate(&ctx, chain.leaf.get()) != 1) {
    return CredentialError{Errc::kCertRejected, cert_key, files.cert_file + ": " + SslReason()};
  }
  for (auto& intermediate : chain.intermediates) {
    // add0 takes ownership on success only.
    if (SSL_CTX_add0_chain_cert(&ctx, intermediate.get()) != 1) {
      return CredentialError{Errc::kCertRejected, cert_key, files.cert_file + ": " + SslReason()};
    }
    (void)intermediate.release();
  }
  if (SSL_CTX_use_PrivateKey(&ctx, &key) != 1 || SSL_CTX_check_private_key(&ctx) != 1) {
    return CredentialError{Errc::kKeyMismatch, internal::KeyFileKey(),
                           files.key_file + ": " + SslReason()};
  }
  return {};
}

}  // namespace

boost::system::result<ServerCredentials, CredentialError> LoadServerCredentials(
    const config::Tls& files) {
  auto cert_pem =
      internal::ReadWholeFile(files.cert_file, internal::kMaxCertFileSize, internal::CertFileKey(),
                              Errc::kCertFileMissing, Errc::kCertFileUnreadable);
  if (!cert_pem) return cert_pem.error();
  auto chain = internal::ParseCertificateChain(*cert_pem, files.cert_file);
  if (!chain) return chain.error();

  auto key_pem =
      internal::ReadWholeFile(files.key_file, internal::kMaxKeyFileSize, internal::KeyFileKey(),
                              Errc::kKeyFileMissing, Errc::kKeyFileUnreadable);
  if (!key_pem) return key_pem.error();
  const keys::internal::Cleanse wipe(*key_pem);
  auto key = internal::ParsePrivateKey(*key_pem, files.key_file);
  if (!key) return key.error();

  auto ctx = NewContextWithPolicy();
  if (!ctx) return ctx.error();
  auto installed = Install(**ctx, *chain, **key, files);
  if (!installed) return installed.error();
  ServerCredentials credentials{std::move(*ctx), DescribeCertificate(*chain->leaf)};
  return credentials;
}

}  // namespace signet::tls

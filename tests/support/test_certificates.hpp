#pragma once
// Test helper: key pairs and X.509 certificates made with OpenSSL at test time (house rule 24:
// no private key is committed), written as PEM files into a fresh temporary directory.
// Shared by the tls and server unit tests.
//
// Usage:
//   TempDir dir;
//   const auto leaf = TestCertificate::SelfSigned(KeyKind::kEcP256, "CN=localhost");
//   dir.Write("cert.pem", leaf.CertPem());  dir.Write("key.pem", leaf.KeyPem());

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "keys/internal/openssl_ptr.hpp"

namespace signet::test_support {

enum class KeyKind { kEcP256, kRsa2048, kRsa1024 };

inline keys::internal::SslPtr<EVP_PKEY> GenerateKey(KeyKind kind) {
  EVP_PKEY* key = nullptr;
  switch (kind) {
    case KeyKind::kEcP256: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"); break;
    case KeyKind::kRsa2048:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048});
      break;
    case KeyKind::kRsa1024:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{1024});
      break;
  }
  if (key == nullptr) throw std::runtime_error("key generation failed");
  return keys::internal::SslPtr<EVP_PKEY>(key);
}

inline std::string BioText(BIO& bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(&bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

class TestCertificate {
 public:
  // A certificate for `common_name` with a fresh key, signed by `issuer` (nullptr: itself).
  static TestCertificate Make(KeyKind kind, const std::string& common_name,
                              const TestCertificate* issuer = nullptr, bool is_ca = false) {
    TestCertificate made;
    made.key_ = GenerateKey(kind);
    made.cert_.reset(X509_new());
    X509* cert = made.cert_.get();
    X509_set_version(cert, 2);
    static std::mt19937_64 serials{std::random_device{}()};
    ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert), serials() >> 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                               0);
    X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer->cert_.get()) : name);
    X509_set_pubkey(cert, made.key_.get());
    AddExtension(cert, issuer, NID_basic_constraints, is_ca ? "critical,CA:TRUE" : "CA:FALSE");
    if (!is_ca) AddExtension(cert, issuer, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    EVP_PKEY* signer = issuer ? issuer->key_.get() : made.key_.get();
    if (X509_sign(cert, signer, EVP_sha256()) == 0) throw std::runtime_error("X509_sign failed");
    return made;
  }
  static TestCertificate SelfSigned(KeyKind kind, const std::string& common_name = "localhost") {
    return Make(kind, common_name);
  }

  std::string CertPem() const {
    keys::internal::SslPtr<BIO> bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), cert_.get());
    return BioText(*bio);
  }
  std::string KeyPem() const {
    keys::internal::SslPtr<BIO> bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
    return BioText(*bio);
  }
  // The key encrypted with a passphrase (PKCS#8, AES-256-CBC).
  std::string EncryptedKeyPem() const {
    keys::internal::SslPtr<BIO> bio(BIO_new(BIO_s_mem()));
    static const char kPass[] = "passphrase";
    PEM_write_bio_PKCS8PrivateKey(bio.get(), key_.get(), EVP_aes_256_cbc(), kPass, sizeof kPass - 1,
                                  nullptr, nullptr);
    return BioText(*bio);
  }
  X509& cert() const { return *cert_; }

 private:
  static void AddExtension(X509* cert, const TestCertificate* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer ? issuer->cert_.get() : cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (ext == nullptr) throw std::runtime_error("extension failed");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }

  keys::internal::SslPtr<EVP_PKEY> key_;
  keys::internal::SslPtr<X509> cert_;
};

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "signet-tls-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string File(std::string_view name) const { return (path_ / name).string(); }
  // Writes `name` (replacing it in place) and returns its path.
  std::string Write(std::string_view name, std::string_view content) const {
    const std::string file = File(name);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << content;
    return file;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace signet::test_support

// tls::LoadServerCredentials: every refusal reason with the config key it names, the protocol
// policy of the resulting SSL_CTX, and that no key material reaches an error text.
#include "tls/server_credentials.hpp"

#include <string>

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include "tests/support/test_certificates.hpp"

namespace signet::tls {
namespace {

using test_support::KeyKind;
using test_support::TempDir;
using test_support::TestCertificate;

class ServerCredentialsTest : public ::testing::Test {
 protected:
  config::Tls WritePair(const std::string& cert_pem, const std::string& key_pem) {
    return config::Tls{dir_.Write("cert.pem", cert_pem), dir_.Write("key.pem", key_pem)};
  }

  TempDir dir_;
};

TEST_F(ServerCredentialsTest, Load_AcceptsEcdsaP256Pair) {
  const auto leaf = TestCertificate::SelfSigned(KeyKind::kEcP256, "ec.example");
  auto credentials = LoadServerCredentials(WritePair(leaf.CertPem(), leaf.KeyPem()));
  ASSERT_TRUE(credentials.has_value()) << credentials.error().Format();
  EXPECT_NE(credentials->context, nullptr);
  EXPECT_EQ(credentials->leaf.subject, "CN=ec.example");
  EXPECT_EQ(credentials->leaf.sha256_fingerprint.size(), 64u);
  EXPECT_EQ(credentials->leaf.not_after.size(), 20u);  // 2026-11-30T11:40:00Z
}

TEST_F(ServerCredentialsTest, Load_AcceptsRsa2048Pair) {
  const auto leaf = TestCertificate::SelfSigned(KeyKind::kRsa2048, "rsa.example");
  auto credentials = LoadServerCredentials(WritePair(leaf.CertPem(), leaf.KeyPem()));
  ASSERT_TRUE(credentials.has_value()) << credentials.error().Format();
  EXPECT_EQ(credentials->leaf.subject, "CN=rsa.example");
}

TEST_F(ServerCredentialsTest, Load_AcceptsChainLeafFirstAndInstallsIntermediate) {
  const auto root = TestCertificate::Make(KeyKind::kEcP256, "root", nullptr, true);
  const auto intermediate = TestCertificate::Make(KeyKind::kEcP256, "intermediate", &root, true);
  const auto leaf = TestCertificate::Make(KeyKind::kEcP256, "leaf", &intermediate);
  auto credentials =
      LoadServerCredentials(WritePair(leaf.CertPem() + intermediate.CertPem(), leaf.KeyPem()));
  ASSERT_TRUE(credentials.has_value()) << credentials.error().Format();
  EXPECT_EQ(credentials->leaf.subject, "CN=leaf");
  STACK_OF(X509)* chain = nullptr;
  ASSERT_EQ(SSL_CTX_get0_chain_certs(credentials->context.get(), &chain), 1);
  ASSERT_NE(chain, nullptr);
  EXPECT_EQ(sk_X509_num(chain), 1);
}

TEST_F(ServerCredentialsTest, Load_RejectsChainWithLeafNotFirstAsKeyMismatch) {
  const auto root = TestCertificate::Make(KeyKind::kEcP256, "root", nullptr, true);
  const auto leaf = TestCertificate::Make(KeyKind::kEcP256, "leaf", &root);
  auto credentials =
      LoadServerCredentials(WritePair(root.CertPem() + leaf.CertPem(), leaf.KeyPem()));
  ASSERT_FALSE(credentials.has_value());
  EXPECT_EQ(credentials.error().code, Errc::kKeyMismatch);
}

TEST_F(ServerCredentialsTest, Load_RejectsMissingCertFile) {
  const auto leaf = TestCertificate::SelfSigned(KeyKind::kEcP256);
  const config::Tls files{dir_.File("absent.pem"), dir_.Write("key.pem", leaf.KeyPem())};
  auto credentials = LoadServerCredentials(files);
  ASSERT_FALSE(credentials.has_value());
  EXPECT_EQ(credentials.error().code, Errc::kCertFileMissing);
  EXPECT_EQ(credentials.error().key, "tls.cert_file");
  EXPECT_NE(credentials.error().Format().find("absent.pem"), std::string::npos);
}

TEST_F(ServerCredentialsTest, Load_RejectsDirectoryAsUnreadableCert) {
  const auto leaf = TestCertificate::SelfSigned(KeyKind::kEcP256);
  const config::Tls files{dir_.path().string(), dir_.Write("key.pem", leaf.KeyPem())};
  auto credentials = LoadServerCredentials(files);
  ASSERT_FALSE(credentials.has_value());
  EXPECT_EQ(credentials.error().code, Errc::kCertFileUnreadable);
  EXPECT_EQ(credentials.error().key, "tls.cert_file");
}

TEST_F(ServerCredentialsTest, Load_RejectsCertFileWithoutPem) {
  const auto leaf = TestCertificate::SelfSigned(KeyKind::kEcP256);
  auto credentials = LoadServerCredentials(WritePair("not a certificate\n", leaf.KeyPem()));
  ASSERT_FALSE(credentials.has_value());
  EXPECT_EQ(credentials.error().code, Errc::kCertNotPem);
  EXPECT_EQ(credentials.error().key, "tls.cert_file");
}

TEST_F(ServerCredentialsTest, Load_RejectsKeyInCertFile) {
  const auto leaf = TestCertificate::SelfSigned(KeyKind::kEcP256);
  auto credentials = LoadServerCredentials(WritePair(leaf.KeyPem(), leaf.KeyPem()));
  ASSERT_FALSE(credentials.has_value());
  EXPECT_EQ(credentials.error().code, Errc::kCertNotPem);
}

TEST_F(ServerCredentialsTest, Load_RejectsMalformedSecondCertificate) {
  const auto leaf = TestCertificate::SelfSigned(KeyKind::kEcP256);
  const std::string broken = "-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n";
  auto credentials = LoadServerCredentials(WritePair(leaf.CertPem() + broken, leaf.KeyPem()));
  ASSERT_FALSE(credentials.has_value());
  EXPECT_EQ(credentials.error().code, Errc::kCertNotPem);
}

TEST_F(ServerCredentialsTest, Load_RejectsMissingKeyFile) {
  const auto leaf = TestCertificate::SelfSigned(KeyKind::kEcP256);
  const config::Tls files{dir_.Write("cert.pem", leaf.CertPem()), dir_.File("absent.key")};
  auto credentials = LoadServerCredentials(files);
  ASSERT_FALSE(credentials.has_value());
  EXPECT_EQ(credentials.error().code, Errc::kKeyFileMissing);
  EXPECT_EQ(credentials.error().key, "tls.key_file");
}

TEST_F(ServerCredentialsTest, Load_RejectsDirectoryAsUnreadableKey) {
  const auto leaf = TestCertificate::SelfSigned(KeyKind::kEcP256);
  const config::Tls files{dir_.Write("cert.pem", leaf.CertPem()), dir_.path().string()};
  auto credentials = LoadServerCredentials(files);
  ASSERT_FALSE(credentials.has_value());
  EXPECT_EQ(credentials.error().code, Errc::kKeyFileUnreadable);
  EXPECT_EQ(credentials.error().key, "tls.key_file");
}

TEST_F(ServerCredentialsTest, Load_RejectsKeyFileWithoutPem) {
  const auto leaf = TestCertificate::SelfSigned(KeyKind::kEcP256);
  auto credentials = LoadServerCredentials(WritePair(leaf.CertPem(), leaf.CertPem()));
  ASSERT_FALSE(credentials.has_value());
  EXPECT_EQ(credentials.error().code, Errc::kKeyNotPem);
  EXPECT_EQ(credentials.error().key, "tls.key_file");
}

TEST_F(ServerCredentialsTest, Load_RejectsEncryptedKeyWithoutPrompting) {
  const auto leaf = TestCertificate::SelfSigned(KeyKind::kEcP256);
  auto credentials = LoadServerCredentials(WritePair(leaf.CertPem(), leaf.EncryptedKeyPem()));
  ASSERT_FALSE(credentials.has_value());
  EXPECT_EQ(credentials.error().code, Errc::kKeyNotPem);
}

TEST_F(ServerCredentialsTest, Load_RejectsKeyOfAnotherCertificate) {
  const auto leaf = TestCertificate::SelfSigned(KeyKind::kEcP256);
  const auto other = TestCertificate::SelfSigned(KeyKind::kEcP256);
  auto credentials = LoadServerCredentials(WritePair(leaf.CertPem(), other.KeyPem()));
  ASSERT_FALSE(credentials.has_value());
  EXPECT_EQ(credentials.error().code, Errc::kKeyMismatch);
  EXPECT_EQ(credentials.error().key, "tls.key_file");
  EXPECT_EQ(credentials.error().Format().rfind("tls.key_file: private key does not match", 0), 0u);
}

TEST_F(ServerCredentialsTest, Load_RejectsKeyOfOtherTypeAsMismatch) {
  const auto leaf = TestCertificate::SelfSigned(KeyKind::kEcP256);
  const auto other = TestCertificate::SelfSigned(KeyKind::kRsa2048);
  auto credentials = LoadServerCredentials(WritePair(leaf.CertPem(), other.KeyPem()));
  ASSERT_FALSE(credentials.has_value());
  EXPECT_EQ(credentials.error().code, Errc::kKeyMismatch);
}

TEST_F(ServerCredentialsTest, Load_RejectsRsa1024AtSecurityLevel2) {
  const auto leaf = TestCertificate::SelfSigned(KeyKind::kRsa1024);
  auto credentials = LoadServerCredentials(WritePair(leaf.CertPem(), leaf.KeyPem()));
  ASSERT_FALSE(credentials.has_value());
  EXPECT_EQ(credentials.error().code, Errc::kCertRejected);
  EXPECT_EQ(credentials.error().key, "tls.cert_file");
}

TEST_F(ServerCredentialsTest, Errors_NeverContainKeyMaterial) {
  const auto leaf = TestCertificate::SelfSigned(KeyKind::kEcP256);
  const auto other = TestCertificate::SelfSigned(KeyKind::kEcP256);
  const std::string key_pem = other.KeyPem();
  auto credentials = LoadServerCredentials(WritePair(leaf.CertPem(), key_pem));
  ASSERT_FALSE(credentials.has_value());
  const std::string text = credentials.error().Format();
  EXPECT_EQ(text.find("PRIVATE KEY"), std::string::npos);
  const std::string body_line = key_pem.substr(key_pem.find('\n') + 1, 40);
  EXPECT_EQ(text.find(body_line), std::string::npos);
  EXPECT_EQ(text.find('\n'), std::string::npos);  // one line
}

TEST_F(ServerCredentialsTest, Context_RefusesBelowTls12) {
  const auto leaf = TestCertificate::SelfSigned(KeyKind::kEcP256);
  auto credentials = LoadServerCredentials(WritePair(leaf.CertPem(), leaf.KeyPem()));
  ASSERT_TRUE(credentials.has_value());
  EXPECT_EQ(SSL_CTX_get_min_proto_version(credentials->context.get()), TLS1_2_VERSION);
}

TEST_F(ServerCredentialsTest, Context_OffersNoWeakCipher) {
  const auto leaf = TestCertificate::SelfSigned(KeyKind::kRsa2048);
  auto credentials = LoadServerCredentials(WritePair(leaf.CertPem(), leaf.KeyPem()));
  ASSERT_TRUE(credentials.has_value());
  STACK_OF(SSL_CIPHER)* ciphers = SSL_CTX_get_ciphers(credentials->context.get());
  ASSERT_NE(ciphers, nullptr);
  ASSERT_GT(sk_SSL_CIPHER_num(ciphers), 0);
  for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); ++i) {
    const std::string name = SSL_CIPHER_get_name(sk_SSL_CIPHER_value(ciphers, i));
    for (const char* weak : {"RC4", "DES", "NULL", "EXP", "MD5", "PSK", "SRP", "ADH", "AECDH"}) {
      EXPECT_EQ(name.find(weak), std::string::npos) << name;
    }
    // Static RSA key exchange has no forward secrecy: every TLS 1.2 suite is (EC)DHE.
    if (name.rfind("TLS_", 0) != 0) {
      EXPECT_TRUE(name.find("DHE") != std::string::npos) << name;
    }
  }
}

TEST_F(ServerCredentialsTest, Context_HasNoRenegotiationAndNoCompression) {
  const auto leaf = TestCertificate::SelfSigned(KeyKind::kEcP256);
  auto credentials = LoadServerCredentials(WritePair(leaf.CertPem(), leaf.KeyPem()));
  ASSERT_TRUE(credentials.has_value());
  const auto options = SSL_CTX_get_options(credentials->context.get());
  EXPECT_NE(options & SSL_OP_NO_RENEGOTIATION, 0u);
  EXPECT_NE(options & SSL_OP_NO_COMPRESSION, 0u);
}

}  // namespace
}  // namespace signet::tls

// server::TlsReloader: the start-up error names the config key; a replaced pair is picked up by
// CheckFiles/Reload; a bad replacement keeps the current pair and is not retried until the
// files change again; contexts handed out before a reload stay valid.
#include "server/tls_reloader.hpp"

#include <string>

#include <boost/asio/ssl/context.hpp>
#include <gtest/gtest.h>

#include "tests/support/test_certificates.hpp"

namespace signet::server {
namespace {

using test_support::KeyKind;
using test_support::TempDir;
using test_support::TestCertificate;

class TlsReloaderTest : public ::testing::Test {
 protected:
  void WritePair(const TestCertificate& cert, const TestCertificate& key) {
    dir_.Write("cert.pem", cert.CertPem());
    dir_.Write("key.pem", key.KeyPem());
  }
  config::Tls files() const { return {dir_.File("cert.pem"), dir_.File("key.pem")}; }
  static std::string Fingerprint(const TestCertificate& cert) {
    return tls::DescribeCertificate(cert.cert()).sha256_fingerprint;
  }

  TempDir dir_;
  TestCertificate first_ = TestCertificate::SelfSigned(KeyKind::kEcP256, "first");
  TestCertificate second_ = TestCertificate::SelfSigned(KeyKind::kEcP256, "second");
};

TEST_F(TlsReloaderTest, Create_LoadsThePair) {
  WritePair(first_, first_);
  auto reloader = TlsReloader::Create(files());
  ASSERT_TRUE(reloader.has_value()) << reloader.error();
  EXPECT_EQ((*reloader)->CurrentCertificate().sha256_fingerprint, Fingerprint(first_));
  EXPECT_NE((*reloader)->Current(), nullptr);
}

TEST_F(TlsReloaderTest, Create_MismatchedKeyIsOneLineNamingTheKeyFile) {
  WritePair(first_, second_);
  auto reloader = TlsReloader::Create(files());
  ASSERT_FALSE(reloader.has_value());
  EXPECT_EQ(reloader.error().rfind("tls.key_file: ", 0), 0u) << reloader.error();
  EXPECT_EQ(reloader.error().find('\n'), std::string::npos);
}

TEST_F(TlsReloaderTest, CheckFiles_UnchangedFilesDoNotReload) {
  WritePair(first_, first_);
  auto reloader = TlsReloader::Create(files());
  ASSERT_TRUE(reloader.has_value());
  EXPECT_EQ((*reloader)->CheckFiles(), TlsReloader::Outcome::kUnchanged);
}

TEST_F(TlsReloaderTest, CheckFiles_ReloadsPairReplacedInPlace) {
  WritePair(first_, first_);
  auto reloader = TlsReloader::Create(files());
  ASSERT_TRUE(reloader.has_value());
  const auto before = (*reloader)->Current();
  WritePair(second_, second_);
  EXPECT_EQ((*reloader)->CheckFiles(), TlsReloader::Outcome::kReloaded);
  EXPECT_EQ((*reloader)->CurrentCertificate().sha256_fingerprint, Fingerprint(second_));
  EXPECT_NE((*reloader)->Current(), before);
  // The old context is still usable by the connections that hold it.
  EXPECT_NE(SSL_CTX_get0_certificate(before->native_handle()), nullptr);
}

TEST_F(TlsReloaderTest, CheckFiles_BadReplacementKeepsCurrentPair) {
  WritePair(first_, first_);
  auto reloader = TlsReloader::Create(files());
  ASSERT_TRUE(reloader.has_value());
  const auto before = (*reloader)->Current();
  dir_.Write("cert.pem", second_.CertPem());  // new certificate, old key: a mismatch
  EXPECT_EQ((*reloader)->CheckFiles(), TlsReloader::Outcome::kFailed);
  EXPECT_EQ((*reloader)->Current(), before);
  EXPECT_EQ((*reloader)->CurrentCertificate().sha256_fingerprint, Fingerprint(first_));
}

TEST_F(TlsReloaderTest, CheckFiles_RetriesOnlyAfterTheFilesChangeAgain) {
  WritePair(first_, first_);
  auto reloader = TlsReloader::Create(files());
  ASSERT_TRUE(reloader.has_value());
  dir_.Write("cert.pem", second_.CertPem());
  ASSERT_EQ((*reloader)->CheckFiles(), TlsReloader::Outcome::kFailed);
  EXPECT_EQ((*reloader)->CheckFiles(), TlsReloader::Outcome::kUnchanged);  // no warning flood
  dir_.Write("key.pem", second_.KeyPem());  // the second half of the rotation arrives
  EXPECT_EQ((*reloader)->CheckFiles(), TlsReloader::Outcome::kReloaded);
  EXPECT_EQ((*reloader)->CurrentCertificate().sha256_fingerprint, Fingerprint(second_));
}

TEST_F(TlsReloaderTest, Reload_LoadsEvenWhenStatIsUnchanged) {
  WritePair(first_, first_);
  auto reloader = TlsReloader::Create(files());
  ASSERT_TRUE(reloader.has_value());
  const auto before = (*reloader)->Current();
  EXPECT_EQ((*reloader)->Reload("SIGHUP"), TlsReloader::Outcome::kReloaded);
  EXPECT_NE((*reloader)->Current(), before);  // a fresh context (e.g. new ticket keys)
}

TEST_F(TlsReloaderTest, Reload_MissingFilesKeepCurrentPair) {
  WritePair(first_, first_);
  auto reloader = TlsReloader::Create(files());
  ASSERT_TRUE(reloader.has_value());
  std::filesystem::remove(dir_.File("key.pem"));
  EXPECT_EQ((*reloader)->Reload("SIGHUP"), TlsReloader::Outcome::kFailed);
  EXPECT_EQ((*reloader)->CurrentCertificate().sha256_fingerprint, Fingerprint(first_));
}

}  // namespace
}  // namespace signet::server

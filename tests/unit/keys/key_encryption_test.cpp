#include "keys/key_encryption.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <unistd.h>

namespace signet::keys {
namespace {

namespace fs = std::filesystem;

const std::string kRaw(32, '\x5a');
// base64 of 32 bytes 0x5a ("ZZZ..."): `printf 'Z%.0s' {1..32} | base64`.
const std::string kBase64 = "WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlo=";
constexpr std::string_view kAad = "signet-key-v1\nkid\nES256";
constexpr std::string_view kPlain = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI...\n";

Kek MakeKek(char fill = '\x5a') {
  auto kek = Kek::FromBytes(std::string(32, fill));
  EXPECT_TRUE(kek);
  return *kek;
}

TEST(KekTest, FromFileContent_AcceptsRawBytes) {
  auto kek = Kek::FromFileContent(kRaw);
  ASSERT_TRUE(kek) << kek.error().message();
  EXPECT_EQ(kek->secret().reveal(), kRaw);
}

TEST(KekTest, FromFileContent_AcceptsBase64WithOrWithoutNewline) {
  for (const std::string& text : {kBase64, kBase64 + "\n", kBase64 + "\r\n"}) {
    auto kek = Kek::FromFileContent(text);
    ASSERT_TRUE(kek) << text;
    EXPECT_EQ(kek->secret().reveal(), kRaw);
  }
}

TEST(KekTest, FromFileContent_RejectsEverythingElse) {
  const std::string cases[] = {
      "",
      std::string(31, 'a'),
      std::string(33, 'a'),
      kRaw + "\n",                                     // raw plus newline: 33 bytes
      kBase64.substr(0, 43),                           // pad missing
      kBase64 + "\n\n",                                // two newlines
      " " + kBase64,                                   // leading space
      "WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlo-",  // base64url alphabet
      "WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlp=",  // non-zero tail bits
      "WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWl==",  // 31 bytes
  };
  for (const std::string& text : cases) {
    auto kek = Kek::FromFileContent(text);
    ASSERT_FALSE(kek) << '"' << text << '"';
    EXPECT_EQ(kek.error(), Errc::kKekInvalid);
  }
}

TEST(KekTest, FromFile_ReadsFileAndReportsMissingFile) {
  const fs::path path = fs::temp_directory_path() / ("signet-kek-test-" + std::to_string(::getpid()));
  {
    std::ofstream out(path, std::ios::binary);
    out << kBase64 << '\n';
  }
  auto kek = Kek::FromFile(path);
  fs::remove(path);
  ASSERT_TRUE(kek) << kek.error().message();
  EXPECT_EQ(kek->id(), MakeKek().id());
  auto missing = Kek::FromFile(path);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(), Errc::kKekUnreadable);
}

TEST(KekTest, FromFile_RejectsDirectory) {
  auto kek = Kek::FromFile(fs::temp_directory_path());
  ASSERT_FALSE(kek);
  EXPECT_EQ(kek.error(), Errc::kKekUnreadable);
}

TEST(KekTest, Id_IsSixteenBase64UrlCharsAndDependsOnTheKey) {
  const Kek a = MakeKek('\x01');
  const Kek b = MakeKek('\x02');
  EXPECT_EQ(a.id().size(), kKekIdLength);
  EXPECT_EQ(a.id().find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_NE(a.id(), b.id());
  EXPECT_EQ(a.id(), MakeKek('\x01').id());
}

TEST(KekTest, Id_IsTheDocumentedDigestPrefix) {
  // base64url(SHA-256("signet-kek" || 32 x 0x5a))[0..16), computed independently (Python
  // hashlib), so every implementation that records KEK ids agrees.
  EXPECT_EQ(MakeKek().id(), "Vmj9B4yJS4KuO4LP");
}

TEST(KekTest, Streaming_DoesNotRevealTheKey) {
  std::ostringstream out;
  out << MakeKek().secret();
  EXPECT_EQ(out.str(), "<redacted>");
}

TEST(KekSealTest, SealThenOpen_RoundTrips) {
  const Kek kek = MakeKek();
  auto blob = SealWithKek(kek, kPlain, kAad);
  ASSERT_TRUE(blob);
  EXPECT_EQ(blob->size(), kGcmNonceSize + kPlain.size() + kGcmTagSize);
  EXPECT_EQ(blob->find(kPlain), std::string::npos);
  auto plain = OpenWithKek(kek, *blob, kAad);
  ASSERT_TRUE(plain) << plain.error().message();
  EXPECT_EQ(plain->reveal(), kPlain);
}

TEST(KekSealTest, Seal_UsesAFreshNonceEachTime) {
  const Kek kek = MakeKek();
  auto a = SealWithKek(kek, kPlain, kAad);
  auto b = SealWithKek(kek, kPlain, kAad);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->substr(0, kGcmNonceSize), b->substr(0, kGcmNonceSize));
  EXPECT_NE(*a, *b);
}

TEST(KekSealTest, Open_RejectsEveryFlippedBit) {
  const Kek kek = MakeKek();
  auto blob = SealWithKek(kek, kPlain, kAad);
  ASSERT_TRUE(blob);
  // Nonce, ciphertext and tag: every byte, one bit each.
  for (std::size_t i = 0; i < blob->size(); ++i) {
    std::string tampered = *blob;
    tampered[i] = static_cast<char>(tampered[i] ^ (1 << (i % 8)));
    auto plain = OpenWithKek(kek, tampered, kAad);
    ASSERT_FALSE(plain) << "byte " << i;
    EXPECT_EQ(plain.error(), Errc::kDecryptFailed);
  }
}

TEST(KekSealTest, Open_RejectsOtherAssociatedData) {
  const Kek kek = MakeKek();
  auto blob = SealWithKek(kek, kPlain, kAad);
  ASSERT_TRUE(blob);
  for (std::string_view aad : {std::string_view("signet-key-v1\nkid\nES384"),
                               std::string_view("signet-key-v1\nother\nES256"),
                               std::string_view("")}) {
    auto plain = OpenWithKek(kek, *blob, aad);
    ASSERT_FALSE(plain) << aad;
    EXPECT_EQ(plain.error(), Errc::kDecryptFailed);
  }
}

TEST(KekSealTest, Open_RejectsTruncatedOrExtendedBlob) {
  const Kek kek = MakeKek();
  auto blob = SealWithKek(kek, kPlain, kAad);
  ASSERT_TRUE(blob);
  for (const std::string& bad :
       {blob->substr(0, blob->size() - 1), *blob + "x", blob->substr(0, kGcmNonceSize + 15),
        std::string()}) {
    auto plain = OpenWithKek(kek, bad, kAad);
    ASSERT_FALSE(plain);
    EXPECT_EQ(plain.error(), Errc::kDecryptFailed);
  }
}

TEST(KekSealTest, Open_RejectsAnotherKek) {
  auto blob = SealWithKek(MakeKek('\x01'), kPlain, kAad);
  ASSERT_TRUE(blob);
  auto plain = OpenWithKek(MakeKek('\x02'), *blob, kAad);
  ASSERT_FALSE(plain);
  EXPECT_EQ(plain.error(), Errc::kDecryptFailed);
}

}  // namespace
}  // namespace signet::keys

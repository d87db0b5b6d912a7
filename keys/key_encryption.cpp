#include "keys/key_encryption.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <optional>

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keys/base64url.hpp"
#include "keys/internal/cleanse.hpp"
#include "keys/internal/openssl_ptr.hpp"
#include "keys/internal/ssl_error.hpp"

namespace signet::keys {
namespace {

using internal::Cleanse;

using internal::SslFailure;
using internal::SslPtr;

constexpr std::string_view kKekIdLabel = "signet-kek";
constexpr std::size_t kBase64KekLength = 44;  // 32 bytes -> 43 characters + one '='
constexpr std::size_t kMaxKekFileSize = 256;  // anything longer is not a KEK

Result<std::string> KekId(std::string_view key) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  SslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), kKekIdLabel.data(), kKekIdLabel.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), key.data(), key.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1) {
    return SslFailure(Errc::kEncryptFailed);
  }
  const std::string encoded =
      Base64UrlEncode({reinterpret_cast<const char*>(digest.data()), length});
  return encoded.substr(0, kKekIdLength);
}

// Standard base64 (RFC 4648 §4) of exactly 32 bytes: 43 symbols and one '=' pad. Translated
// to base64url so the strict decoder (canonical tail bits) does the checking.
std::optional<std::string> DecodeBase64Kek(std::string_view text) {
  if (text.size() != kBase64KekLength || text.back() != '=') return std::nullopt;
  text.remove_suffix(1);
  std::string url(text);
  Cleanse wipe(url);
  for (char& c : url) {
    if (c == '-' || c == '_') return std::nullopt;  // not in the standard alphabet
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return Base64UrlDecode(url);
}

}  // namespace

Result<Kek> Kek::FromBytes(std::string_view raw) {
  if (raw.size() != kKekSize) return Errc::kKekInvalid;
  auto id = KekId(raw);
  if (!id) return id.error();
  return Kek(SecretBytes(raw), std::move(*id));
}

Result<Kek> Kek::FromFileContent(std::string_view content) {
  if (content.size() == kKekSize) return FromBytes(content);
  // `openssl rand -base64 32 > kek` ends with "\n"; editors on Windows may write "\r\n".
  if (content.ends_with("\r\n")) {
    content.remove_suffix(2);
  } else if (content.ends_with("\n")) {
    content.remove_suffix(1);
  }
  auto raw = DecodeBase64Kek(content);
  if (!raw) return Errc::kKekInvalid;
  Cleanse wipe(*raw);
  return FromBytes(*raw);
}

Result<Kek> Kek::FromFile(const std::filesystem::path& path) {
  // Symlinks are followed on purpose: Kubernetes mounts secrets through them. The mode is
  // not enforced either (a Secret volume is 0644 by default); the KEK protects keys at rest
  // in the key store, whose own permissions are enforced.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errc::kKekUnreadable;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Errc::kKekUnreadable;
  }
  std::string content(kMaxKekFileSize + 1, '\0');
  Cleanse wipe(content);
  std::size_t total = 0;
  bool read_failed = false;
  while (total < content.size()) {
    const ssize_t n = ::read(fd, content.data() + total, content.size() - total);
    if (n < 0 && errno == EINTR) continue;
    read_failed = n < 0;
    if (n <= 0) break;
    total += static_cast<std::size_t>(n);
  }
  read_failed = (::close(fd) != 0) || read_failed;
  if (read_failed) return Errc::kKekUnreadable;
  if (total > kMaxKekFileSize) return Errc::kKekInvalid;
  return FromFileContent(std::string_view(content.data(), total));
}

Result<std::string> SealWithKek(const Kek& kek, std::string_view plaintext,
                                std::string_view associated_data) {
  std::string out(kGcmNonceSize + plaintext.size() + kGcmTagSize, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  // SP 800-38D §8.2.2: a random 96-bit IV, never reused with this key.
  if (RAND_bytes(bytes, static_cast<int>(kGcmNonceSize)) != 1) {
    return SslFailure(Errc::kRandomFailed);
  }
  SslPtr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  const auto* key = reinterpret_cast<const unsigned char*>(kek.secret().reveal().data());
  int length = 0;
  int final_length = 0;
  unsigned char* cipher = bytes + kGcmNonceSize;
  const bool ok =
      ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key, bytes) == 1 &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &length,
                        reinterpret_cast<const unsigned char*>(associated_data.data()),
                        static_cast<int>(associated_data.size())) == 1 &&
      EVP_EncryptUpdate(ctx.get(), cipher, &length,
                        reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) == 1 &&
      EVP_EncryptFinal_ex(ctx.get(), cipher + length, &final_length) == 1 &&
      static_cast<std::size_t>(length + final_length) == plaintext.size() &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagSize),
                          cipher + plaintext.size()) == 1;
  if (!ok) {
    OPENSSL_cleanse(out.data(), out.size());
    return SslFailure(Errc::kEncryptFailed);
  }
  return out;
}

Result<SecretBytes> OpenWithKek(const Kek& kek, std::string_view blob,
                                std::string_view associated_data) {
  if (blob.size() < kGcmNonceSize + kGcmTagSize) return Errc::kDecryptFailed;
  const auto* bytes = reinterpret_cast<const unsigned char*>(blob.data());
  const std::size_t cipher_size = blob.size() - kGcmNonceSize - kGcmTagSize;
  std::string plain(cipher_size, '\0');
  Cleanse wipe(plain);
  std::array<unsigned char, kGcmTagSize> tag{};
  std::copy_n(bytes + kGcmNonceSize + cipher_size, kGcmTagSize, tag.begin());
  SslPtr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  const auto* key = reinterpret_cast<const unsigned char*>(kek.secret().reveal().data());
  int length = 0;
  int final_length = 0;
  auto* out = reinterpret_cast<unsigned char*>(plain.data());
  const bool ok =
      ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key, bytes) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &length,
                        reinterpret_cast<const unsigned char*>(associated_data.data()),
                        static_cast<int>(associated_data.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), out, &length, bytes + kGcmNonceSize,
                        static_cast<int>(cipher_size)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagSize),
                          tag.data()) == 1 &&
      // The tag is checked here; nothing decrypted is used unless it matches.
      EVP_DecryptFinal_ex(ctx.get(), out + length, &final_length) == 1;
  if (!ok) return SslFailure(Errc::kDecryptFailed);
  return SecretBytes(plain);
}

}  // namespace signet::keys

#include "oauth/login_csrf.hpp"

#include <array>
#include <cstdint>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "keys/base64url.hpp"

namespace signet::oauth {
namespace {

// Domain separation and unambiguous framing: a label, then each field preceded by its length
// (8 bytes, big-endian), so ("ab", "c") and ("a", "bc") never MAC the same bytes.
constexpr std::string_view kLabel = "signet login csrf v1";

void AppendField(std::string& out, std::string_view field) {
  const std::uint64_t length = field.size();
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((length >> shift) & 0xFF));
  }
  out.append(field);
}

}  // namespace

Expected<std::unique_ptr<LoginCsrf>> LoginCsrf::Create() {
  std::array<unsigned char, kKeyLength> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return MakeError(ErrorCode::kServerError, "", "RAND_bytes failed for the CSRF key");
  }
  keys::SecretBytes key(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return std::unique_ptr<LoginCsrf>(new LoginCsrf(std::move(key)));
}

Expected<std::unique_ptr<LoginCsrf>> LoginCsrf::FromKey(keys::SecretBytes key) {
  if (key.size() < kKeyLength) {
    return MakeError(ErrorCode::kInvalidRequest, "CSRF key shorter than 32 bytes");
  }
  return std::unique_ptr<LoginCsrf>(new LoginCsrf(std::move(key)));
}

Expected<std::string> LoginCsrf::Issue(std::string_view pending_id,
                                       std::string_view binding) const {
  std::string message(kLabel);
  AppendField(message, pending_id);
  AppendField(message, binding);
  unsigned char mac[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  const std::string_view key = key_.reveal();
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(),
                reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac,
                sizeof(mac), &length) == nullptr) {
    return MakeError(ErrorCode::kServerError, "", "HMAC-SHA256 failed for a CSRF token");
  }
  return keys::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac), length));
}

Expected<std::unique_ptr<LoginCsrf>> LoginCsrf::FromKek(const keys::Kek& kek) {
  // One HKDF-Expand block: T(1) = HMAC(PRK, info || 0x01), 32 bytes = kKeyLength.
  std::string info("signet login csrf key v1");
  info.push_back('\x01');
  unsigned char derived[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  const std::string_view prk = kek.secret().reveal();
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, prk.data(), prk.size(),
                reinterpret_cast<const unsigned char*>(info.data()), info.size(), derived,
                sizeof(derived), &length) == nullptr ||
      length != kKeyLength) {
    return MakeError(ErrorCode::kServerError, "", "HKDF-Expand failed for the CSRF key");
  }
  keys::SecretBytes key(std::string_view(reinterpret_cast<const char*>(derived), length));
  OPENSSL_cleanse(derived, sizeof(derived));
  return std::unique_ptr<LoginCsrf>(new LoginCsrf(std::move(key)));
}

bool LoginCsrf::Verify(std::string_view pending_id, std::string_view binding,
                       std::string_view token) const {
  const auto expected = Issue(pending_id, binding);
  // Both are 43 characters when the token is well-formed; a wrong length fails after a
  // comparison of the same cost (keys::ConstantTimeEquals).
  return expected && keys::ConstantTimeEquals(*expected, token);
}

}  // namespace signet::oauth

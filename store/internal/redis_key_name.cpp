#include "store/internal/redis_key_name.hpp"

#include <array>
#include <stdexcept>

#include <openssl/evp.h>

namespace signet::store::internal {
namespace {

bool IsSafeKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' ||
         c == '.' || c == '_' || c == '@' || c == '-';
}

}  // namespace

std::string HexOf(std::string_view bytes) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0x0f]);
  }
  return hex;
}

std::string Sha256(std::string_view data) {
  // One-shot EVP_Digest: no OpenSSL object outlives the call, so there is nothing to own.
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    // Only on allocation failure inside OpenSSL: a broken process, not a request error.
    throw std::runtime_error("SHA-256 failed");
  }
  return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

std::string SafeKeyPart(std::string_view value) {
  bool safe = !value.empty() && value.size() <= kMaxVerbatimKeyPart;
  for (std::size_t i = 0; safe && i < value.size(); ++i) safe = IsSafeKeyChar(value[i]);
  if (safe) return std::string(value);
  return "h:" + HexOf(Sha256(value));
}

}  // namespace signet::store::internal

#include "oauth/refresh_token_format.hpp"

#include <array>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "keys/base64url.hpp"

namespace signet::oauth {
namespace {

template <std::size_t N>
std::optional<std::string> RandomBase64Url() {
  std::array<unsigned char, N> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) return std::nullopt;
  return keys::Base64UrlEncode(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

bool IsBase64UrlChar(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

std::optional<NewRefreshTokenValue> NewRefreshToken() {
  auto token = RandomBase64Url<32>();
  if (!token) return std::nullopt;
  NewRefreshTokenValue value;
  value.hash = HashRefreshToken(*token);
  if (value.hash.empty()) return std::nullopt;
  value.token = std::move(*token);
  return value;
}

std::string HashRefreshToken(std::string_view token) {
  std::string digest(32, '\0');
  unsigned int size = 0;
  // EVP_Digest with the built-in SHA-256 only fails on allocation failure; an empty digest
  // then matches no stored token, which fails closed.
  if (EVP_Digest(token.data(), token.size(), reinterpret_cast<unsigned char*>(digest.data()), &size,
                 EVP_sha256(), nullptr) != 1 ||
      size != digest.size()) {
    return {};
  }
  return digest;
}

bool HasRefreshTokenShape(std::string_view token) noexcept {
  if (token.size() != kRefreshTokenChars) return false;
  for (char c : token) {
    if (!IsBase64UrlChar(c)) return false;
  }
  return true;
}

std::optional<std::string> NewRefreshFamilyId() { return RandomBase64Url<16>(); }

}  // namespace signet::oauth

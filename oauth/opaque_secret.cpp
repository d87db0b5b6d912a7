#include "oauth/opaque_secret.hpp"

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

}  // namespace

std::optional<OpaqueSecret> NewOpaqueSecret() {
  auto token = RandomBase64Url<32>();
  if (!token) return std::nullopt;
  OpaqueSecret value;
  value.hash = HashOpaqueSecret(*token);
  if (value.hash.empty()) return std::nullopt;
  value.token = std::move(*token);
  return value;
}

std::string HashOpaqueSecret(std::string_view token) {
  std::string digest(32, '\0');
  unsigned int size = 0;
  // EVP_Digest with the built-in SHA-256 only fails on allocation failure; an empty digest
  // then matches no stored secret, which fails closed.
  if (EVP_Digest(token.data(), token.size(), reinterpret_cast<unsigned char*>(digest.data()), &size,
                 EVP_sha256(), nullptr) != 1 ||
      size != digest.size()) {
    return {};
  }
  return digest;
}

std::optional<std::string> NewRandomId() { return RandomBase64Url<16>(); }

}  // namespace signet::oauth

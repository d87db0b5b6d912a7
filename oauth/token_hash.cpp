#include "oauth/token_hash.hpp"

#include <openssl/evp.h>

#include "keys/base64url.hpp"

namespace signet::oauth {
namespace {

const EVP_MD* HashOf(keys::Algorithm alg) noexcept {
  switch (alg) {
    case keys::Algorithm::kRs256:
    case keys::Algorithm::kPs256:
    case keys::Algorithm::kEs256: return EVP_sha256();
    case keys::Algorithm::kEs384: return EVP_sha384();
    case keys::Algorithm::kEdDsa: return EVP_sha512();  // Ed25519 (see the header)
  }
  return nullptr;
}

}  // namespace

std::optional<std::string> TokenHash(std::string_view value, keys::Algorithm alg) {
  const EVP_MD* md = HashOf(alg);
  if (md == nullptr) return std::nullopt;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(value.data(), value.size(), digest, &length, md, nullptr) != 1) {
    return std::nullopt;
  }
  // §3.1.3.6: the left-most half (128 bits for SHA-256).
  return keys::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest), length / 2));
}

}  // namespace signet::oauth

#include "keys/internal/key_checks.hpp"

#include <array>
#include <cstring>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>

namespace signet::keys::internal {

bool IsRsa(Algorithm alg) noexcept { return alg == Algorithm::kRs256 || alg == Algorithm::kPs256; }

const char* EcGroupName(Algorithm alg) noexcept {
  switch (alg) {
    case Algorithm::kEs256: return "prime256v1";  // RFC 7518 §3.4: P-256
    case Algorithm::kEs384: return "secp384r1";   // RFC 7518 §3.4: P-384
    default: return nullptr;
  }
}

std::size_t EcdsaScalarSize(Algorithm alg) noexcept {
  switch (alg) {
    case Algorithm::kEs256: return 32;
    case Algorithm::kEs384: return 48;
    default: return 0;
  }
}

Result<void> CheckKeyFitsAlgorithm(const EVP_PKEY* key, Algorithm alg) {
  if (key == nullptr) return Errc::kKeyTypeMismatch;
  if (IsRsa(alg)) {
    // Plain "RSA" only: an RSASSA-PSS-restricted key would carry its own parameters that
    // could contradict the JWA ones.
    if (!EVP_PKEY_is_a(key, "RSA")) return Errc::kKeyTypeMismatch;
    const int bits = EVP_PKEY_get_bits(key);
    if (bits < kMinRsaBits) return Errc::kWeakKey;
    if (bits > kMaxRsaBits) return Errc::kUnsupportedKeySize;
    return {};
  }
  if (const char* group = EcGroupName(alg)) {
    if (!EVP_PKEY_is_a(key, "EC")) return Errc::kKeyTypeMismatch;
    // A key with explicit curve parameters has no group name and is rejected here too.
    std::array<char, 64> name{};
    std::size_t name_len = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name.data(), name.size(),
                                       &name_len) != 1 ||
        std::strcmp(name.data(), group) != 0) {
      ERR_clear_error();
      return Errc::kKeyTypeMismatch;
    }
    return {};
  }
  if (alg == Algorithm::kEdDsa) {
    // RFC 8037 §3.1: signet signs with Ed25519 only (no Ed448).
    if (!EVP_PKEY_is_a(key, "ED25519")) return Errc::kKeyTypeMismatch;
    return {};
  }
  return Errc::kUnsupportedAlgorithm;
}

}  // namespace signet::keys::internal

#pragma once
// Which keys fit which algorithm (RFC 7518 §3.3-3.5, RFC 8037 §3.1, RFC 8725 §3.5).
// Shared by PrivateKey and PublicKey so both apply exactly the same rules.

#include <cstddef>

#include <openssl/types.h>

#include "keys/algorithm.hpp"
#include "keys/errc.hpp"

namespace signet::keys::internal {

// RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used". The upper bound limits
// the verification cost an imported key can impose.
inline constexpr int kMinRsaBits = 2048;
inline constexpr int kMaxRsaBits = 8192;

// kKeyTypeMismatch for another type or curve, kWeakKey / kUnsupportedKeySize for RSA sizes.
[[nodiscard]] Result<void> CheckKeyFitsAlgorithm(const EVP_PKEY* key, Algorithm alg);

// OpenSSL group name of the curve of an ECDSA algorithm ("prime256v1", "secp384r1");
// nullptr for the other algorithms.
const char* EcGroupName(Algorithm alg) noexcept;

// Size of r and of s in bytes for ES256/ES384 (RFC 7518 §3.4); 0 for the others.
std::size_t EcdsaScalarSize(Algorithm alg) noexcept;

bool IsRsa(Algorithm alg) noexcept;

}  // namespace signet::keys::internal

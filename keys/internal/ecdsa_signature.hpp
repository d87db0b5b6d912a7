#pragma once
// The one place where ECDSA signatures change form (RFC 7518 §3.4): OpenSSL speaks DER
// (SEQUENCE { INTEGER r, INTEGER s }), JWS carries r||s, each a big-endian unsigned integer
// left-padded to the size of the curve order (32 bytes for P-256, 48 for P-384).
//
// Both directions check that r and s lie in [1, n-1] (n = the curve order): a JWS
// verifier must not hand OpenSSL a value that is out of range, and such values are a
// classic source of signature malleability and verification bugs.

#include <cstddef>
#include <string>
#include <string_view>

#include "keys/algorithm.hpp"
#include "keys/errc.hpp"

namespace signet::keys::internal {

// Largest DER encoding for P-384: 2 + 2 * (2 + 1 + 48) bytes.
inline constexpr std::size_t kMaxEcdsaDerSize = 104;

// r||s (JWS) -> DER. kSignatureWrongLength when raw.size() != 2 * scalar size,
// kEcdsaScalarOutOfRange when r or s is 0 or >= n. `alg` must be ES256 or ES384.
[[nodiscard]] Result<std::string> EcdsaRawToDer(std::string_view raw, Algorithm alg);

// Strict DER -> r||s. Anything that is not the unique DER encoding of two positive integers
// (BER long-form lengths, leading zero octets, negative numbers, trailing bytes, wrong tags)
// gives kSignatureInvalid; r or s outside [1, n-1] gives kEcdsaScalarOutOfRange.
// Lengths are always short-form: for P-256 and P-384 the SEQUENCE is below 128 bytes.
[[nodiscard]] Result<std::string> EcdsaDerToRaw(std::string_view der, Algorithm alg);

}  // namespace signet::keys::internal

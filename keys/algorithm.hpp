#pragma once
// The JWS signature algorithms signet implements (RFC 7518 §3, RFC 8037 §3.1).
// There is deliberately no `none` and no HMAC: an issuer whose keys are published
// must never accept a token that is not signed by one of those public keys.

#include <optional>
#include <span>
#include <string_view>

namespace signet::keys {

enum class Algorithm {
  kRs256,  // RSASSA-PKCS1-v1_5 with SHA-256
  kPs256,  // RSASSA-PSS with SHA-256, MGF1 SHA-256, salt 32 bytes
  kEs256,  // ECDSA P-256 with SHA-256, signature r||s (64 bytes)
  kEs384,  // ECDSA P-384 with SHA-384, signature r||s (96 bytes)
  kEdDsa,  // Ed25519 (RFC 8037), signature 64 bytes
};

// Every algorithm, in a stable order (used for loops in tests and the key ring).
std::span<const Algorithm> AllAlgorithms();

// The JWA identifier: "RS256", "PS256", "ES256", "ES384", "EdDSA".
std::string_view JwaName(Algorithm alg);

// Parses an exact JWA identifier (case-sensitive, as RFC 7515 §4.1.1 requires).
// "none", "HS256" and anything else give nullopt.
std::optional<Algorithm> ParseAlgorithm(std::string_view jwa_name);

// The JWK key type that carries keys of this algorithm: "RSA", "EC" or "OKP".
std::string_view JwkKeyType(Algorithm alg);

}  // namespace signet::keys

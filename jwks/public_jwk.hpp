#pragma once
// Public JSON Web Keys (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2): export of signet's own
// verification keys for the JWKS document, and import of third-party JWKs as Verifiers.
//
// PublicJwk has no member that could hold private key material, so a JWKS built from it
// cannot leak one (RFC 7517 §9.2).
//
// Usage:
//   auto jwk = jwks::PublicJwk::FromVerifier(verifier);      // publish
//   nlohmann::json j = jwk->ToJson();
//   auto verifier = jwks::ImportPublicJwk(j);                 // consume
//
// Import rules (ImportPublicJwk):
//   - kty "RSA" (n, e; modulus >= 2048 bits, odd exponent >= 3, no ROCA fingerprint),
//     "EC" (crv P-256 or P-384; x and y exactly the field size; point on the curve) or
//     "OKP" (crv Ed25519; x exactly 32 bytes). Anything else is rejected.
//   - The algorithm is the JWK's "alg" when present (it must fit kty/crv). When "alg" is
//     absent it is chosen deterministically: EC P-256 -> ES256, EC P-384 -> ES384,
//     OKP Ed25519 -> EdDSA, RSA -> RS256 (RFC 7517 §4.4 makes "alg" optional; an RSA key
//     without it is taken as RS256 because PKCS#1 v1.5 is the common default; publish
//     "alg" to use PS256).
//   - A JWK with private members (d, p, q, dp, dq, qi, oth, k) is rejected with
//     kPrivateMemberPresent; "use" other than "sig" and "key_ops" without "verify" are
//     rejected.
//   - x5c, x5u, x5t and jku are ignored and never fetched.

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "jwks/errc.hpp"
#include "keys/private_key.hpp"
#include "keys/verifier.hpp"

namespace signet::jwks {

struct PublicJwk {
  std::string kid;
  std::string alg;          // JWA name: RS256, PS256, ES256, ES384, EdDSA
  std::string use = "sig";  // signet keys only sign (RFC 7517 §4.2)
  std::string kty;          // RSA, EC, OKP
  std::string crv;          // EC and OKP only
  std::string n, e;         // RSA only, base64url big-endian (RFC 7518 §6.3.1)
  std::string x, y;         // EC x/y (RFC 7518 §6.2.1), OKP x (RFC 8037 §2); base64url

  [[nodiscard]] static Result<PublicJwk> FromVerifier(const keys::Verifier& verifier);
  [[nodiscard]] static Result<PublicJwk> FromPublicKey(const keys::PublicKey& key, std::string kid);

  // Only the members that apply to kty; empty members are left out.
  nlohmann::json ToJson() const;

  // RFC 7638 JWK thumbprint (SHA-256, base64url) of the required public members.
  std::string Thumbprint() const;
};

// Builds a Verifier from a public JWK; the rules are listed at the top of this file.
// The Verifier's kid is the JWK's "kid" (empty when absent).
[[nodiscard]] Result<keys::Verifier> ImportPublicJwk(const nlohmann::json& jwk);

}  // namespace signet::jwks

#pragma once
// Helpers shared by the token tests: RFC vector files, private keys from published JWKs,
// and forging tokens with arbitrary headers (to reach each rejection reason).

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "keys/algorithm.hpp"
#include "keys/private_key.hpp"
#include "keys/signer.hpp"
#include "keys/verifier.hpp"

namespace signet::token::testing {

// Reads and parses a file below tests/vectors (e.g. "rfc7515_a2_rs256.json" or
// "wycheproof/json_web_key_test.json"). Fails the calling test on error.
nlohmann::json LoadVector(std::string_view relative_path);

// A private key from an RFC-published private JWK (RSA with CRT members, EC with d, OKP
// Ed25519 with d), via OpenSSL fromdata -> PKCS#8 PEM -> keys::PrivateKey::FromPem.
keys::PrivateKey PrivateKeyFromJwk(const nlohmann::json& jwk, keys::Algorithm alg);

// A freshly generated signer/verifier pair for `alg` with the given kid.
struct KeyPair {
  keys::Signer signer;
  keys::Verifier verifier;
};
KeyPair GenerateKeyPair(keys::Algorithm alg, const std::string& kid);

// BASE64URL(header_json) '.' BASE64URL(payload) '.' BASE64URL(signature by `signer`):
// lets a test sign any header, e.g. one that lies about alg or carries crit.
std::string ForgeToken(const keys::Signer& signer, std::string_view header_json,
                       std::string_view payload);

// Replaces the signature part of a compact token with BASE64URL(signature).
std::string WithSignature(std::string_view compact, std::string_view signature);

}  // namespace signet::token::testing

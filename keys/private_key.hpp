#pragma once
// Asymmetric keys bound to one JWS algorithm. A key never exists without its algorithm:
// the factories check that the key type, curve and size fit it (RSA >= 2048 bits, P-256 for
// ES256, P-384 for ES384, Ed25519 for EdDSA), so a Signer or Verifier built from a key
// cannot be used with another algorithm (RFC 8725 §3.1).
//
// Usage:
//   auto key = keys::PrivateKey::Generate(keys::Algorithm::kEs256);
//   auto pem = key->ToPem();
//   auto again = keys::PrivateKey::FromPem(*pem, keys::Algorithm::kEs256);

#include <memory>
#include <string>
#include <string_view>

#include <openssl/types.h>

#include "keys/algorithm.hpp"
#include "keys/errc.hpp"

namespace signet::keys {

class PublicKey {
 public:
  // Parses a SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY").
  [[nodiscard]] static Result<PublicKey> FromPem(std::string_view pem, Algorithm alg);
  // Takes ownership of an EVP_PKEY built elsewhere (JWK import), also when it fails; checks
  // it fits `alg` and, for EC keys, that the point lies on the curve (kPublicKeyInvalid).
  [[nodiscard]] static Result<PublicKey> FromNative(Algorithm alg, EVP_PKEY* owned_key);

  [[nodiscard]] Result<std::string> ToPem() const;
  Algorithm algorithm() const noexcept { return alg_; }
  // Borrowed; valid while any copy of this PublicKey lives.
  EVP_PKEY* native() const noexcept { return key_.get(); }

 private:
  PublicKey(Algorithm alg, std::shared_ptr<EVP_PKEY> key) : alg_(alg), key_(std::move(key)) {}
  friend class PrivateKey;

  Algorithm alg_;
  std::shared_ptr<EVP_PKEY> key_;  // immutable after construction, shared by copies
};

class PrivateKey {
 public:
  // rsa_bits applies to RS256/PS256 only: 2048, 3072 or 4096 (else kUnsupportedKeySize).
  [[nodiscard]] static Result<PrivateKey> Generate(Algorithm alg, int rsa_bits = 2048);
  // Parses an unencrypted PKCS#8 ("BEGIN PRIVATE KEY") or traditional PEM private key.
  // Encrypted PEM is rejected (kPemInvalid), never prompted for. RSA below 2048 bits gives
  // kWeakKey, above 8192 kUnsupportedKeySize; another type or curve gives kKeyTypeMismatch.
  [[nodiscard]] static Result<PrivateKey> FromPem(std::string_view pem, Algorithm alg);

  // Unencrypted PKCS#8 PEM. The caller must keep it out of logs and write it 0600.
  [[nodiscard]] Result<std::string> ToPem() const;
  // The public half, as a separate public-only EVP_PKEY derived once at construction.
  PublicKey public_key() const { return public_; }
  Algorithm algorithm() const noexcept { return alg_; }
  EVP_PKEY* native() const noexcept { return key_.get(); }

 private:
  PrivateKey(Algorithm alg, std::shared_ptr<EVP_PKEY> key, PublicKey pub)
      : alg_(alg), key_(std::move(key)), public_(std::move(pub)) {}
  [[nodiscard]] static Result<PrivateKey> Adopt(Algorithm alg, EVP_PKEY* owned_key);

  Algorithm alg_;
  std::shared_ptr<EVP_PKEY> key_;  // shared so that rotation never frees a key in use
  PublicKey public_;
};

}  // namespace signet::keys

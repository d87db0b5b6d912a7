#pragma once
// Checks JWS signatures with one public key and its fixed algorithm. The algorithm comes
// from the key, never from a token header.
//
// Distinct failures (keys::Errc): kSignatureWrongLength (length differs from the algorithm's
// fixed size: 2*32 for ES256, 2*48 for ES384, 64 for EdDSA, modulus size for RSA),
// kEcdsaScalarOutOfRange (r or s is 0 or >= the curve order), kSignatureInvalid.

#include <string>
#include <string_view>

#include "keys/internal/digest_context.hpp"
#include "keys/private_key.hpp"

namespace signet::keys {

class Verifier {
 public:
  [[nodiscard]] static Result<Verifier> Create(PublicKey key, std::string kid);

  // Thread-safe.
  [[nodiscard]] Result<void> Verify(std::string_view signing_input,
                                    std::string_view signature) const;

  Algorithm algorithm() const noexcept { return key_.algorithm(); }
  const std::string& kid() const noexcept { return kid_; }
  const PublicKey& key() const noexcept { return key_; }

 private:
  Verifier(PublicKey key, std::string kid, internal::DigestContext context)
      : key_(std::move(key)), kid_(std::move(kid)), context_(std::move(context)) {}

  PublicKey key_;
  std::string kid_;
  internal::DigestContext context_;  // refers to key_'s EVP_PKEY, which key_ keeps alive
};

}  // namespace signet::keys

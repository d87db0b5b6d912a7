#pragma once
// Pre-initialised EVP_DigestSign/EVP_DigestVerify contexts for one key and algorithm.
//
// EVP_DigestSignInit fetches the digest and signature implementations and builds the
// provider's key context on every call; with short JWS inputs that set-up costs as much as
// hashing. A DigestContext does it once; each operation clones the template with
// EVP_MD_CTX_copy_ex into a context private to the calling thread, so concurrent Sign and
// Verify calls share nothing mutable. Where OpenSSL cannot clone a context (Ed25519's
// one-shot mode has no digest to copy), each call initialises a fresh context instead.
// Measured (OpenSSL 3.0, 300-byte input, one core): ES256 20.5 us cloned vs 24.0 us fresh,
// ES384 546 vs 661 us, PS256 299 vs 313 us; RS256 and EdDSA are equal within noise.

#include <memory>

#include <openssl/types.h>

#include "keys/algorithm.hpp"
#include "keys/errc.hpp"
#include "keys/internal/openssl_ptr.hpp"

namespace signet::keys::internal {

class DigestContext {
 public:
  enum class Purpose { kSign, kVerify };

  // `key` must outlive the DigestContext (the owning Signer/Verifier holds it).
  [[nodiscard]] static Result<DigestContext> Create(EVP_PKEY* key, Algorithm alg, Purpose purpose);

  // A context ready for EVP_DigestSign / EVP_DigestVerify. Thread-safe.
  [[nodiscard]] Result<SslPtr<EVP_MD_CTX>> NewContext() const;

 private:
  DigestContext(EVP_PKEY* key, Algorithm alg, Purpose purpose,
                std::shared_ptr<const EVP_MD_CTX> tmpl)
      : key_(key), alg_(alg), purpose_(purpose), template_(std::move(tmpl)) {}

  EVP_PKEY* key_;
  Algorithm alg_;
  Purpose purpose_;
  std::shared_ptr<const EVP_MD_CTX> template_;  // null: initialise per call
};

}  // namespace signet::keys::internal

#pragma once
// Produces JWS signatures (RFC 7515 §5.1 step 5) with one key and its fixed algorithm.
// ECDSA signatures are returned in the JWS form: r||s, each left-padded to the curve size
// (RFC 7518 §3.4), never DER.
//
// Usage:
//   auto signer = keys::Signer::Create(*private_key, kid);
//   auto sig = signer->Sign("header.payload");   // raw bytes; base64url them for the token

#include <string>
#include <string_view>

#include "keys/internal/digest_context.hpp"
#include "keys/private_key.hpp"

namespace signet::keys {

class Signer {
 public:
  [[nodiscard]] static Result<Signer> Create(PrivateKey key, std::string kid);

  // Thread-safe: may be called concurrently from every I/O thread. Each call clones a
  // context initialised once in Create (see keys/internal/digest_context.hpp).
  [[nodiscard]] Result<std::string> Sign(std::string_view signing_input) const;

  Algorithm algorithm() const noexcept { return key_.algorithm(); }
  const std::string& kid() const noexcept { return kid_; }
  const PrivateKey& key() const noexcept { return key_; }

 private:
  Signer(PrivateKey key, std::string kid, internal::DigestContext context)
      : key_(std::move(key)), kid_(std::move(kid)), context_(std::move(context)) {}

  PrivateKey key_;
  std::string kid_;
  internal::DigestContext context_;  // refers to key_'s EVP_PKEY, which key_ keeps alive
};

}  // namespace signet::keys

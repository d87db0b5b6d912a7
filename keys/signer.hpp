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

#include "keys/private_key.hpp"

namespace signet::keys {

class Signer {
 public:
  [[nodiscard]] static Result<Signer> Create(PrivateKey key, std::string kid);

  // Thread-safe: may be called concurrently from every I/O thread.
  [[nodiscard]] Result<std::string> Sign(std::string_view signing_input) const;

  Algorithm algorithm() const noexcept { return key_.algorithm(); }
  const std::string& kid() const noexcept { return kid_; }
  const PrivateKey& key() const noexcept { return key_; }

 private:
  Signer(PrivateKey key, std::string kid) : key_(std::move(key)), kid_(std::move(kid)) {}

  PrivateKey key_;
  std::string kid_;
};

}  // namespace signet::keys

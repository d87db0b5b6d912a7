#pragma once
// The public members of a key as JWK strings (RFC 7518 §6.2.1, §6.3.1; RFC 8037 §2) and
// the RFC 7638 JWK Thumbprint computed from them. signet uses the thumbprint as the `kid`
// of its own keys, so a key keeps its kid across restarts and replicas.
//
// Usage:
//   auto members = keys::ExportPublicMembers(private_key.public_key());
//   std::string kid = keys::Rfc7638Thumbprint(*members);

#include <string>

#include "keys/errc.hpp"
#include "keys/private_key.hpp"

namespace signet::keys {

// base64url (no padding) values; members the key type does not use are empty.
struct JwkPublicMembers {
  std::string kty;  // "RSA", "EC" or "OKP"
  std::string crv;  // "P-256", "P-384", "Ed25519"; empty for RSA
  std::string n;    // RSA modulus, big-endian without leading zeros (RFC 7518 §6.3.1.1)
  std::string e;    // RSA public exponent, same encoding
  std::string x;    // EC x left-padded to the field size (§6.2.1.2); OKP: the 32-byte key
  std::string y;    // EC y left-padded to the field size (§6.2.1.3)
};

// kPemEncodeFailed when OpenSSL cannot export the parameters.
[[nodiscard]] Result<JwkPublicMembers> ExportPublicMembers(const PublicKey& key);

// RFC 7638 §3: base64url(SHA-256(canonical JSON of the required members in lexicographic
// order, no whitespace)). The members are base64url/ASCII, so no JSON escaping is needed.
// Unknown kty values hash an empty object; callers only pass exported or validated members.
std::string Rfc7638Thumbprint(const JwkPublicMembers& members);

}  // namespace signet::keys

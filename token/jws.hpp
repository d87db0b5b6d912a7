#pragma once
// JWS Compact Serialization (RFC 7515 §7.1) with signet's pinned-algorithm keys.
//
// Signing: the protected header is {"alg":...,"kid":...,"typ":...} in that order; kid and
// typ are left out when empty. JwsSigner encodes that header once, so the hot token path
// only encodes the payload and signs.
//
//   auto jws_signer = token::JwsSigner::Create(signer, "at+jwt");
//   auto compact = jws_signer->Sign(claims_json_text);
//
// Verification order (Tink's, RFC 8725 §3.1):
//   1. exactly three parts; 2. each part canonical base64url; 3. header is a JSON object;
//   4. "alg" present and a string, "none" (any case) rejected; 5. "crit" rejected unless
//   absent (signet understands no extension); 6. key chosen by "kid" (no kid: the only key,
//   if there is exactly one); 7. signature checked with the KEY's algorithm; 8. header "alg"
//   must equal the key's algorithm (kAlgMismatch).
// The "jwk", "jku", "x5u" and "x5c" header parameters are never read: a key is only ever
// taken from the caller's key set, and nothing is fetched.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "jwks/jwk_set.hpp"
#include "keys/signer.hpp"
#include "keys/verifier.hpp"
#include "token/errc.hpp"

namespace signet::token {

class JwsSigner {
 public:
  // `typ` may be empty (no typ member), e.g. "at+jwt" for RFC 9068 access tokens.
  [[nodiscard]] static Result<JwsSigner> Create(keys::Signer signer, std::string_view typ);

  // Signs arbitrary payload bytes (a JWT passes the claims JSON text). Thread-safe.
  [[nodiscard]] Result<std::string> Sign(std::string_view payload) const;
  // Serialises `payload` compactly and signs it; kPayloadNotJson if it cannot be encoded.
  [[nodiscard]] Result<std::string> Sign(const nlohmann::json& payload) const;

  const keys::Signer& signer() const noexcept { return signer_; }

 private:
  JwsSigner(keys::Signer signer, std::string header_prefix)
      : signer_(std::move(signer)), header_prefix_(std::move(header_prefix)) {}

  keys::Signer signer_;
  std::string header_prefix_;  // BASE64URL(UTF8(header)) + "."
};

// One-shot forms of JwsSigner::Sign (they encode the header on every call).
[[nodiscard]] Result<std::string> SignCompact(const keys::Signer& signer, std::string_view typ,
                                              std::string_view payload);
[[nodiscard]] Result<std::string> SignCompact(const keys::Signer& signer, std::string_view typ,
                                              const nlohmann::json& payload);

struct VerifiedJws {
  nlohmann::json header;  // the protected header, a JSON object
  std::string payload;    // decoded payload bytes (not necessarily JSON)
  std::string kid;        // kid of the key that verified the signature
  keys::Algorithm alg;    // that key's algorithm (equal to the header's alg)
};

// Verifies against a key set (see the order above).
[[nodiscard]] Result<VerifiedJws> VerifyCompact(std::string_view compact, const jwks::JwkSet& keys);
// Verifies against one key. A header kid, when present, must equal the key's kid.
[[nodiscard]] Result<VerifiedJws> VerifyCompact(std::string_view compact,
                                                const keys::Verifier& key);

}  // namespace signet::token

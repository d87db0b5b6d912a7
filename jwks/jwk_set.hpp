#pragma once
// A set of verification keys looked up by kid (RFC 7517 §5), and the published JWKS document.
//
// Usage (publishing, once per key change; the string is served as /.well-known/jwks.json):
//   auto body = jwks::BuildJwksDocument(key_ring_verifiers);
// Usage (consuming, e.g. `signet token verify --jwks FILE`):
//   auto set = jwks::JwkSet::Parse(file_text);
//   const keys::Verifier* v = set->Find("kid-1");
//
// Parsing policy (follows Wycheproof json_web_key_test.json):
//   - not JSON, no "keys" array, or an element that is not an object: the whole set fails;
//   - any key carrying private members (d, p, q, dp, dq, qi, oth, k): the whole set fails
//     with kPrivateMemberPresent (Wycheproof "MixedKeySet": a publisher leaking a secret is
//     not trusted for any key);
//   - two keys with the same kid (a missing kid counts as ""): the whole set fails with
//     kDuplicateKid (Wycheproof "DuplicateKid": lookup would be ambiguous);
//   - any other key that fails ImportPublicJwk (unsupported kty/alg/curve, use "enc", weak
//     or invalid key, ...) is skipped and recorded in skipped() with its reason, so a set
//     that also lists encryption keys or algorithms signet does not implement still serves
//     its usable keys. A token naming a skipped kid fails with token::Errc::kUnknownKid.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "jwks/errc.hpp"
#include "keys/verifier.hpp"

namespace signet::jwks {

struct SkippedKey {
  std::string kid;                   // empty when the JWK had none
  boost::system::error_code reason;  // a jwks::Errc
};

class JwkSet {
 public:
  // Fails with kDuplicateKid when two verifiers share a kid.
  [[nodiscard]] static Result<JwkSet> FromVerifiers(std::vector<keys::Verifier> verifiers);
  // Parses a JWK Set JSON text or value with the policy above.
  [[nodiscard]] static Result<JwkSet> Parse(std::string_view json_text);
  [[nodiscard]] static Result<JwkSet> FromJson(const nlohmann::json& document);

  // The key with exactly this kid, or nullptr.
  const keys::Verifier* Find(std::string_view kid) const noexcept;
  // The reason a key with this kid was skipped, or nullptr.
  const SkippedKey* FindSkipped(std::string_view kid) const noexcept;

  std::span<const keys::Verifier> verifiers() const noexcept { return verifiers_; }
  std::span<const SkippedKey> skipped() const noexcept { return skipped_; }
  size_t size() const noexcept { return verifiers_.size(); }
  bool empty() const noexcept { return verifiers_.empty(); }

 private:
  JwkSet(std::vector<keys::Verifier> verifiers, std::vector<SkippedKey> skipped)
      : verifiers_(std::move(verifiers)), skipped_(std::move(skipped)) {}

  std::vector<keys::Verifier> verifiers_;
  std::vector<SkippedKey> skipped_;
};

// The RFC 7517 §5 document {"keys":[...]} for these verifiers, public members only
// (kty, use, alg, kid, crv, n, e, x, y). Fails with kDuplicateKid or kExportFailed.
// Build it once per key-ring change and serve the cached string.
[[nodiscard]] Result<std::string> BuildJwksDocument(std::span<const keys::Verifier> verifiers);

}  // namespace signet::jwks

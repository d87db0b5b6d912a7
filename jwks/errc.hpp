#pragma once
// Error codes of the jwks module (JWK import and JWK Set parsing), usable as
// boost::system::error_code values. Each enumerator is one distinct reason; message() names
// the rule. Messages never contain key material.

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

namespace signet::jwks {

template <class T>
using Result = boost::system::result<T>;

enum class Errc {
  // 0 is reserved for success by boost::system.
  kInvalidJson = 1,        // the text is not JSON (RFC 7517 §4: a JWK is a JSON object)
  kNotAnObject,            // a JWK is not a JSON object
  kNotAJwkSet,             // no "keys" array of objects (RFC 7517 §5)
  kMissingMember,          // a required member (kty, n, e, crv, x, y) is absent
  kMemberWrongType,        // a member has the wrong JSON type (e.g. "n" not a string)
  kBadBase64url,           // a member is not canonical base64url (RFC 7518 §6.2.1.2, §6.3.1.1)
  kUnsupportedKeyType,     // kty is not RSA, EC or OKP (e.g. "oct")
  kUnsupportedCurve,       // crv is not P-256, P-384 or Ed25519
  kUnsupportedAlgorithm,   // alg is not RS256, PS256, ES256, ES384 or EdDSA
  kAlgKeyMismatch,         // alg does not fit kty/crv (e.g. ES256 on a P-384 key)
  kPrivateMemberPresent,   // the JWK carries d, p, q, dp, dq, qi, oth or k (RFC 7517 §9.2)
  kWrongUse,               // "use" is present and is not "sig" (RFC 7517 §4.2)
  kKeyOpsWithoutVerify,    // "key_ops" is present and lacks "verify" (RFC 7517 §4.3)
  kWrongCoordinateLength,  // EC x/y or OKP x not exactly the field size (RFC 7518 §6.2.1.2)
  kPointNotOnCurve,        // the EC point is not on the curve (or is the identity)
  kWeakKey,                // RSA modulus below 2048 bits
  kBadExponent,            // RSA public exponent is even, below 3 or wider than 64 bits
  kRocaVulnerable,         // RSA modulus has the ROCA fingerprint (CVE-2017-15361)
  kKeyRejected,            // OpenSSL rejected the key material for another reason
  kDuplicateKid,           // two keys in one set share a kid (ambiguous lookup)
  kExportFailed,           // a key's public members could not be exported
};

const boost::system::error_category& JwksCategory() noexcept;

inline boost::system::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), JwksCategory()};
}

}  // namespace signet::jwks

template <>
struct boost::system::is_error_code_enum<signet::jwks::Errc> : std::true_type {};

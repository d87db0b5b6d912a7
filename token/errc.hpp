#pragma once
// Error codes of the token module: one enumerator per reason a JWS/JWT is rejected, usable
// as boost::system::error_code values. message() names the rule and never echoes token
// content. Signature failures from keys::Verifier are mapped to the three distinct
// signature enumerators (FromKeysVerifyError).

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

namespace signet::token {

template <class T>
using Result = boost::system::result<T>;

enum class Errc {
  // 0 is reserved for success by boost::system.
  kMalformed = 1,          // not exactly three '.'-separated parts (RFC 7515 §7.1)
  kBadBase64url,           // a part is not canonical unpadded base64url (RFC 7515 §2)
  kHeaderNotJson,          // the header is not a JSON object (RFC 7515 §5.2 steps 2-3)
  kHeaderInvalid,          // alg/kid/typ is not a string, or a header value is not UTF-8
  kAlgMissing,             // the header has no "alg" (RFC 7515 §4.1.1)
  kAlgNone,                // "alg" is "none" in any case (RFC 8725 §3.1)
  kAlgMismatch,            // header "alg" differs from the verifying key's algorithm
  kKidMissing,             // no "kid" while several keys could verify (RFC 7515 §4.1.4)
  kUnknownKid,             // no usable key has the header's kid (or the key set is empty)
  kCritInvalid,            // "crit" is not a non-empty array of strings (RFC 7515 §4.1.11)
  kUnknownCrit,            // "crit" names an extension signet does not understand (§4.1.11)
  kSignatureWrongLength,   // signature length differs from the algorithm's fixed length
  kEcdsaScalarOutOfRange,  // ECDSA r or s is 0 or not below the curve order (RFC 7518 §3.4)
  kSignatureInvalid,       // the signature does not verify under the key
  kPayloadNotJson,         // the JWT payload is not a JSON object (RFC 7519 §7.2 step 10)
  kTypMismatch,            // header "typ" differs from the expected one (RFC 8725 §3.11)
  kMissingClaim,           // a required claim (exp; iss/aud when expected) is absent
  kClaimWrongType,         // a registered claim has the wrong JSON type (RFC 7519 §4.1)
  kExpired,                // now >= exp + leeway (RFC 7519 §4.1.4)
  kNotYetValid,            // now + leeway < nbf (RFC 7519 §4.1.5)
  kIssuedInFuture,         // iat > now + leeway (RFC 7519 §4.1.6)
  kIssuerMismatch,         // iss differs from the expected issuer (RFC 7519 §4.1.1)
  kAudienceNotAllowed,     // aud names none of the accepted audiences (RFC 7519 §4.1.3)
  kRevoked,                // the token or its subject was revoked (checked by the caller)
  kInvalidOptions,         // a Validator was configured with invalid options
};

const boost::system::error_category& TokenCategory() noexcept;

inline boost::system::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), TokenCategory()};
}

// keys::Verifier::Verify failures -> kSignatureWrongLength, kEcdsaScalarOutOfRange or
// kSignatureInvalid (every other keys error also means "does not verify").
Errc FromKeysVerifyError(const boost::system::error_code& ec) noexcept;

}  // namespace signet::token

template <>
struct boost::system::is_error_code_enum<signet::token::Errc> : std::true_type {};

#pragma once
// Error codes of the keys module, usable as boost::system::error_code values.
// Each enumerator is one distinct reason; message() names the rule.

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

namespace signet::keys {

template <class T>
using Result = boost::system::result<T>;

enum class Errc {
  // 0 is reserved for success by boost::system.
  kUnsupportedAlgorithm = 1,  // not one of RS256, PS256, ES256, ES384, EdDSA
  kKeyTypeMismatch,           // the key's type/curve/size does not fit the algorithm
  kWeakKey,                   // RSA modulus below 2048 bits
  kKeyGenerationFailed,       // OpenSSL could not generate a key
  kPemInvalid,                // PEM text could not be parsed as a key
  kPemEncodeFailed,           // the key could not be written as PEM
  kIoError,                   // reading or writing a key file failed
  kInsecureFileMode,          // a private key file is readable by group or others
  kSignFailed,                // OpenSSL could not produce a signature
  kSignatureWrongLength,      // signature length differs from the algorithm's fixed length
  kEcdsaScalarOutOfRange,     // ECDSA r or s is 0 or not below the curve order (RFC 7518 §3.4)
  kSignatureInvalid,          // the signature does not verify under the key
  kPasswordHashFailed,        // argon2 could not hash
  kPasswordHashMalformed,     // a stored hash is not a valid argon2id encoding
  kUnsupportedKeySize,        // RSA size not generated (2048/3072/4096) or above 8192 bits
  kPublicKeyInvalid,          // public key fails validation (e.g. EC point not on the curve)
  kKeyFileInvalid,            // a key store file name or metadata sidecar is malformed
  kKeyNotFound,               // no key with that kid, or no active key for the algorithm
  kRandomFailed,              // the CSPRNG (RAND_bytes) failed
  kDuplicateKid,              // two keys in one key set share a kid
  kKekUnreadable,             // the KEK file (keys.encryption_key_file) cannot be read
  kKekInvalid,                // the KEK file holds neither 32 raw bytes nor base64 of 32 bytes
  kKekMismatch,               // a key was encrypted with another KEK (its recorded KEK id differs)
  kKekMissing,                // a key is stored encrypted but no KEK is configured
  kDecryptFailed,             // AES-256-GCM authentication failed: blob or metadata tampered with
  kEncryptFailed,             // OpenSSL could not encrypt a key
  kLeaseHeld,                 // another process holds the rotation lease
  kInvalidRotationPolicy,     // rotate_every <= 0, publish_ahead > rotate_every, retention < 0
};

const boost::system::error_category& KeysCategory() noexcept;

inline boost::system::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), KeysCategory()};
}

}  // namespace signet::keys

template <>
struct boost::system::is_error_code_enum<signet::keys::Errc> : std::true_type {};

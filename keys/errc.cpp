#include "keys/errc.hpp"

#include <string>

namespace signet::keys {
namespace {

class Category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "signet.keys"; }

  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::kUnsupportedAlgorithm: return "unsupported algorithm";
      case Errc::kKeyTypeMismatch: return "key type does not match the algorithm";
      case Errc::kWeakKey: return "RSA key shorter than 2048 bits";
      case Errc::kKeyGenerationFailed: return "key generation failed";
      case Errc::kPemInvalid: return "not a valid PEM key";
      case Errc::kPemEncodeFailed: return "could not encode the key as PEM";
      case Errc::kIoError: return "key file I/O failed";
      case Errc::kInsecureFileMode: return "private key file is accessible by group or others";
      case Errc::kSignFailed: return "signing failed";
      case Errc::kSignatureWrongLength: return "signature has the wrong length for the algorithm";
      case Errc::kEcdsaScalarOutOfRange: return "ECDSA r or s is zero or not below the curve order";
      case Errc::kSignatureInvalid: return "signature does not verify";
      case Errc::kPasswordHashFailed: return "password hashing failed";
      case Errc::kPasswordHashMalformed: return "malformed argon2id hash";
      case Errc::kUnsupportedKeySize: return "unsupported RSA key size";
      case Errc::kPublicKeyInvalid: return "public key failed validation";
      case Errc::kKeyFileInvalid: return "malformed key file name or metadata";
      case Errc::kKeyNotFound: return "key not found";
      case Errc::kRandomFailed: return "random number generation failed";
      case Errc::kDuplicateKid: return "two keys share a kid";
      case Errc::kKekUnreadable: return "the KEK file (keys.encryption_key_file) cannot be read";
      case Errc::kKekInvalid:
        return "the KEK file must hold exactly 32 random bytes, raw or base64 "
               "(`openssl rand 32 > kek`)";
      case Errc::kKekMismatch:
        return "a private key was encrypted with another KEK than keys.encryption_key_file";
      case Errc::kKekMissing:
        return "a private key is stored encrypted but keys.encryption_key_file is not set";
      case Errc::kDecryptFailed:
        return "an encrypted private key failed authentication (tampered with or damaged)";
      case Errc::kEncryptFailed: return "encrypting a private key failed";
      case Errc::kLeaseHeld: return "another process holds the key rotation lease";
      case Errc::kInvalidRotationPolicy:
        return "invalid key rotation policy (rotate_every must be > 0 and >= publish_ahead)";
    }
    return "unknown keys error";
  }
};

}  // namespace

const boost::system::error_category& KeysCategory() noexcept {
  static const Category category;
  return category;
}

}  // namespace signet::keys

#pragma once
// Encryption of private keys at rest with a key-encryption key (KEK, `keys.encryption_key_file`).
//
// The KEK is 32 random bytes (AES-256), in its file either raw or as standard base64 with an
// optional trailing newline (`openssl rand 32 > kek`, `openssl rand -base64 32 > kek`).
// Anything else is refused (kKekInvalid) rather than guessed at: a KEK read differently by two
// replicas would lock one of them out of every key.
//
// Its id, recorded next to each encrypted key, is the first 16 base64url characters (96 bits)
// of SHA-256("signet-kek" || KEK). It reveals nothing usable about the KEK, but tells "wrong
// KEK" (kKekMismatch, with both ids) apart from "damaged blob" (kDecryptFailed).
//
// Sealing is AES-256-GCM (NIST SP 800-38D) with a fresh random 96-bit nonce per message; with
// random nonces one KEK may seal well over a million keys before the 2^-32 collision bound
// of SP 800-38D §8.3 matters. The caller's associated data (the key's kid and alg) is
// authenticated, so a blob moved to another key's record fails to open.
//
// Usage:
//   auto kek = keys::Kek::FromFile(config.keys.encryption_key_file);
//   auto blob = keys::SealWithKek(*kek, pem, aad);      // nonce || ciphertext || tag
//   auto pem_again = keys::OpenWithKek(*kek, *blob, aad);

#include <filesystem>
#include <string>
#include <string_view>

#include "keys/errc.hpp"
#include "keys/secret.hpp"

namespace signet::keys {

inline constexpr std::size_t kKekSize = 32;        // AES-256
inline constexpr std::size_t kGcmNonceSize = 12;   // 96 bits, SP 800-38D §8.2.2
inline constexpr std::size_t kGcmTagSize = 16;     // 128 bits
inline constexpr std::size_t kKekIdLength = 16;    // base64url characters

class Kek {
 public:
  // kKekUnreadable when the file cannot be read, kKekInvalid when it does not hold exactly
  // 32 bytes raw or 44 characters of base64 (+ optional "\n" or "\r\n").
  [[nodiscard]] static Result<Kek> FromFile(const std::filesystem::path& path);
  // The same rules, on the file's content.
  [[nodiscard]] static Result<Kek> FromFileContent(std::string_view content);
  // Exactly 32 raw bytes (tests, or a KEK from another source).
  [[nodiscard]] static Result<Kek> FromBytes(std::string_view raw);

  // 16 base64url characters; safe to log and to store next to the ciphertext.
  const std::string& id() const noexcept { return id_; }
  const SecretBytes& secret() const noexcept { return key_; }

 private:
  Kek(SecretBytes key, std::string id) : key_(std::move(key)), id_(std::move(id)) {}

  SecretBytes key_;
  std::string id_;
};

// nonce (12) || ciphertext || tag (16). kRandomFailed, kEncryptFailed.
[[nodiscard]] Result<std::string> SealWithKek(const Kek& kek, std::string_view plaintext,
                                              std::string_view associated_data);

// The plaintext, or kDecryptFailed when the blob is too short, or the tag does not verify
// (any changed bit of nonce, ciphertext, tag or associated data; or another KEK).
[[nodiscard]] Result<SecretBytes> OpenWithKek(const Kek& kek, std::string_view blob,
                                              std::string_view associated_data);

}  // namespace signet::keys

#pragma once
// The serialised form of one stored key, shared by the FileKeyStore (one file per key) and
// the Redis key repository (one value per key): metadata lines, then either the clear PKCS#8
// PEM or the PEM sealed with the KEK (keys/key_encryption.hpp).
//
// Clear (no KEK configured; `openssl pkey -in FILE` still reads it, RFC 7468 §5.2):
//   signet-key: 1
//   kid: NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs
//   alg: ES256
//   created: 2026-11-29T05:40:00Z
//   activates: 2026-11-29T05:40:00Z
//   retires: 2026-11-30T05:40:00Z
//   expires: 2026-11-30T06:10:00Z
//   -----BEGIN PRIVATE KEY-----
//   ...
// Encrypted (KEK configured): the same metadata lines, then
//   kek-id: 3q2-7wAAAAC7u8zM
//   encrypted-key: <base64url(nonce || AES-256-GCM(PEM) || tag)>
// with "signet-key-v1\n<kid>\n<alg>" as associated data, so a blob copied under another kid
// or alg fails with kDecryptFailed. The times are not authenticated: whoever can write the
// store can already delete keys, and times change on every rotation.
//
// Files written before rotation existed have a `state:` line and no `retires:`; they still
// load, with retires = their `expires` (the end of their signing period) and expires =
// kUnknownExpiry (the old code kept signing past it); the rotation plan then sets expires =
// retires + retention (reviving the key if it is past its end, so that its successor is
// published ahead), and the next save writes the current format.
//
// KEK rules:
//   - encrypted text, no KEK given          -> kKekMissing (nothing is touched);
//   - encrypted text, KEK with another id   -> kKekMismatch (detail names both ids);
//   - clear text, KEK given                 -> loads; DecodeDetail::stored_in_clear tells the
//                                              caller to re-save it (then encrypted);
//   - Encode with a KEK always encrypts, without one always writes the clear PEM.

#include <string>
#include <string_view>

#include "keys/errc.hpp"
#include "keys/key_encryption.hpp"
#include "keys/stored_key.hpp"

namespace signet::keys {

// kPemEncodeFailed, kRandomFailed, kEncryptFailed; kKeyFileInvalid when the metadata's kid is
// not the key's RFC 7638 thumbprint or its alg is not the key's.
[[nodiscard]] Result<std::string> EncodeStoredKey(const StoredKey& key, const Kek* kek);

struct DecodeDetail {
  bool stored_in_clear = false;  // the text held the clear PEM
  // For kKekMismatch / kKekMissing: "key <kid> was encrypted with KEK id A, the configured
  // KEK has id B" (no secret in it). Empty otherwise.
  std::string message;
};

// kKeyFileInvalid (malformed metadata, or kid/alg disagree with the key), kPemInvalid,
// kWeakKey, kKeyTypeMismatch, kKekMissing, kKekMismatch, kDecryptFailed.
[[nodiscard]] Result<StoredKey> DecodeStoredKey(std::string_view text, const Kek* kek,
                                                DecodeDetail* detail = nullptr);

// The metadata alone, without touching the private key or the KEK (for listings of keys that
// cannot be decrypted here). kKeyFileInvalid when malformed.
[[nodiscard]] Result<KeyMetadata> DecodeStoredKeyMetadata(std::string_view text);

}  // namespace signet::keys

#include "keys/key_codec.hpp"

#include <openssl/crypto.h>

#include "keys/base64url.hpp"
#include "keys/internal/cleanse.hpp"
#include "keys/internal/key_file_format.hpp"
#include "keys/jwk_thumbprint.hpp"

namespace signet::keys {
namespace {

using internal::Cleanse;

// Binds a sealed key to its identity (kid, alg): a blob copied into another record fails.
std::string AssociatedData(const KeyMetadata& m) {
  return "signet-key-v1\n" + m.kid + "\n" + std::string(JwaName(m.alg));
}

// The key must be the one the metadata names (RFC 7638 kid, pinned algorithm).
Result<void> CheckIdentity(const KeyMetadata& m, const PrivateKey& key) {
  if (m.alg != key.algorithm()) return Errc::kKeyFileInvalid;
  auto members = ExportPublicMembers(key.public_key());
  if (!members) return members.error();
  if (Rfc7638Thumbprint(*members) != m.kid) return Errc::kKeyFileInvalid;
  return {};
}

Result<PrivateKey> OpenSealedKey(const internal::ParsedKeyText& parsed, const Kek* kek,
                                 DecodeDetail* detail) {
  const KeyMetadata& m = parsed.metadata;
  if (kek == nullptr) {
    if (detail != nullptr) {
      detail->message = "key " + m.kid + " is encrypted with KEK id " + std::string(parsed.kek_id) +
                        ", but no KEK (keys.encryption_key_file) is configured";
    }
    return Errc::kKekMissing;
  }
  if (parsed.kek_id != kek->id()) {
    if (detail != nullptr) {
      detail->message = "key " + m.kid + " was encrypted with KEK id " +
                        std::string(parsed.kek_id) + ", the configured KEK has id " + kek->id();
    }
    return Errc::kKekMismatch;
  }
  auto blob = Base64UrlDecode(parsed.encrypted_key);
  if (!blob) return Errc::kDecryptFailed;
  auto pem = OpenWithKek(*kek, *blob, AssociatedData(m));
  if (!pem) return pem.error();
  return PrivateKey::FromPem(pem->reveal(), m.alg);
}

}  // namespace

Result<std::string> EncodeStoredKey(const StoredKey& stored, const Kek* kek) {
  const KeyMetadata& m = stored.metadata;
  if (auto ok = CheckIdentity(m, stored.key); !ok) return ok.error();
  auto pem = stored.key.ToPem();
  if (!pem) return pem.error();
  Cleanse wipe_pem(*pem);
  std::string text = internal::FormatKeyFileHeader(m);
  if (kek == nullptr) return text + *pem;
  auto blob = SealWithKek(*kek, *pem, AssociatedData(m));
  if (!blob) return blob.error();
  return text + internal::FormatEncryptedKeyLines(kek->id(), Base64UrlEncode(*blob));
}

Result<StoredKey> DecodeStoredKey(std::string_view text, const Kek* kek, DecodeDetail* detail) {
  auto parsed = internal::ParseKeyText(text);
  if (!parsed) return parsed.error();
  const bool in_clear = !parsed->pem.empty();
  if (detail != nullptr) detail->stored_in_clear = in_clear;
  auto key = in_clear ? PrivateKey::FromPem(parsed->pem, parsed->metadata.alg)
                      : OpenSealedKey(*parsed, kek, detail);
  if (!key) return key.error();
  if (auto ok = CheckIdentity(parsed->metadata, *key); !ok) return ok.error();
  return StoredKey{std::move(parsed->metadata), std::move(*key)};
}

Result<KeyMetadata> DecodeStoredKeyMetadata(std::string_view text) {
  auto parsed = internal::ParseKeyText(text);
  if (!parsed) return parsed.error();
  return std::move(parsed->metadata);
}

}  // namespace signet::keys

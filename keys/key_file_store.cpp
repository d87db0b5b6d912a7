#include "keys/key_file_store.hpp"

#include <algorithm>
#include <system_error>

#include <openssl/crypto.h>

#include "keys/internal/key_file_format.hpp"
#include "keys/internal/secure_file.hpp"
#include "keys/jwk_thumbprint.hpp"

namespace signet::keys {
namespace {

constexpr std::string_view kExtension = ".pem";

std::string FileName(const KeyMetadata& m) {
  return m.kid + "." + std::string(JwaName(m.alg)) + std::string(kExtension);
}

// Wipes a buffer that held a private key when it goes out of scope.
class Cleanse {
 public:
  explicit Cleanse(std::string& s) : s_(s) {}
  Cleanse(const Cleanse&) = delete;
  Cleanse& operator=(const Cleanse&) = delete;
  ~Cleanse() { OPENSSL_cleanse(s_.data(), s_.size()); }

 private:
  std::string& s_;
};

// The key's RFC 7638 thumbprint, to check a kid against.
Result<std::string> ThumbprintOf(const PrivateKey& key) {
  auto members = ExportPublicMembers(key.public_key());
  if (!members) return members.error();
  return Rfc7638Thumbprint(*members);
}

Result<StoredKey> LoadOne(const std::filesystem::path& path) {
  auto content = internal::ReadPrivateFile(path);
  if (!content) return content.error();
  Cleanse wipe(*content);
  std::string_view pem;
  auto metadata = internal::ParseKeyFileHeader(*content, pem);
  if (!metadata) return metadata.error();
  // The file name must agree with the metadata, so `ls` never misleads an operator.
  if (path.filename().string() != FileName(*metadata)) return Errc::kKeyFileInvalid;
  auto key = PrivateKey::FromPem(pem, metadata->alg);
  if (!key) return key.error();
  auto thumbprint = ThumbprintOf(*key);
  if (!thumbprint) return thumbprint.error();
  if (*thumbprint != metadata->kid) return Errc::kKeyFileInvalid;
  return StoredKey{std::move(*metadata), std::move(*key)};
}

bool IsKeyFileName(const std::string& name) {
  return !name.empty() && name[0] != '.' && name.ends_with(kExtension);
}

}  // namespace

Result<FileKeyStore> FileKeyStore::Open(std::filesystem::path dir) {
  if (auto ok = internal::EnsurePrivateDirectory(dir); !ok) return ok.error();
  return FileKeyStore(std::move(dir));
}

std::filesystem::path FileKeyStore::PathOf(const KeyMetadata& metadata) const {
  return dir_ / FileName(metadata);
}

Result<std::vector<StoredKey>> FileKeyStore::LoadAll(std::filesystem::path* bad_file) const {
  std::error_code ec;
  std::vector<std::filesystem::path> paths;
  for (const auto& item : std::filesystem::directory_iterator(dir_, ec)) {
    if (IsKeyFileName(item.path().filename().string())) paths.push_back(item.path());
  }
  if (ec) return Errc::kIoError;
  std::sort(paths.begin(), paths.end());
  std::vector<StoredKey> keys;
  keys.reserve(paths.size());
  for (const auto& path : paths) {
    auto stored = LoadOne(path);
    if (!stored) {
      if (bad_file != nullptr) *bad_file = path;
      return stored.error();
    }
    keys.push_back(std::move(*stored));
  }
  return keys;
}

Result<void> FileKeyStore::Save(const StoredKey& stored) const {
  const KeyMetadata& m = stored.metadata;
  if (m.alg != stored.key.algorithm()) return Errc::kKeyFileInvalid;
  auto thumbprint = ThumbprintOf(stored.key);
  if (!thumbprint) return thumbprint.error();
  if (*thumbprint != m.kid) return Errc::kKeyFileInvalid;
  auto pem = stored.key.ToPem();
  if (!pem) return pem.error();
  Cleanse wipe_pem(*pem);
  std::string content = internal::FormatKeyFileHeader(m) + *pem;
  Cleanse wipe_content(content);
  return internal::WritePrivateFileAtomically(dir_, FileName(m), content);
}

Result<void> FileKeyStore::Remove(const KeyMetadata& metadata) const {
  return internal::RemoveFile(dir_, FileName(metadata));
}

Result<KeyEntry> MakeKeyEntry(const StoredKey& stored) {
  const KeyMetadata& m = stored.metadata;
  auto entry = MakeKeyEntry(stored.key, m.state, m.created, m.activates, m.expires);
  if (!entry) return entry.error();
  if (entry->kid != m.kid) return Errc::kKeyFileInvalid;
  return entry;
}

Result<std::vector<KeyEntry>> EnsureActiveKeys(const FileKeyStore& store,
                                               std::span<const Algorithm> algorithms, TimePoint now,
                                               const KeyGenerationPolicy& policy) {
  auto stored = store.LoadAll();
  if (!stored) return stored.error();
  for (const Algorithm alg : algorithms) {
    const bool has_active = std::any_of(stored->begin(), stored->end(), [&](const StoredKey& k) {
      return k.metadata.alg == alg && k.metadata.state == KeyState::kActive;
    });
    if (has_active) continue;
    auto key = PrivateKey::Generate(alg, policy.rsa_bits);
    if (!key) return key.error();
    auto kid = ThumbprintOf(*key);
    if (!kid) return kid.error();
    const auto seconds_now = std::chrono::floor<std::chrono::seconds>(now);  // file precision
    StoredKey fresh{KeyMetadata{std::move(*kid), alg, KeyState::kActive, seconds_now, seconds_now,
                                seconds_now + policy.lifetime},
                    std::move(*key)};
    if (auto ok = store.Save(fresh); !ok) return ok.error();
    stored->push_back(std::move(fresh));
  }
  std::vector<KeyEntry> entries;
  entries.reserve(stored->size());
  for (const StoredKey& k : *stored) {
    auto entry = MakeKeyEntry(k);
    if (!entry) return entry.error();
    entries.push_back(std::move(*entry));
  }
  return entries;
}

}  // namespace signet::keys

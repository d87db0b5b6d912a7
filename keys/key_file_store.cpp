#include "keys/key_file_store.hpp"

#include <algorithm>
#include <array>
#include <system_error>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include "keys/base64url.hpp"
#include "keys/internal/cleanse.hpp"
#include "keys/internal/secure_file.hpp"
#include "keys/key_codec.hpp"
#include "keys/rotation_apply.hpp"
#include "keys/rotation_plan.hpp"

namespace signet::keys {
namespace {

using internal::Cleanse;

constexpr std::string_view kExtension = ".pem";

std::string FileName(const KeyMetadata& m) {
  return m.kid + "." + std::string(JwaName(m.alg)) + std::string(kExtension);
}

bool IsKeyFileName(const std::string& name) {
  return !name.empty() && name[0] != '.' && name.ends_with(kExtension);
}

Result<StoredKey> LoadOne(const std::filesystem::path& path, const Kek* kek,
                          DecodeDetail& detail) {
  auto content = internal::ReadPrivateFile(path);
  if (!content) return content.error();
  Cleanse wipe(*content);
  auto stored = DecodeStoredKey(*content, kek, &detail);
  if (!stored) return stored.error();
  // The file name must agree with the metadata, so `ls` never misleads an operator.
  if (path.filename().string() != FileName(stored->metadata)) return Errc::kKeyFileInvalid;
  return stored;
}

std::string Sha256Base64Url(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    return std::string(data);  // still a faithful (if long) revision
  }
  return Base64UrlEncode({reinterpret_cast<const char*>(digest.data()), length});
}

}  // namespace

Result<FileKeyStore> FileKeyStore::Open(std::filesystem::path dir, std::optional<Kek> kek) {
  if (auto ok = internal::EnsurePrivateDirectory(dir); !ok) return ok.error();
  return FileKeyStore(std::move(dir), std::move(kek));
}

std::filesystem::path FileKeyStore::PathOf(const KeyMetadata& metadata) const {
  return dir_ / FileName(metadata);
}

Result<std::vector<std::filesystem::path>> FileKeyStore::KeyFilePaths() const {
  std::error_code ec;
  std::vector<std::filesystem::path> paths;
  for (const auto& item : std::filesystem::directory_iterator(dir_, ec)) {
    if (IsKeyFileName(item.path().filename().string())) paths.push_back(item.path());
  }
  if (ec) return Errc::kIoError;
  std::sort(paths.begin(), paths.end());
  return paths;
}

Result<std::vector<StoredKey>> FileKeyStore::LoadAll() {
  last_error_detail_.clear();
  auto paths = KeyFilePaths();
  if (!paths) {
    last_error_detail_ = "cannot list " + dir_.string();
    return paths.error();
  }
  std::vector<StoredKey> keys;
  std::vector<std::string> in_clear;
  keys.reserve(paths->size());
  for (const auto& path : *paths) {
    DecodeDetail detail;
    auto stored = LoadOne(path, kek_ ? &*kek_ : nullptr, detail);
    std::error_code exists_ec;
    if (!stored && stored.error() == Errc::kIoError && !std::filesystem::exists(path, exists_ec) &&
        !exists_ec) {
      continue;  // removed by a rotation between listing and reading: simply gone
    }
    if (!stored) {
      last_error_detail_ = "file " + path.string();
      if (!detail.message.empty()) last_error_detail_ += ": " + detail.message;
      return stored.error();
    }
    if (kek_ && detail.stored_in_clear) in_clear.push_back(stored->metadata.kid);
    keys.push_back(std::move(*stored));
  }
  kids_to_rewrite_ = std::move(in_clear);
  return keys;
}

Result<void> FileKeyStore::Save(const StoredKey& stored) {
  last_error_detail_.clear();
  auto text = EncodeStoredKey(stored, kek_ ? &*kek_ : nullptr);
  if (!text) return text.error();
  Cleanse wipe(*text);
  auto written = internal::WritePrivateFileAtomically(dir_, FileName(stored.metadata), *text);
  if (!written) last_error_detail_ = "writing " + PathOf(stored.metadata).string();
  return written;
}

Result<void> FileKeyStore::Remove(const KeyMetadata& metadata) {
  last_error_detail_.clear();
  auto removed = internal::RemoveFile(dir_, FileName(metadata));
  if (!removed) last_error_detail_ = "removing " + PathOf(metadata).string();
  return removed;
}

Result<std::string> FileKeyStore::Revision() {
  auto paths = KeyFilePaths();
  if (!paths) return paths.error();
  std::string listing;
  for (const auto& path : *paths) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) continue;  // removed meanwhile: the next poll sees it
    listing += path.filename().string() + ' ' + std::to_string(st.st_size) + ' ' +
               std::to_string(st.st_mtim.tv_sec) + '.' + std::to_string(st.st_mtim.tv_nsec) +
               ' ' + std::to_string(st.st_ino) + '\n';
  }
  return Sha256Base64Url(listing);
}

Result<std::vector<KeyEntry>> EnsureActiveKeys(KeyRepository& store,
                                               std::span<const Algorithm> algorithms, TimePoint now,
                                               const KeyGenerationPolicy& policy) {
  auto stored = store.LoadAll();
  if (!stored) return stored.error();
  const RotationPolicy rotation{policy.lifetime, std::chrono::seconds(0), policy.lifetime,
                                policy.rsa_bits};
  if (auto ok = CheckRotationPolicy(rotation); !ok) return ok.error();
  std::vector<KeyMetadata> metadata;
  for (const StoredKey& k : *stored) metadata.push_back(k.metadata);
  const auto actions = PlanRotation(metadata, algorithms, now, rotation);
  if (!actions.empty()) {
    const KeySource generate = [&](Algorithm alg) {
      return PrivateKey::Generate(alg, policy.rsa_bits);
    };
    if (auto ok = ApplyRotationPlan(store, *stored, actions, generate); !ok) {
      return ok.error();
    }
    stored = store.LoadAll();
    if (!stored) return stored.error();
  }
  std::vector<KeyEntry> entries;
  entries.reserve(stored->size());
  for (const StoredKey& k : *stored) {
    if (IsExpired(k.metadata, now)) continue;
    auto entry = MakeKeyEntry(k, now);
    if (!entry) return entry.error();
    entries.push_back(std::move(*entry));
  }
  return entries;
}

}  // namespace signet::keys

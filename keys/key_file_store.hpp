#pragma once
// Private keys on local disk, for single-node deployments (`keys.dir`, default ./var/keys).
//
// Layout: one file per key, `<dir>/<kid>.<alg>.pem` (e.g. "NzbL...9Xs.ES256.pem"), holding
// the key's metadata lines and its unencrypted PKCS#8 PEM (format: keys/internal/
// key_file_format.hpp). The kid is the RFC 7638 thumbprint, so it survives restarts and the
// loader can check that name, metadata and key agree. Files whose names start with '.'
// (temporary files) or do not end in ".pem" are ignored.
//
// Protection: the directory is created 0700; a key file with any group/other permission
// bit, or a directory writable by group/other, is refused (kInsecureFileMode). Writes are
// atomic: a temporary file created with O_CREAT|O_EXCL and mode 0600, written, fsync'ed,
// renamed over the final name, then the directory fsync'ed.
//
// Usage:
//   auto store = keys::FileKeyStore::Open("./var/keys");
//   auto entries = keys::EnsureActiveKeys(*store, config.keys.algorithms, clock.Now());
//   ring.Replace(std::move(*entries));

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "keys/errc.hpp"
#include "keys/key_ring.hpp"
#include "keys/private_key.hpp"

namespace signet::keys {

struct KeyMetadata {
  std::string kid;
  Algorithm alg;
  KeyState state;
  TimePoint created;
  TimePoint activates;
  TimePoint expires;
};

struct StoredKey {
  KeyMetadata metadata;
  PrivateKey key;
};

class FileKeyStore {
 public:
  // Creates `dir` (mode 0700; missing parents with default mode) when it does not exist.
  [[nodiscard]] static Result<FileKeyStore> Open(std::filesystem::path dir);

  // Every key file, sorted by file name. Fails on the first bad file (kInsecureFileMode,
  // kKeyFileInvalid, kPemInvalid, kWeakKey, ...) and names it in *bad_file when given.
  [[nodiscard]] Result<std::vector<StoredKey>> LoadAll(
      std::filesystem::path* bad_file = nullptr) const;

  // Writes (or atomically replaces) the file of `key`. kKeyFileInvalid when the metadata's
  // kid is not the key's thumbprint or its alg is not the key's.
  [[nodiscard]] Result<void> Save(const StoredKey& key) const;

  // Deletes the file of a key (rotation drops expired keys). Missing files are not an error.
  [[nodiscard]] Result<void> Remove(const KeyMetadata& metadata) const;

  const std::filesystem::path& dir() const noexcept { return dir_; }
  std::filesystem::path PathOf(const KeyMetadata& metadata) const;

 private:
  explicit FileKeyStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

  std::filesystem::path dir_;
};

struct KeyGenerationPolicy {
  std::chrono::seconds lifetime{std::chrono::hours(24)};  // expires = activates + lifetime
  int rsa_bits = 2048;                                    // RS256 / PS256
};

// Loads every stored key and, for each algorithm in `algorithms` without an active key,
// generates one (active from `now`) and saves it before returning. Restarting therefore
// keeps the same kids. The result holds all stored keys, also those of algorithms no longer
// configured (they keep verifying what they signed); pass it to KeyRing::Replace.
[[nodiscard]] Result<std::vector<KeyEntry>> EnsureActiveKeys(
    const FileKeyStore& store, std::span<const Algorithm> algorithms, TimePoint now,
    const KeyGenerationPolicy& policy = {});

// The entry for a stored key (kid from the metadata, which LoadAll has checked).
[[nodiscard]] Result<KeyEntry> MakeKeyEntry(const StoredKey& stored);

}  // namespace signet::keys

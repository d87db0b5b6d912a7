#pragma once
// Private keys on local disk, for single-node deployments (`keys.dir`, default ./var/keys).
//
// Layout: one file per key, `<dir>/<kid>.<alg>.pem` (e.g. "NzbL...9Xs.ES256.pem"), holding
// the key's serialised form (keys/key_codec.hpp: metadata lines and the PKCS#8 PEM, sealed
// with the KEK when one is configured). The kid is the RFC 7638 thumbprint, so it survives
// restarts and the loader can check that name, metadata and key agree. Files whose names start
// with '.' (temporary files, the lease file) or do not end in ".pem" are ignored.
//
// Protection: the directory is created 0700; a key file with any group/other permission
// bit, or a directory writable by group/other, is refused (kInsecureFileMode). Writes are
// atomic: a temporary file created with O_CREAT|O_EXCL and mode 0600, written, fsync'ed,
// renamed over the final name, then the directory fsync'ed; a crash leaves the old or the new
// file, never a torn one.
//
// Usage:
//   auto kek = keys::Kek::FromFile(config.keys.encryption_key_file);   // optional
//   auto store = keys::FileKeyStore::Open("./var/keys", std::move(*kek));
//   auto lease = keys::FileRotationLease::Open("./var/keys");
//   auto manager = keys::KeyManager::Create(*store, *lease, algorithms, policy);

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "keys/errc.hpp"
#include "keys/key_encryption.hpp"
#include "keys/key_repository.hpp"
#include "keys/key_ring.hpp"
#include "keys/stored_key.hpp"

namespace signet::keys {

class FileKeyStore final : public KeyRepository {
 public:
  // Creates `dir` (mode 0700; missing parents with default mode) when it does not exist.
  // With a KEK, keys are written encrypted; clear files still load (KidsToRewrite lists them).
  [[nodiscard]] static Result<FileKeyStore> Open(std::filesystem::path dir,
                                                 std::optional<Kek> kek = std::nullopt);

  // Every key file, sorted by file name. Fails on the first bad file (kInsecureFileMode,
  // kKeyFileInvalid, kPemInvalid, kWeakKey, kKekMissing, kKekMismatch, kDecryptFailed, ...);
  // LastErrorDetail() then names the file.
  [[nodiscard]] Result<std::vector<StoredKey>> LoadAll() override;

  // Writes (or atomically replaces) the file of `key`. kKeyFileInvalid when the metadata's
  // kid is not the key's thumbprint or its alg is not the key's.
  [[nodiscard]] Result<void> Save(const StoredKey& key) override;

  // Deletes the file of a key (rotation drops expired keys). Missing files are not an error.
  [[nodiscard]] Result<void> Remove(const KeyMetadata& metadata) override;

  // SHA-256 over (name, size, mtime, inode) of every key file: an atomic rewrite always makes
  // a new inode, so even a same-size rewrite within one timestamp tick changes it.
  [[nodiscard]] Result<std::string> Revision() override;

  std::string Describe() const override { return "keys.dir " + dir_.string(); }
  std::string LastErrorDetail() const override { return last_error_detail_; }
  std::vector<std::string> KidsToRewrite() const override { return kids_to_rewrite_; }

  const std::filesystem::path& dir() const noexcept { return dir_; }
  std::filesystem::path PathOf(const KeyMetadata& metadata) const;

 private:
  FileKeyStore(std::filesystem::path dir, std::optional<Kek> kek)
      : dir_(std::move(dir)), kek_(std::move(kek)) {}
  [[nodiscard]] Result<std::vector<std::filesystem::path>> KeyFilePaths() const;

  std::filesystem::path dir_;
  std::optional<Kek> kek_;
  std::string last_error_detail_;
  std::vector<std::string> kids_to_rewrite_;
};

struct KeyGenerationPolicy {
  std::chrono::seconds lifetime{std::chrono::hours(24)};  // rotate_every
  int rsa_bits = 2048;                                    // RS256 / PS256
};

// Start-up helper kept for callers that do not run a KeyManager yet: applies one rotation
// plan (keys/rotation_plan.hpp, publish_ahead 0, retention = lifetime) so that every algorithm
// has an active and a next key, and returns the entries of every unexpired stored key with
// its state at `now`, also those of algorithms no longer configured (they keep verifying what
// they signed). Restarting keeps the same kids. Pass the result to KeyRing::Replace.
[[nodiscard]] Result<std::vector<KeyEntry>> EnsureActiveKeys(
    KeyRepository& store, std::span<const Algorithm> algorithms, TimePoint now,
    const KeyGenerationPolicy& policy = {});

}  // namespace signet::keys

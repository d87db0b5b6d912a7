#pragma once
// The rotation lease of a FileKeyStore: an exclusive, non-blocking flock(2) on
// `<dir>/.lease`, so that a running server and `signet keys rotate` on the same keys.dir never
// write keys at the same time. The kernel drops the lock when the holder exits or crashes, so
// no expiry is needed (the ttl of TryAcquire is ignored). Only processes on one host share a
// directory lock reliably (flock over NFS is not): multi-node deployments use Redis.
//
// Usage:
//   auto lease = keys::FileRotationLease::Open("./var/keys");
//   if (auto held = lease->TryAcquire(ttl); held && *held) { ...write...; lease->Release(); }

#include <filesystem>

#include "keys/errc.hpp"
#include "keys/key_repository.hpp"

namespace signet::keys {

class FileRotationLease final : public RotationLease {
 public:
  // The directory must exist (FileKeyStore::Open creates it). The lock file is created on
  // the first TryAcquire, mode 0600.
  [[nodiscard]] static Result<FileRotationLease> Open(std::filesystem::path dir);
  FileRotationLease(FileRotationLease&& other) noexcept;
  FileRotationLease& operator=(FileRotationLease&& other) noexcept;
  FileRotationLease(const FileRotationLease&) = delete;
  FileRotationLease& operator=(const FileRotationLease&) = delete;
  ~FileRotationLease() override;

  // true when this object holds the lock afterwards; false when another open file holds it
  // (another process, or another FileRotationLease object); kIoError when the lock file
  // cannot be opened.
  [[nodiscard]] Result<bool> TryAcquire(std::chrono::milliseconds ttl) override;
  void Release() override;

 private:
  explicit FileRotationLease(std::filesystem::path path) : path_(std::move(path)) {}

  std::filesystem::path path_;
  int fd_ = -1;  // open (and locked) while held
};

}  // namespace signet::keys

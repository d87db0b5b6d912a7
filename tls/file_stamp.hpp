#pragma once
// Cheap change detection for the certificate and key files: one stat() each, no reading.
// cert-manager and kubelet replace Secret files in place or by swapping the ..data symlink;
// either changes the inode, size, mtime or ctime that stat() reports through the link.
//
// Usage (every second or two):
//   const auto now = tls::StampFiles(files);
//   if (now != last) { reload; last = now; }

#include <cstdint>
#include <string>

#include "config/config.hpp"

namespace signet::tls {

struct FileStamp {
  bool exists = false;
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;

  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

struct CredentialStamp {
  FileStamp cert;
  FileStamp key;

  friend bool operator==(const CredentialStamp&, const CredentialStamp&) = default;
};

// stat() following symlinks; a file that cannot be stat'ed has exists == false.
FileStamp StampFile(const std::string& path) noexcept;
CredentialStamp StampFiles(const config::Tls& files) noexcept;

}  // namespace signet::tls

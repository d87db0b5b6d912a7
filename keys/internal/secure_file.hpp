#pragma once
// POSIX file primitives for private key material: owner-only modes, no symlink following
// for key files, atomic replacement, fsync of file and directory.

#include <filesystem>
#include <string>
#include <string_view>

#include "keys/errc.hpp"

namespace signet::keys::internal {

// Largest key file read (a 8192-bit RSA PKCS#8 PEM plus metadata is ~7 KiB).
inline constexpr std::size_t kMaxKeyFileSize = 64 * 1024;

// Creates `dir` with mode 0700 (parents with the default mode) if missing. An existing
// directory writable by group or others gives kInsecureFileMode; a non-directory kIoError.
[[nodiscard]] Result<void> EnsurePrivateDirectory(const std::filesystem::path& dir);

// Reads a regular file (not through a symlink) whose mode has no group/other bits
// (else kInsecureFileMode). The caller cleanses the returned buffer (OPENSSL_cleanse).
[[nodiscard]] Result<std::string> ReadPrivateFile(const std::filesystem::path& path);

// Writes `dir/name` atomically with mode 0600: O_CREAT|O_EXCL temporary file in `dir`,
// write, fsync, rename, fsync(dir). A failed write leaves the old file untouched.
[[nodiscard]] Result<void> WritePrivateFileAtomically(const std::filesystem::path& dir,
                                                      const std::string& name,
                                                      std::string_view content);

// Unlinks `dir/name` and fsyncs the directory; a missing file is success.
[[nodiscard]] Result<void> RemoveFile(const std::filesystem::path& dir, const std::string& name);

}  // namespace signet::keys::internal

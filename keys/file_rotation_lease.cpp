#include "keys/file_rotation_lease.hpp"

#include <cerrno>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace signet::keys {

Result<FileRotationLease> FileRotationLease::Open(std::filesystem::path dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return Errc::kIoError;
  return FileRotationLease(dir / ".lease");
}

FileRotationLease::FileRotationLease(FileRotationLease&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}

FileRotationLease& FileRotationLease::operator=(FileRotationLease&& other) noexcept {
  if (this != &other) {
    Release();
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

FileRotationLease::~FileRotationLease() { Release(); }

Result<bool> FileRotationLease::TryAcquire(std::chrono::milliseconds /*ttl*/) {
  if (fd_ >= 0) return true;  // flock needs no renewal
  // O_NOFOLLOW: a planted symlink must not make us create or lock some other file.
  const int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Errc::kIoError;
  int rc = 0;
  do {
    rc = ::flock(fd, LOCK_EX | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    const bool busy = errno == EWOULDBLOCK;
    ::close(fd);
    if (busy) return false;
    return Errc::kIoError;
  }
  fd_ = fd;
  return true;
}

void FileRotationLease::Release() {
  if (fd_ < 0) return;
  ::close(fd_);  // closing the only descriptor of the open file drops the flock
  fd_ = -1;
}

}  // namespace signet::keys

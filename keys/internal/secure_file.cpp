#include "keys/internal/secure_file.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <system_error>

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

namespace signet::keys::internal {
namespace {

constexpr mode_t kGroupOtherBits = S_IRWXG | S_IRWXO;

// Closes a file descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now and reports the result (close can report a deferred write error).
  bool Close() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

Result<void> FsyncDirectory(const std::filesystem::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) return Errc::kIoError;
  return {};
}

bool WriteAll(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    content.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// ".<name>.tmp-<16 hex>": hidden from LoadAll, unique even if an old one was left behind.
Result<std::string> TemporaryName(const std::string& name) {
  std::array<unsigned char, 8> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) return Errc::kRandomFailed;
  std::string out = "." + name + ".tmp-";
  for (unsigned char b : random) {
    std::array<char, 3> hex{};
    std::snprintf(hex.data(), hex.size(), "%02x", b);
    out.append(hex.data(), 2);
  }
  return out;
}

}  // namespace

Result<void> EnsurePrivateDirectory(const std::filesystem::path& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    if (errno != ENOENT) return Errc::kIoError;
    std::error_code ec;
    if (dir.has_parent_path()) std::filesystem::create_directories(dir.parent_path(), ec);
    if (ec) return Errc::kIoError;
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return Errc::kIoError;
    if (::stat(dir.c_str(), &st) != 0) return Errc::kIoError;
  }
  if (!S_ISDIR(st.st_mode)) return Errc::kIoError;
  // Anyone who can write the directory can replace the keys.
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) return Errc::kInsecureFileMode;
  return {};
}

Result<std::string> ReadPrivateFile(const std::filesystem::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) return Errc::kIoError;
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return Errc::kIoError;
  if ((st.st_mode & kGroupOtherBits) != 0) return Errc::kInsecureFileMode;
  if (st.st_size < 0 || static_cast<std::size_t>(st.st_size) > kMaxKeyFileSize) {
    return Errc::kKeyFileInvalid;
  }
  std::string content(kMaxKeyFileSize + 1, '\0');
  std::size_t total = 0;
  while (total < content.size()) {
    const ssize_t n = ::read(fd.get(), content.data() + total, content.size() - total);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errc::kIoError;
    if (n == 0) break;
    total += static_cast<std::size_t>(n);
  }
  if (total > kMaxKeyFileSize) return Errc::kKeyFileInvalid;  // grew while reading
  content.resize(total);  // shrinking keeps the buffer: the caller cleanses all of it
  return content;
}

Result<void> WritePrivateFileAtomically(const std::filesystem::path& dir, const std::string& name,
                                        std::string_view content) {
  auto tmp_name = TemporaryName(name);
  if (!tmp_name) return tmp_name.error();
  const std::filesystem::path tmp = dir / *tmp_name;
  const std::filesystem::path final_path = dir / name;
  {
    // O_EXCL: never write into a file someone else created (or a symlink they planted).
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.get() < 0) return Errc::kIoError;
    // The umask can only remove bits, but make 0600 explicit regardless.
    const bool ok = ::fchmod(fd.get(), 0600) == 0 && WriteAll(fd.get(), content) &&
                    ::fsync(fd.get()) == 0 && fd.Close();
    if (!ok) {
      ::unlink(tmp.c_str());
      return Errc::kIoError;
    }
  }
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Errc::kIoError;
  }
  return FsyncDirectory(dir);  // makes the rename itself durable
}

Result<void> RemoveFile(const std::filesystem::path& dir, const std::string& name) {
  const std::filesystem::path path = dir / name;
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return Errc::kIoError;
  return FsyncDirectory(dir);
}

}  // namespace signet::keys::internal

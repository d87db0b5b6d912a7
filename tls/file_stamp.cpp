#include "tls/file_stamp.hpp"

#include <sys/stat.h>

namespace signet::tls {
namespace {

std::int64_t Nanoseconds(const timespec& time) {
  return static_cast<std::int64_t>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

}  // namespace

FileStamp StampFile(const std::string& path) noexcept {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return {};
  return FileStamp{true,
                   static_cast<std::uint64_t>(info.st_dev),
                   static_cast<std::uint64_t>(info.st_ino),
                   static_cast<std::int64_t>(info.st_size),
                   Nanoseconds(info.st_mtim),
                   Nanoseconds(info.st_ctim)};
}

CredentialStamp StampFiles(const config::Tls& files) noexcept {
  return CredentialStamp{StampFile(files.cert_file), StampFile(files.key_file)};
}

}  // namespace signet::tls

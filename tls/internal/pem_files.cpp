#include "tls/internal/pem_files.hpp"

#include <cerrno>
#include <cstring>
#include <limits>

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/key_names.hpp"

namespace signet::tls::internal {
namespace {

using keys::internal::SslPtr;

// Closes the descriptor on every return path.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const noexcept { return fd_; }

 private:
  int fd_;
};

// A read-only memory BIO over `pem` (no copy).
SslPtr<BIO> MemoryBio(std::string_view pem) {
  if (pem.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) return nullptr;
  return SslPtr<BIO>(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// Refuses to prompt on the terminal for an encrypted key (OpenSSL's default callback would).
int NoPassword(char*, int, int, void*) { return 0; }

// True when the last OpenSSL error only says that no further PEM block was found.
bool OnlyNoStartLine() {
  const unsigned long last = ERR_peek_last_error();
  return ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE;
}

}  // namespace

std::string CertFileKey() {
  return std::string(config::key::kTls) + "." + std::string(config::key::kCertFile);
}

std::string KeyFileKey() {
  return std::string(config::key::kTls) + "." + std::string(config::key::kKeyFile);
}

Result<std::string> ReadWholeFile(const std::string& path, std::size_t max_size,
                                  const std::string& config_key, Errc missing, Errc unreadable) {
  const auto fail = [&](Errc code, int error_number) {
    return CredentialError{code, config_key, path + ": " + std::strerror(error_number)};
  };
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) return fail(errno == ENOENT ? missing : unreadable, errno);
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return fail(unreadable, errno);
  if (!S_ISREG(info.st_mode)) return fail(unreadable, S_ISDIR(info.st_mode) ? EISDIR : EINVAL);
  if (static_cast<std::size_t>(info.st_size) > max_size) return fail(unreadable, EFBIG);
  std::string text(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::read(fd.get(), text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error_number = errno;
      OPENSSL_cleanse(text.data(), text.size());  // may be a private key
      return fail(unreadable, error_number);
    }
    if (n == 0) break;  // truncated meanwhile: parse what is there
    done += static_cast<std::size_t>(n);
  }
  text.resize(done);
  return text;
}

Result<CertificateChain> ParseCertificateChain(std::string_view pem, const std::string& path) {
  const auto not_pem = [&](const std::string& why) {
    ERR_clear_error();
    return CredentialError{Errc::kCertNotPem, CertFileKey(), path + ": " + why};
  };
  SslPtr<BIO> bio = MemoryBio(pem);
  if (!bio) return not_pem("cannot be buffered");
  CertificateChain chain;
  chain.leaf.reset(PEM_read_bio_X509(bio.get(), nullptr, NoPassword, nullptr));
  if (!chain.leaf) return not_pem("no PEM CERTIFICATE block");
  for (;;) {
    SslPtr<X509> next(PEM_read_bio_X509(bio.get(), nullptr, NoPassword, nullptr));
    if (!next) {
      if (!OnlyNoStartLine()) {
        return not_pem("certificate " + std::to_string(chain.intermediates.size() + 2) +
                       " of the chain is malformed");
      }
      ERR_clear_error();
      return chain;
    }
    chain.intermediates.push_back(std::move(next));
  }
}

Result<SslPtr<EVP_PKEY>> ParsePrivateKey(std::string_view pem, const std::string& path) {
  SslPtr<BIO> bio = MemoryBio(pem);
  SslPtr<EVP_PKEY> key;
  if (bio) key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassword, nullptr));
  ERR_clear_error();
  if (!key) {
    return CredentialError{Errc::kKeyNotPem, KeyFileKey(),
                           path + ": no PEM private key, or an encrypted one"};
  }
  return key;
}

}  // namespace signet::tls::internal

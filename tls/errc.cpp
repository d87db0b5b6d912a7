#include "tls/errc.hpp"

#include <string>

namespace signet::tls {
namespace {

class Category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "signet.tls"; }

  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::kCertFileMissing: return "certificate file not found";
      case Errc::kCertFileUnreadable: return "certificate file unreadable";
      case Errc::kCertNotPem: return "not a PEM certificate";
      case Errc::kCertRejected: return "certificate rejected by OpenSSL";
      case Errc::kKeyFileMissing: return "private key file not found";
      case Errc::kKeyFileUnreadable: return "private key file unreadable";
      case Errc::kKeyNotPem: return "not an unencrypted PEM private key";
      case Errc::kKeyMismatch: return "private key does not match the certificate";
      case Errc::kContextFailed: return "TLS context could not be created";
    }
    return "unknown tls error";
  }
};

}  // namespace

const boost::system::error_category& TlsCategory() noexcept {
  static const Category category;
  return category;
}

}  // namespace signet::tls

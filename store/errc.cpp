#include "store/errc.hpp"

#include <string>

namespace signet::store {
namespace {

class Category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "signet.store"; }

  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::kUnavailable: return "Redis is unavailable (not connected)";
      case Errc::kTimeout: return "Redis did not answer in time";
      case Errc::kProtocol: return "Redis protocol error";
      case Errc::kAuthFailed: return "Redis rejected the credentials (AUTH)";
      case Errc::kSelectFailed: return "Redis rejected the database index (SELECT)";
      case Errc::kStopped: return "the Redis client is stopped";
      case Errc::kTooManyPending: return "too many Redis commands in flight";
      case Errc::kReplyType: return "unexpected Redis reply type";
      case Errc::kServerError: return "Redis answered with an error";
      case Errc::kEmptyCommand: return "empty Redis command";
      case Errc::kUrlScheme: return "redis URL must start with redis://";
      case Errc::kTlsNotSupported: return "TLS to Redis is not supported yet (rediss://)";
      case Errc::kUrlMalformed: return "redis URL is malformed";
      case Errc::kUrlHost: return "redis URL has no host";
      case Errc::kUrlPort: return "redis URL port must be a number from 1 to 65535";
      case Errc::kUrlDatabase: return "redis URL path must be /N with a database number";
      case Errc::kUrlUnsupported: return "redis URL must not have a query or fragment";
    }
    return "unknown store error";
  }
};

}  // namespace

const boost::system::error_category& StoreCategory() noexcept {
  static const Category category;
  return category;
}

}  // namespace signet::store

#pragma once
// Error codes of the store module (Redis clients and the stores built on them), usable as
// boost::system::error_code values. Each enumerator is one distinct reason; message() names
// it and never contains a URL, a password or any stored value.

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

namespace signet::store {

template <class T>
using Result = boost::system::result<T>;

enum class Errc {
  // 0 is reserved for success by boost::system.
  kUnavailable = 1,  // not connected to Redis, or the connection was lost
  kTimeout,          // Redis did not answer within the command timeout
  kProtocol,         // Redis sent bytes that are not RESP, or hiredis failed internally
  kAuthFailed,       // Redis rejected AUTH (wrong password or user)
  kSelectFailed,     // Redis rejected SELECT (database index out of range)
  kStopped,          // the client was stopped (shutdown); no further command runs
  kTooManyPending,   // more commands in flight than the client allows (back-pressure)
  kReplyType,        // the reply has a type the caller did not expect
  kServerError,      // Redis answered with an error reply (-ERR ...) where a value was expected
  kEmptyCommand,     // a command without arguments (a programming error)
  kUrlScheme,        // redis.url does not start with redis://
  kTlsNotSupported,  // rediss:// (TLS) is refused: not supported yet
  kUrlMalformed,     // redis.url is not a valid URL
  kUrlHost,          // redis.url has no host
  kUrlPort,          // the port is not a number in 1..65535
  kUrlDatabase,      // the path is not /N with a database index 0..2^31-1
  kUrlUnsupported,   // a query or fragment (options are not supported)
};

const boost::system::error_category& StoreCategory() noexcept;

inline boost::system::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), StoreCategory()};
}

}  // namespace signet::store

template <>
struct boost::system::is_error_code_enum<signet::store::Errc> : std::true_type {};

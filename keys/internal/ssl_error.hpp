#pragma once
// Failure helper for OpenSSL calls: every failure path empties the thread's OpenSSL error
// queue, so a stale entry never leaks into an unrelated later call or log line.

#include <openssl/err.h>

#include "keys/errc.hpp"

namespace signet::keys::internal {

inline Errc SslFailure(Errc reason) noexcept {
  ERR_clear_error();
  return reason;
}

}  // namespace signet::keys::internal

#pragma once
// The arithmetic both FailureRateLimiter implementations share, so that they agree to the
// millisecond: failures are kept in milliseconds since the epoch; one at time t counts while
// t > now - window, and leaves the window at t + window.

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "store/failure_rate_limiter.hpp"

namespace signet::store::internal {

inline std::int64_t ToUnixMillis(WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// A limit of 0 failures would block a key that never failed, with no failure to wait for:
// it is treated as 1.
inline std::int64_t MaxFailures(const FailureLimit& limit) {
  return std::max<std::int64_t>(1, limit.max_failures);
}

// At least one second, so that a failure counts at all.
inline std::int64_t WindowMillis(const FailureLimit& limit) {
  return std::max<std::int64_t>(1, limit.window.count()) * 1000;
}

// `failures` counted in the window; `free_in_ms` = how long until enough of them have left it
// for one more attempt (<= 0: not blocked). Retry-After is whole seconds (RFC 9110 §10.2.3),
// rounded up so that a client waiting that long is let in.
inline FailureCheck MakeFailureCheck(std::int64_t failures, std::int64_t free_in_ms) {
  FailureCheck check;
  check.failures = static_cast<std::uint32_t>(std::clamp<std::int64_t>(failures, 0, UINT32_MAX));
  if (free_in_ms > 0) check.retry_after = std::chrono::seconds((free_in_ms + 999) / 1000);
  return check;
}

}  // namespace signet::store::internal

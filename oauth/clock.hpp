#pragma once
// The time source of the oauth module, injected so that tests set the time instead of
// sleeping (style rule 19; Tink JwtValidatorBuilder::SetFixedNow).
//
// Usage:
//   oauth::Clock clock = oauth::SystemClock();
//   auto fixed = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
//   oauth::Clock test_clock = [&] { return fixed; };

#include <chrono>
#include <functional>

namespace signet::oauth {

// Must be thread-safe (called concurrently by every request).
using Clock = std::function<std::chrono::system_clock::time_point()>;

inline Clock SystemClock() {
  return [] { return std::chrono::system_clock::now(); };
}

}  // namespace signet::oauth

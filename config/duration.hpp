#pragma once
// Durations in the configuration: a whole number of seconds ("900", or a YAML integer) or
// a whole number with one unit suffix: "30s", "15m", "1h", "30d". Nothing else: no
// fractions ("1.5h"), no signs, no spaces, no combined forms ("1h30m"), no other units.
// Anything above kMaxDuration is rejected as a mistake rather than silently accepted.
//
// Usage:
//   auto ttl = config::ParseDuration("15m");                 // 900s
//   auto leeway = config::ParseDuration("0", {.allow_zero = true});

#include <chrono>
#include <string_view>

#include "config/errc.hpp"

namespace signet::config {

// Ten years: longer than any sensible token lifetime or rotation period.
inline constexpr std::chrono::seconds kMaxDuration{3650LL * 24 * 3600};

struct DurationOptions {
  bool allow_zero = false;  // true for leeway, publish_ahead, shutdown_grace
};

// Errors: kDurationEmpty, kDurationNegative, kDurationFraction, kDurationUnknownUnit,
// kDurationNotANumber, kDurationZero, kDurationOverflow.
[[nodiscard]] Result<std::chrono::seconds> ParseDuration(std::string_view text,
                                                         DurationOptions options = {});

// A sentence explaining `e` for a user, naming the accepted forms.
std::string_view DurationErrorHint(Errc e);

}  // namespace signet::config

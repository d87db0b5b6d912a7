#include "config/duration.hpp"

#include <cstdint>
#include <limits>

namespace signet::config {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Seconds per unit; 0 for an unknown unit.
std::int64_t UnitSeconds(std::string_view unit) {
  if (unit.empty() || unit == "s") return 1;
  if (unit == "m") return 60;
  if (unit == "h") return 3600;
  if (unit == "d") return 86400;
  return 0;
}

}  // namespace

Result<std::chrono::seconds> ParseDuration(std::string_view text, DurationOptions options) {
  if (text.empty()) return Errc::kDurationEmpty;
  if (text.front() == '-') return Errc::kDurationNegative;

  std::size_t digits = 0;
  while (digits < text.size() && IsDigit(text[digits])) ++digits;
  if (digits == 0) return Errc::kDurationNotANumber;
  std::string_view rest = text.substr(digits);
  if (!rest.empty() && (rest.front() == '.' || rest.front() == ',')) {
    return Errc::kDurationFraction;
  }
  const std::int64_t unit = UnitSeconds(rest);
  if (unit == 0) {
    // "15 m", "1h30m" or "5x": say which part is wrong.
    bool letters_only = true;
    for (char c : rest)
      letters_only = letters_only && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
    return letters_only ? Errc::kDurationUnknownUnit : Errc::kDurationNotANumber;
  }

  // Accumulate with an explicit bound so that "99999999999999999999" cannot wrap.
  const std::int64_t max_count = kMaxDuration.count() / unit;
  std::int64_t count = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    count = count * 10 + (text[i] - '0');
    if (count > max_count) return Errc::kDurationOverflow;
  }
  if (count == 0 && !options.allow_zero) return Errc::kDurationZero;
  return std::chrono::seconds{count * unit};
}

std::string_view DurationErrorHint(Errc e) {
  switch (e) {
    case Errc::kDurationEmpty: return "empty duration; use seconds (900) or 15m, 1h, 30d";
    case Errc::kDurationNegative: return "a duration cannot be negative";
    case Errc::kDurationFraction:
      return "fractions are not accepted; use a smaller unit (90m instead of 1.5h)";
    case Errc::kDurationUnknownUnit: return "unknown unit; use s, m, h or d (e.g. 15m, 1h, 30d)";
    case Errc::kDurationNotANumber:
      return "not a duration; use whole seconds (900) or one unit suffix: 15m, 1h, 30d";
    case Errc::kDurationZero: return "must be greater than zero";
    case Errc::kDurationOverflow: return "too large; the maximum is 3650d (ten years)";
    default: return "invalid duration";
  }
}

}  // namespace signet::config

#include "keys/internal/key_file_format.hpp"

#include <array>
#include <charconv>
#include <cstdio>

namespace signet::keys::internal {
namespace {

using std::chrono::days;
using std::chrono::seconds;
using std::chrono::sys_days;

constexpr std::string_view kFormatLine = "signet-key: 1";
constexpr std::string_view kPemBegin = "-----BEGIN ";

// Reads exactly `width` decimal digits at `pos`.
std::optional<int> Digits(std::string_view text, size_t pos, size_t width) {
  int value = 0;
  const char* first = text.data() + pos;
  const auto [end, ec] = std::from_chars(first, first + width, value);
  if (ec != std::errc() || end != first + width || *first == '+' || *first == '-') {
    return std::nullopt;
  }
  return value;
}

struct HeaderFields {
  std::optional<std::string_view> kid, alg, state, created, activates, expires;
};

std::optional<std::string_view>* FieldFor(HeaderFields& f, std::string_view name) {
  if (name == "kid") return &f.kid;
  if (name == "alg") return &f.alg;
  if (name == "state") return &f.state;
  if (name == "created") return &f.created;
  if (name == "activates") return &f.activates;
  if (name == "expires") return &f.expires;
  return nullptr;
}

}  // namespace

std::string FormatUtc(TimePoint t) {
  const auto secs = std::chrono::floor<seconds>(t);
  const auto day = std::chrono::floor<days>(secs);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(secs - day);
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02uT%02d:%02d:%02dZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()));
  return buf.data();
}

std::optional<TimePoint> ParseUtc(std::string_view text) {
  // Exactly "YYYY-MM-DDTHH:MM:SSZ" (RFC 3339 §5.6 restricted to UTC, whole seconds).
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != 'Z') {
    return std::nullopt;
  }
  const auto y = Digits(text, 0, 4), mo = Digits(text, 5, 2), d = Digits(text, 8, 2);
  const auto h = Digits(text, 11, 2), mi = Digits(text, 14, 2), s = Digits(text, 17, 2);
  if (!y || !mo || !d || !h || !mi || !s || *h > 23 || *mi > 59 || *s > 59) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(*y),
                                        std::chrono::month(static_cast<unsigned>(*mo)),
                                        std::chrono::day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return std::nullopt;
  return TimePoint(sys_days(ymd)) + std::chrono::hours(*h) + std::chrono::minutes(*mi) +
         seconds(*s);
}

std::string FormatKeyFileHeader(const KeyMetadata& m) {
  std::string out;
  out.append(kFormatLine).append("\n");
  out.append("kid: ").append(m.kid).append("\n");
  out.append("alg: ").append(JwaName(m.alg)).append("\n");
  out.append("state: ").append(KeyStateName(m.state)).append("\n");
  out.append("created: ").append(FormatUtc(m.created)).append("\n");
  out.append("activates: ").append(FormatUtc(m.activates)).append("\n");
  out.append("expires: ").append(FormatUtc(m.expires)).append("\n");
  return out;
}

Result<KeyMetadata> ParseKeyFileHeader(std::string_view content, std::string_view& pem) {
  const size_t begin = content.find(kPemBegin);
  if (begin == std::string_view::npos) return Errc::kKeyFileInvalid;
  pem = content.substr(begin);
  std::string_view header = content.substr(0, begin);
  if (!header.starts_with(kFormatLine) || header.size() <= kFormatLine.size() ||
      header[kFormatLine.size()] != '\n') {
    return Errc::kKeyFileInvalid;
  }
  header.remove_prefix(kFormatLine.size() + 1);
  HeaderFields fields;
  while (!header.empty()) {
    const size_t eol = header.find('\n');
    if (eol == std::string_view::npos) return Errc::kKeyFileInvalid;
    const std::string_view line = header.substr(0, eol);
    header.remove_prefix(eol + 1);
    const size_t colon = line.find(": ");
    if (colon == std::string_view::npos) return Errc::kKeyFileInvalid;
    auto* field = FieldFor(fields, line.substr(0, colon));
    if (field == nullptr || field->has_value()) return Errc::kKeyFileInvalid;  // unknown/dup
    *field = line.substr(colon + 2);
  }
  if (!fields.kid || !fields.alg || !fields.state || !fields.created || !fields.activates ||
      !fields.expires || fields.kid->empty()) {
    return Errc::kKeyFileInvalid;
  }
  const auto alg = ParseAlgorithm(*fields.alg);
  const auto state = ParseKeyState(*fields.state);
  const auto created = ParseUtc(*fields.created);
  const auto activates = ParseUtc(*fields.activates);
  const auto expires = ParseUtc(*fields.expires);
  if (!alg || !state || !created || !activates || !expires) return Errc::kKeyFileInvalid;
  return KeyMetadata{std::string(*fields.kid), *alg, *state, *created, *activates, *expires};
}

}  // namespace signet::keys::internal

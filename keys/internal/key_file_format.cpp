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
  std::optional<std::string_view> kid, alg, state, created, activates, retires, expires, kek_id,
      encrypted_key;
};

std::optional<std::string_view>* FieldFor(HeaderFields& f, std::string_view name) {
  if (name == "kid") return &f.kid;
  if (name == "alg") return &f.alg;
  if (name == "state") return &f.state;  // written before rotation existed; ignored
  if (name == "created") return &f.created;
  if (name == "activates") return &f.activates;
  if (name == "retires") return &f.retires;
  if (name == "expires") return &f.expires;
  if (name == "kek-id") return &f.kek_id;
  if (name == "encrypted-key") return &f.encrypted_key;
  return nullptr;
}

// Splits the "name: value" lines of `header` into `fields`.
bool ReadFields(std::string_view header, HeaderFields& fields) {
  while (!header.empty()) {
    const size_t eol = header.find('\n');
    if (eol == std::string_view::npos) return false;
    const std::string_view line = header.substr(0, eol);
    header.remove_prefix(eol + 1);
    const size_t colon = line.find(": ");
    if (colon == std::string_view::npos) return false;
    auto* field = FieldFor(fields, line.substr(0, colon));
    if (field == nullptr || field->has_value()) return false;  // unknown or duplicated
    *field = line.substr(colon + 2);
  }
  return true;
}

std::optional<KeyMetadata> MetadataOf(const HeaderFields& f) {
  if (!f.kid || !f.alg || !f.created || !f.activates || !f.expires || f.kid->empty()) {
    return std::nullopt;
  }
  const auto alg = ParseAlgorithm(*f.alg);
  const auto created = ParseUtc(*f.created);
  const auto activates = ParseUtc(*f.activates);
  const auto expires = ParseUtc(*f.expires);
  // Before rotation existed a key's signing period ended at `expires` (but the old code
  // kept signing with it): retires = that time, and the end of publication is unknown until
  // the rotation plan sets it.
  const auto retires = f.retires ? ParseUtc(*f.retires) : expires;
  if (!alg || !created || !activates || !retires || !expires) return std::nullopt;
  if (f.state && !ParseKeyState(*f.state)) return std::nullopt;
  if (*created > *activates || *activates > *retires || *retires > *expires) return std::nullopt;
  return KeyMetadata{std::string(*f.kid), *alg,     *created,
                     *activates,          *retires, f.retires ? *expires : kUnknownExpiry};
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
  if (*y < 1970 || *y > 2200) return std::nullopt;  // system_clock (ns) ends in 2262
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
  out.append("created: ").append(FormatUtc(m.created)).append("\n");
  out.append("activates: ").append(FormatUtc(m.activates)).append("\n");
  out.append("retires: ").append(FormatUtc(m.retires)).append("\n");
  out.append("expires: ").append(FormatUtc(m.expires)).append("\n");
  return out;
}

std::string FormatEncryptedKeyLines(std::string_view kek_id, std::string_view blob_base64url) {
  std::string out;
  out.append("kek-id: ").append(kek_id).append("\n");
  out.append("encrypted-key: ").append(blob_base64url).append("\n");
  return out;
}

Result<ParsedKeyText> ParseKeyText(std::string_view content) {
  ParsedKeyText parsed{};
  const size_t begin = content.find(kPemBegin);
  std::string_view header = content;
  if (begin != std::string_view::npos) {
    parsed.pem = content.substr(begin);
    header = content.substr(0, begin);
  }
  if (!header.starts_with(kFormatLine) || header.size() <= kFormatLine.size() ||
      header[kFormatLine.size()] != '\n') {
    return Errc::kKeyFileInvalid;
  }
  header.remove_prefix(kFormatLine.size() + 1);
  HeaderFields fields;
  if (!ReadFields(header, fields)) return Errc::kKeyFileInvalid;
  auto metadata = MetadataOf(fields);
  if (!metadata) return Errc::kKeyFileInvalid;
  parsed.metadata = std::move(*metadata);
  const bool encrypted = fields.kek_id.has_value() || fields.encrypted_key.has_value();
  if (encrypted) {
    // Exactly one form: a PEM next to an encrypted key would be a clear copy of it.
    if (!parsed.pem.empty() || !fields.kek_id || !fields.encrypted_key ||
        fields.kek_id->empty() || fields.encrypted_key->empty()) {
      return Errc::kKeyFileInvalid;
    }
    parsed.kek_id = *fields.kek_id;
    parsed.encrypted_key = *fields.encrypted_key;
  } else if (parsed.pem.empty()) {
    return Errc::kKeyFileInvalid;
  }
  return parsed;
}

}  // namespace signet::keys::internal

#include "oauth/internal/json_text.hpp"

#include <charconv>

namespace signet::oauth::internal {

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  // Copies runs of characters that need no escaping in one append each: a token is a few
  // hundred base64url characters without a single escape (per-character push_back cost
  // about 13k instructions per token response, callgrind).
  std::size_t run_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte != '"' && byte != '\\') continue;
    out.append(text.data() + run_start, i - run_start);
    run_start = i + 1;
    if (byte == '"' || byte == '\\') {
      out.push_back('\\');
      out.push_back(text[i]);
    } else {
      // RFC 8259 §7: control characters must be escaped; \u00XX covers all of them.
      out.append("\\u00");
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0F]);
    }
  }
  out.append(text.data() + run_start, text.size() - run_start);
  out.push_back('"');
}

void AppendJsonStringArray(std::string& out, std::span<const std::string> items) {
  out.push_back('[');
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out.push_back(',');
    AppendJsonString(out, items[i]);
  }
  out.push_back(']');
}

void AppendJsonInt(std::string& out, std::int64_t value) {
  char buffer[24];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  (void)ec;  // 24 bytes always hold an int64
  out.append(buffer, end);
}

}  // namespace signet::oauth::internal

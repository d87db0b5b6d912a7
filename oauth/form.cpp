#include "oauth/form.hpp"

#include <cstdint>

namespace signet::oauth {
namespace {

int HexValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsUnreservedForForm(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '*' ||
         c == '-' || c == '.' || c == '_';
}

// Length of the UTF-8 sequence starting at `lead` with the allowed range of its second
// byte (RFC 3629 §4 table), or 0 for a byte that cannot start a sequence.
struct LeadInfo {
  int length;
  std::uint8_t second_min;
  std::uint8_t second_max;
};

LeadInfo ClassifyLead(std::uint8_t lead) noexcept {
  if (lead < 0x80) return {1, 0, 0};
  if (lead >= 0xC2 && lead <= 0xDF) return {2, 0x80, 0xBF};
  if (lead == 0xE0) return {3, 0xA0, 0xBF};  // no overlong 3-byte forms
  if (lead == 0xED) return {3, 0x80, 0x9F};  // no UTF-16 surrogates
  if (lead >= 0xE1 && lead <= 0xEF) return {3, 0x80, 0xBF};
  if (lead == 0xF0) return {4, 0x90, 0xBF};  // no overlong 4-byte forms
  if (lead >= 0xF1 && lead <= 0xF3) return {4, 0x80, 0xBF};
  if (lead == 0xF4) return {4, 0x80, 0x8F};  // nothing above U+10FFFF
  return {0, 0, 0};
}

}  // namespace

bool IsValidUtf8(std::string_view bytes) noexcept {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto lead = static_cast<std::uint8_t>(bytes[i]);
    const LeadInfo info = ClassifyLead(lead);
    if (info.length == 0) return false;
    if (info.length == 1) {
      ++i;
      continue;
    }
    const auto length = static_cast<std::size_t>(info.length);
    if (bytes.size() - i < length) return false;
    const auto second = static_cast<std::uint8_t>(bytes[i + 1]);
    if (second < info.second_min || second > info.second_max) return false;
    for (std::size_t k = 2; k < length; ++k) {
      const auto next = static_cast<std::uint8_t>(bytes[i + k]);
      if (next < 0x80 || next > 0xBF) return false;
    }
    i += length;
  }
  return true;
}

std::optional<std::string> FormUrlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (text.size() - i < 3) return std::nullopt;
      const int hi = HexValue(text[i + 1]);
      const int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>((hi << 4) | lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  if (!IsValidUtf8(out)) return std::nullopt;
  return out;
}

std::optional<std::string_view> SingleValue(const FormParams& params, std::string_view name) {
  std::optional<std::string_view> value;
  for (const auto& [key, field] : params) {
    if (key != name) continue;
    if (value) return std::nullopt;
    value = field;
  }
  return value;
}

std::string FormUrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (IsUnreservedForForm(c)) {
      out.push_back(c);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0F]);
    }
  }
  return out;
}

Expected<FormParams> ParseForm(std::string_view body) {
  FormParams params;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view sequence = body.substr(start, end - start);
    start = end + 1;
    if (sequence.empty()) continue;  // "a=1&&b=2", trailing '&'
    if (params.size() == kMaxFormParameters) {
      return MakeError(ErrorCode::kInvalidRequest, "too many parameters");
    }
    const std::size_t eq = sequence.find('=');
    const std::string_view raw_name = sequence.substr(0, eq);
    const std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : sequence.substr(eq + 1);
    auto name = FormUrlDecode(raw_name);
    auto value = FormUrlDecode(raw_value);
    if (!name || !value) {
      return MakeError(ErrorCode::kInvalidRequest,
                       "malformed application/x-www-form-urlencoded body");
    }
    params.emplace_back(std::move(*name), std::move(*value));
  }
  return params;
}

}  // namespace signet::oauth

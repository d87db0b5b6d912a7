#pragma once
// Minimal JSON text writing for the hot token path: access-token claims and token
// responses are a handful of known members, so they are appended to one string instead of
// being built as a nlohmann::json tree and dumped (several allocations per member).
// Strings are escaped per RFC 8259 §7; callers pass valid UTF-8 (form input is validated by
// ParseForm, configuration by the YAML loader).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace signet::oauth::internal {

// Appends `"text"` with '"', '\' and control characters escaped.
void AppendJsonString(std::string& out, std::string_view text);

// Appends `"key":` (key is a trusted literal, appended unescaped).
inline void AppendJsonKey(std::string& out, std::string_view key) {
  out.push_back('"');
  out.append(key);
  out.append("\":");
}

// Appends a JSON array of strings.
void AppendJsonStringArray(std::string& out, std::span<const std::string> items);

// Appends a decimal integer.
void AppendJsonInt(std::string& out, std::int64_t value);

}  // namespace signet::oauth::internal

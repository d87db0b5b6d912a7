#pragma once
// The text format of one stored key (see keys/key_codec.hpp for the whole picture): a
// "signet-key: 1" line, metadata lines ("name: value"), then either the PKCS#8 PEM block
// (clear) or "kek-id:" and "encrypted-key:" lines (sealed with the KEK). PEM parsers ignore
// text before "-----BEGIN" (RFC 7468 §5.2, explanatory text), so `openssl pkey -in FILE`
// still reads a clear key.

#include <optional>
#include <string>
#include <string_view>

#include "keys/errc.hpp"
#include "keys/stored_key.hpp"

namespace signet::keys::internal {

// RFC 3339 UTC with second precision: "2026-11-29T05:40:00Z".
std::string FormatUtc(TimePoint t);
std::optional<TimePoint> ParseUtc(std::string_view text);

// "signet-key: 1" and the metadata lines, each ending in "\n".
std::string FormatKeyFileHeader(const KeyMetadata& metadata);
// "kek-id: <id>\nencrypted-key: <base64url>\n".
std::string FormatEncryptedKeyLines(std::string_view kek_id, std::string_view blob_base64url);

struct ParsedKeyText {
  KeyMetadata metadata;
  std::string_view pem;            // clear form: the text from "-----BEGIN" on, else empty
  std::string_view kek_id;         // encrypted form, else empty
  std::string_view encrypted_key;  // encrypted form (base64url), else empty
};

// kKeyFileInvalid for a missing, unknown, duplicated or malformed line, for both or neither
// of a PEM block and an encrypted key, or times out of order (created <= activates <= retires
// <= expires). Without a "retires" line (files written before rotation) retires = expires.
[[nodiscard]] Result<ParsedKeyText> ParseKeyText(std::string_view content);

}  // namespace signet::keys::internal

#pragma once
// The text format of one key file in the FileKeyStore (see keys/key_file_store.hpp):
// metadata lines ("name: value") followed by the PKCS#8 PEM block. PEM parsers ignore
// text before "-----BEGIN" (RFC 7468 §5.2, explanatory text), so `openssl pkey -in FILE`
// still reads the key.
//
//   signet-key: 1
//   kid: NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs
//   alg: ES256
//   state: active
//   created: 2026-11-29T05:40:00Z
//   activates: 2026-11-29T05:40:00Z
//   expires: 2026-11-30T05:40:00Z
//   -----BEGIN PRIVATE KEY-----
//   ...

#include <optional>
#include <string>
#include <string_view>

#include "keys/errc.hpp"
#include "keys/key_file_store.hpp"

namespace signet::keys::internal {

// RFC 3339 UTC with second precision: "2026-11-29T05:40:00Z".
std::string FormatUtc(TimePoint t);
std::optional<TimePoint> ParseUtc(std::string_view text);

std::string FormatKeyFileHeader(const KeyMetadata& metadata);

// Parses the header of a key file; `pem` is set to the text from "-----BEGIN" on.
// kKeyFileInvalid for a missing, unknown, duplicated or malformed line.
[[nodiscard]] Result<KeyMetadata> ParseKeyFileHeader(std::string_view content,
                                                     std::string_view& pem);

}  // namespace signet::keys::internal

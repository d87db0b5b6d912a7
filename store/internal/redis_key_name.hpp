#pragma once
// Redis key names built from values a client controls (usernames, IPs, family ids) or from
// secrets (refresh-token hashes). Such a value reaches a key name only when it is short and
// made of harmless characters; anything else is replaced by the hex of its SHA-256, so a key
// name never carries user-supplied junk (newlines, glob characters, megabytes) and a listing
// of the keys (`SCAN signet:*`) shows no raw token.
//
// Usage:
//   std::string key = prefix + "fail:" + SafeKeyPart("user:" + username);
//   std::string token_key = prefix + "rt:" + HexOf(token_hash);

#include <cstddef>
#include <string>
#include <string_view>

namespace signet::store::internal {

// Longest value that SafeKeyPart keeps verbatim.
inline constexpr std::size_t kMaxVerbatimKeyPart = 64;

// Lower-case hex of the bytes (two characters per byte).
std::string HexOf(std::string_view bytes);

// SHA-256 of `data`, 32 raw bytes.
std::string Sha256(std::string_view data);

// `value` itself when it has at most kMaxVerbatimKeyPart bytes, all of [A-Za-z0-9:._@-] and
// is not empty; otherwise "h:" + HexOf(Sha256(value)). The two forms cannot collide: the
// hashed one is 66 bytes, longer than any verbatim part.
std::string SafeKeyPart(std::string_view value);

}  // namespace signet::store::internal

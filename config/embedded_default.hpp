#pragma once
// The embedded development configuration: what `signet serve` runs without --config and
// without SIGNET_CONFIG (interface.md). It is YAML text, loaded through the same loader as
// any file, so it is validated the same way (tests/unit/config checks it loads).
//
// It contains a demo client secret and a demo user password in clear text: development
// only. Never deploy it; production configs use client_secret_hash / password_hash.

#include <string_view>

namespace signet::config {

// Name used as the source in messages about the embedded default.
inline constexpr std::string_view kEmbeddedDefaultName = "<embedded default>";

// The YAML text, with comments explaining each setting.
std::string_view EmbeddedDefaultYaml();

}  // namespace signet::config

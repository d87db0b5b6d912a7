#pragma once
// Times derived from the keys and tokens settings, with one definition shared by the config
// checks, the key rotation (keys/rotation_plan.hpp) and the JWKS endpoint.
//
//   JwksMaxAge(publish_ahead) = min(publish_ahead, 1 h) / 2: a next key appears in the JWKS
//     publish_ahead before it signs; a verifier whose copy is at most max-age old has fetched
//     it before first use even through one intermediate cache (two stacked caches can each add
//     max-age, hence the halving). The 1 h cap bounds how long a removed key stays trusted by
//     well-behaved caches (RFC 9111 §4.2.1).
//   KeyRetention = max(access_token_ttl, id_token_ttl) + leeway + JWKS max-age: how long a key
//     stays published after it signed its last token, so that every token it signed verifies
//     until it expires, at every verifier, even one holding a JWKS fetched just before.

#include <chrono>

#include "config/config.hpp"
#include "keys/rotation_plan.hpp"

namespace signet::config {

std::chrono::seconds JwksMaxAge(std::chrono::seconds publish_ahead) noexcept;

std::chrono::seconds KeyRetention(const Config& config) noexcept;

// How often replicas look at the key store: once a second, or an eighth of rotate_every when
// keys rotate faster than that (test configurations), but not more often than every 100 ms.
std::chrono::milliseconds KeyPollInterval(std::chrono::seconds rotate_every) noexcept;

// The rotation policy of a loaded config (rsa_bits 2048; propagation = two poll intervals,
// rounded up to whole seconds, the unit of key times).
keys::RotationPolicy RotationPolicyFor(const Config& config) noexcept;

}  // namespace signet::config

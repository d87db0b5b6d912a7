#pragma once
// A private key as kept in a key store, with its lifecycle times.
//
// The state of a key is a pure function of its times and the clock, never stored, so that
// every replica (and `signet keys list`) derives the same state from the same record and a
// rotation is a change of times only:
//
//   created <= activates <= retires <= expires
//   now < activates             next      published, signs nothing yet
//   activates <= now < retires  active    signs new tokens
//   retires <= now < expires    retiring  published until every token it signed expired
//   expires <= now              expired   removed from the JWKS and the store
//
// expires >= retires + retention (longest token lifetime + leeway + JWKS max-age), which the
// rotation plan (keys/rotation_plan.hpp) maintains.

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "keys/algorithm.hpp"
#include "keys/errc.hpp"
#include "keys/key_ring.hpp"
#include "keys/private_key.hpp"

namespace signet::keys {

struct KeyMetadata {
  std::string kid;  // RFC 7638 thumbprint of the public key
  Algorithm alg;
  TimePoint created;
  TimePoint activates;  // starts signing
  TimePoint retires;    // stops signing
  TimePoint expires;    // may be removed
};

struct StoredKey {
  KeyMetadata metadata;
  PrivateKey key;
};

// `expires` of a key read from a file written before rotation existed (no `retires` line):
// such a key may have signed until the moment it was read, so its end of publication is
// unknown until the rotation plan sets it (retires + retention). 2200-01-01T00:00:00Z: far
// beyond any real time, within system_clock's range (nanoseconds: until 2262).
inline constexpr TimePoint kUnknownExpiry =
    std::chrono::sys_days(std::chrono::year(2200) / 1 / 1);

// The state at `now`; nullopt once the key has expired (it is then no longer published).
std::optional<KeyState> StateAt(const KeyMetadata& metadata, TimePoint now) noexcept;

// The states the issuer acts on, one per key (nullopt: expired): StateAt, except that an
// algorithm with no key active by its times (its successor could not be written in time:
// the store was unreachable, or the lease holder died) keeps signing with its most recently
// retired key that is still published, the rule the rotation plan applies when it can write
// (keys/rotation_plan.hpp). Failing every token request instead would turn a storage outage
// into an issuer outage; that key is published, so its tokens verify everywhere. Used by the
// key manager and by `signet keys list`, so both show the same thing.
std::vector<std::optional<KeyState>> EffectiveStates(std::span<const KeyMetadata> keys,
                                                     TimePoint now);

// The entry for a stored key with its state at `now` (kid from the metadata, checked against
// the key's thumbprint: kKeyFileInvalid). kKeyNotFound when the key has expired at `now`.
[[nodiscard]] Result<KeyEntry> MakeKeyEntry(const StoredKey& stored, TimePoint now);

inline bool IsExpired(const KeyMetadata& metadata, TimePoint now) noexcept {
  return metadata.expires <= now;
}

}  // namespace signet::keys

#pragma once
// What a key rotation must change, as a pure function of the stored key metadata, the
// configured algorithms, the policy and the clock: no I/O, no key generation, so every rule
// of issue 4 is unit-tested with a fake clock (tests/unit/keys/rotation_plan_test.cpp).
//
// For each configured algorithm the plan keeps one chain of keys:
//   - exactly one key signs at `now` (active: activates <= now < retires);
//   - a next key exists from the moment a key becomes active: it activates at the active
//     key's `retires`, and never sooner than publish_ahead after it was generated (the active
//     key's `retires` is pushed back when needed), so it is in the JWKS for at least
//     publish_ahead (>= the JWKS max-age, a config check) before it signs;
//   - each key signs for rotate_every (from its activation to the next one's);
//   - a key that stopped signing stays published until `expires` >= retires + retention
//     (longest token lifetime + leeway + JWKS max-age), then is removed.
// Keys of algorithms no longer configured get no successor; they keep verifying until they
// expire. When no key signs (first start, or the process was down longer than a period), the
// most recently retired unexpired key signs again until a new next key has been published for
// publish_ahead (it was published all along); only when there is none (first start, or
// publish_ahead 0) a key is generated that signs at once.
//
// A forced rotation (`signet keys rotate`) makes the next key active now (active.retires =
// now, next.activates = now, next.retires = now + rotate_every) and plans a new next key; the
// old active key is never revived. Without a next key it generates one that signs at once.
//
// Times are whole seconds (`now` is floored), as the key files store them, so planning again
// with the same inputs after applying the actions gives no actions.

#include <chrono>
#include <span>
#include <variant>
#include <vector>

#include "keys/algorithm.hpp"
#include "keys/errc.hpp"
#include "keys/stored_key.hpp"

namespace signet::keys {

struct RotationPolicy {
  std::chrono::seconds rotate_every{std::chrono::hours(24)};
  std::chrono::seconds publish_ahead{std::chrono::hours(1)};
  // max(access_token_ttl, id_token_ttl) + leeway + JWKS max-age (config/key_timing.hpp).
  std::chrono::seconds retention{std::chrono::hours(1)};
  int rsa_bits = 2048;  // RS256 / PS256 keys generated
  // Added to publish_ahead when a successor is generated (never when an existing key's
  // times are merely read): the time other replicas need to see a new key in the store and
  // publish it (two poll intervals, config/key_timing.hpp), so that publish_ahead holds for
  // the JWKS of every replica, not only for the store.
  std::chrono::seconds propagation{0};
};

// kInvalidRotationPolicy unless rotate_every > 0, 0 <= publish_ahead <= rotate_every and
// retention >= 0.
[[nodiscard]] Result<void> CheckRotationPolicy(const RotationPolicy& policy);

// Generate a key of `alg` with these times (created = the planning time).
struct GenerateKeyAction {
  Algorithm alg;
  TimePoint created;
  TimePoint activates;
  TimePoint retires;
  TimePoint expires;
};

// Store the existing key `metadata.kid` with these (changed) times.
struct UpdateKeyAction {
  KeyMetadata metadata;
};

// Delete this expired key from the store (and so from the JWKS).
struct RemoveKeyAction {
  KeyMetadata metadata;
};

using RotationAction = std::variant<GenerateKeyAction, UpdateKeyAction, RemoveKeyAction>;

// The actions, in an order safe to apply one by one: generations first, then updates, then
// removals (a crash in between leaves more keys published, never fewer). Empty when nothing is
// due. `policy` must pass CheckRotationPolicy.
std::vector<RotationAction> PlanRotation(std::span<const KeyMetadata> keys,
                                         std::span<const Algorithm> algorithms, TimePoint now,
                                         const RotationPolicy& policy, bool force = false);

}  // namespace signet::keys

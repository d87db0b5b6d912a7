#pragma once
// Carries out a rotation plan (keys/rotation_plan.hpp) against a key repository. The caller
// holds the rotation lease (keys/key_repository.hpp), so no other process writes meanwhile.

#include <functional>
#include <span>
#include <vector>

#include "keys/errc.hpp"
#include "keys/key_repository.hpp"
#include "keys/rotation_plan.hpp"
#include "keys/stored_key.hpp"

namespace signet::keys {

// Where the private keys of generated keys come from: PrivateKey::Generate, or a key made
// ahead of time (the key manager keeps one per algorithm so that a rotation does not wait for
// RSA generation while the new next key's publication time runs).
using KeySource = std::function<Result<PrivateKey>(Algorithm)>;

// `current` is what the plan was made from (updates need the private key of their kid:
// kKeyNotFound when it is not there). Generated keys get their RFC 7638 kid. Stops at the
// first failure; the actions are ordered so that a partial application only ever leaves
// more keys published (rotation_plan.hpp), and the next plan completes it.
[[nodiscard]] Result<void> ApplyRotationPlan(KeyRepository& repository,
                                             std::span<const StoredKey> current,
                                             std::span<const RotationAction> actions,
                                             const KeySource& source);

// A new key with the action's times and its RFC 7638 thumbprint as kid (not saved).
[[nodiscard]] Result<StoredKey> MakeStoredKey(const GenerateKeyAction& action, PrivateKey key);

}  // namespace signet::keys

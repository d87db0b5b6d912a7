#include "keys/stored_key.hpp"

namespace signet::keys {

std::optional<KeyState> StateAt(const KeyMetadata& metadata, TimePoint now) noexcept {
  if (now < metadata.activates) return KeyState::kNext;
  if (now < metadata.retires) return KeyState::kActive;
  if (now < metadata.expires) return KeyState::kRetiring;
  return std::nullopt;
}

std::vector<std::optional<KeyState>> EffectiveStates(std::span<const KeyMetadata> keys,
                                                     TimePoint now) {
  std::vector<std::optional<KeyState>> states;
  states.reserve(keys.size());
  for (const KeyMetadata& key : keys) states.push_back(StateAt(key, now));
  for (std::size_t i = 0; i < keys.size(); ++i) {
    bool has_active = false;
    std::optional<std::size_t> latest_retiring;
    for (std::size_t j = 0; j < keys.size(); ++j) {
      if (keys[j].alg != keys[i].alg) continue;
      if (states[j] == KeyState::kActive) has_active = true;
      if (states[j] == KeyState::kRetiring &&
          (!latest_retiring || keys[j].retires > keys[*latest_retiring].retires)) {
        latest_retiring = j;
      }
    }
    if (!has_active && latest_retiring) states[*latest_retiring] = KeyState::kActive;
  }
  return states;
}

Result<KeyEntry> MakeKeyEntry(const StoredKey& stored, TimePoint now) {
  const KeyMetadata& m = stored.metadata;
  const auto state = StateAt(m, now);
  if (!state) return Errc::kKeyNotFound;
  auto entry = MakeKeyEntry(stored.key, *state, m.created, m.activates, m.expires);
  if (!entry) return entry.error();
  if (entry->kid != m.kid) return Errc::kKeyFileInvalid;
  return entry;
}

}  // namespace signet::keys

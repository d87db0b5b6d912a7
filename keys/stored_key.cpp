#include "keys/stored_key.hpp"

namespace signet::keys {

std::optional<KeyState> StateAt(const KeyMetadata& metadata, TimePoint now) noexcept {
  if (now < metadata.activates) return KeyState::kNext;
  if (now < metadata.retires) return KeyState::kActive;
  if (now < metadata.expires) return KeyState::kRetiring;
  return std::nullopt;
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

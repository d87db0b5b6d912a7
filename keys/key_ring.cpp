#include "keys/key_ring.hpp"

#include <array>
#include <set>

#include "keys/jwk_thumbprint.hpp"

namespace signet::keys {
namespace {

constexpr std::array<std::string_view, 3> kStateNames{"next", "active", "retiring"};

}  // namespace

std::string_view KeyStateName(KeyState state) { return kStateNames[static_cast<size_t>(state)]; }

std::optional<KeyState> ParseKeyState(std::string_view name) {
  for (size_t i = 0; i < kStateNames.size(); ++i) {
    if (kStateNames[i] == name) return static_cast<KeyState>(i);
  }
  return std::nullopt;
}

Result<KeyEntry> MakeKeyEntry(PrivateKey key, KeyState state, TimePoint created,
                              TimePoint activates, TimePoint expires) {
  auto members = ExportPublicMembers(key.public_key());
  if (!members) return members.error();
  std::string kid = Rfc7638Thumbprint(*members);  // RFC 7638 §1: a stable key identifier
  auto verifier = Verifier::Create(key.public_key(), kid);
  if (!verifier) return verifier.error();
  const Algorithm alg = key.algorithm();
  auto signer = Signer::Create(std::move(key), kid);
  if (!signer) return signer.error();
  return KeyEntry{std::move(kid),
                  alg,
                  state,
                  created,
                  activates,
                  expires,
                  std::make_shared<const Signer>(std::move(*signer)),
                  std::move(*verifier)};
}

Result<std::shared_ptr<const KeySetSnapshot>> KeySetSnapshot::Create(
    std::vector<KeyEntry> entries) {
  std::set<std::string_view> kids;
  std::vector<Verifier> verifiers;
  verifiers.reserve(entries.size());
  for (const KeyEntry& entry : entries) {
    // RFC 7517 §4.5: kids must tell keys apart within a set.
    if (!kids.insert(entry.kid).second) return Errc::kDuplicateKid;
    verifiers.push_back(entry.verifier);
  }
  return std::shared_ptr<const KeySetSnapshot>(
      new KeySetSnapshot(std::move(entries), std::move(verifiers)));
}

const Signer* KeySetSnapshot::ActiveSigner(Algorithm alg) const noexcept {
  const KeyEntry* best = nullptr;
  for (const KeyEntry& entry : entries_) {
    if (entry.alg != alg || entry.state != KeyState::kActive || !entry.signer) continue;
    if (best == nullptr || entry.activates > best->activates) best = &entry;
  }
  return best != nullptr ? best->signer.get() : nullptr;
}

const KeyEntry* KeySetSnapshot::Find(std::string_view kid) const noexcept {
  for (const KeyEntry& entry : entries_) {
    if (entry.kid == kid) return &entry;
  }
  return nullptr;
}

const Verifier* KeySetSnapshot::FindVerifier(std::string_view kid) const noexcept {
  for (const Verifier& verifier : verifiers_) {
    if (verifier.kid() == kid) return &verifier;
  }
  return nullptr;
}

KeyRing::KeyRing() : current_(*KeySetSnapshot::Create({})) {}

std::shared_ptr<const KeySetSnapshot> KeyRing::Snapshot() const {
  return current_.load(std::memory_order_acquire);
}

Result<void> KeyRing::Replace(std::vector<KeyEntry> entries) {
  auto snapshot = KeySetSnapshot::Create(std::move(entries));
  if (!snapshot) return snapshot.error();
  current_.store(std::move(*snapshot), std::memory_order_release);
  return {};
}

}  // namespace signet::keys

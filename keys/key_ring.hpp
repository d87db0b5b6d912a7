#pragma once
// The issuer's signing and verification keys, swapped atomically as a whole.
//
// A KeySetSnapshot is immutable: every request thread takes one with KeyRing::Snapshot()
// (a shared_ptr copy) and uses it for the whole request, so a concurrent Replace (start-up,
// rotation) never frees a key in use and never shows a half-updated set.
//
// Each entry carries its lifecycle state and times so that rotation fits without changing
// readers: a `next` key is published ahead of use, the `active` key signs, a `retiring` key
// still verifies tokens it signed until they expire (RFC 7517 §5 publishes all of them).
//
// Usage:
//   keys::KeyRing ring;
//   ring.Replace(std::move(entries));          // entries from KeyManager::Tick (key_manager.hpp)
//   auto snapshot = ring.Snapshot();
//   const keys::Signer* signer = snapshot->ActiveSigner(keys::Algorithm::kEs256);
//   jwks::BuildJwksDocument(snapshot->Verifiers());

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keys/algorithm.hpp"
#include "keys/errc.hpp"
#include "keys/signer.hpp"
#include "keys/verifier.hpp"

namespace signet::keys {

using TimePoint = std::chrono::system_clock::time_point;

enum class KeyState {
  kNext,      // published, not yet signing
  kActive,    // signs new tokens
  kRetiring,  // no longer signs; published until the tokens it signed have expired
};

// "next", "active", "retiring" (the names `signet keys list` prints).
std::string_view KeyStateName(KeyState state);
std::optional<KeyState> ParseKeyState(std::string_view name);

struct KeyEntry {
  std::string kid;  // RFC 7638 thumbprint of the public key
  Algorithm alg;
  KeyState state;
  TimePoint created;
  TimePoint activates;
  TimePoint expires;
  std::shared_ptr<const Signer> signer;  // null for keys held only as public keys
  Verifier verifier;
};

// Builds the entry for a private key we hold: kid = RFC 7638 thumbprint, Signer + Verifier.
[[nodiscard]] Result<KeyEntry> MakeKeyEntry(PrivateKey key, KeyState state, TimePoint created,
                                            TimePoint activates, TimePoint expires);

class KeySetSnapshot {
 public:
  // kDuplicateKid when two entries share a kid.
  [[nodiscard]] static Result<std::shared_ptr<const KeySetSnapshot>> Create(
      std::vector<KeyEntry> entries);

  // The signer for new tokens of `alg`: among active entries with a signer, the one that
  // activated last. nullptr when there is none. Valid while this snapshot lives.
  const Signer* ActiveSigner(Algorithm alg) const noexcept;
  // Every key to publish in the JWKS (all states), in entry order.
  std::span<const Verifier> Verifiers() const noexcept { return verifiers_; }
  const Verifier* FindVerifier(std::string_view kid) const noexcept;
  const KeyEntry* Find(std::string_view kid) const noexcept;
  std::span<const KeyEntry> entries() const noexcept { return entries_; }

 private:
  KeySetSnapshot(std::vector<KeyEntry> entries, std::vector<Verifier> verifiers)
      : entries_(std::move(entries)), verifiers_(std::move(verifiers)) {}

  std::vector<KeyEntry> entries_;
  std::vector<Verifier> verifiers_;  // copies of entries_[i].verifier, for span access
};

class KeyRing {
 public:
  KeyRing();  // starts with an empty snapshot
  KeyRing(const KeyRing&) = delete;
  KeyRing& operator=(const KeyRing&) = delete;

  // Thread-safe and cheap: one atomic shared_ptr copy (std::atomic<std::shared_ptr>).
  std::shared_ptr<const KeySetSnapshot> Snapshot() const;

  // Validates and publishes a new key set; readers see either the old or the new one.
  [[nodiscard]] Result<void> Replace(std::vector<KeyEntry> entries);

 private:
  std::atomic<std::shared_ptr<const KeySetSnapshot>> current_;
};

}  // namespace signet::keys

#pragma once
// Keeps a process's view of the key ring in step with the key store, and rotates keys when
// they are due (issue 4). The same class serves the server (Tick, from a background thread)
// and the CLI (`signet keys list` -> List, `signet keys rotate` -> ForceRotate), on the same
// KeyRepository (FileKeyStore, or the Redis repository in store/) and RotationLease.
//
// Tick(now), every poll interval:
//   1. reloads the keys when the repository's Revision() changed (another replica's rotation,
//      `signet keys rotate`);
//   2. plans (keys/rotation_plan.hpp); only when something is due (or keys must be re-saved
//      encrypted) it takes the rotation lease, reloads and plans again under it (another
//      replica may have just done the work), applies the plan, reloads and releases the lease
//      (so a CLI rotation never waits for a server, and the lease only covers writes);
//   3. returns the entries of every unexpired key with its state at `now` when anything a
//      reader sees changed since the last returned set (a new key, or simply a key's time to
//      activate or retire), nullopt otherwise. The first successful Tick always returns.
// A replica that does not get the lease returns what it has and sees the other's work on a
// later tick. Failures (Redis down, wrong KEK) leave the last returned set valid; see
// LastErrorDetail() for the operator-facing detail.
//
// Not thread-safe: one thread at a time (the key maintenance thread, or the CLI). Every
// repository and lease call may block.
//
// Usage (file store, KEK optional):
//   auto kek = keys::Kek::FromFile(cfg.keys.encryption_key_file);            // if configured
//   auto store = keys::FileKeyStore::Open(cfg.keys.dir, std::move(*kek));
//   auto lease = keys::FileRotationLease::Open(cfg.keys.dir);
//   auto manager = keys::KeyManager::Create(*store, *lease, cfg.keys.algorithms,
//                                           config::RotationPolicyFor(cfg));
//   auto entries = (*manager)->Tick(std::chrono::system_clock::now());   // -> KeyRing::Replace

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keys/algorithm.hpp"
#include "keys/errc.hpp"
#include "keys/key_repository.hpp"
#include "keys/key_ring.hpp"
#include "keys/private_key.hpp"
#include "keys/rotation_apply.hpp"
#include "keys/rotation_plan.hpp"
#include "keys/stored_key.hpp"

namespace signet::keys {

struct KeyManagerOptions {
  // TTL asked of the lease while writing; a few poll intervals (a holder that dies mid-write
  // blocks others at most this long).
  std::chrono::milliseconds lease_ttl{std::chrono::seconds(10)};
  // ForceRotate waits up to this long for a lease held by another process, retrying every
  // force_retry, then fails with kLeaseHeld.
  std::chrono::milliseconds force_wait{std::chrono::seconds(5)};
  std::chrono::milliseconds force_retry{std::chrono::milliseconds(200)};
  // How ForceRotate waits between retries (tests inject a fake; default: sleep_for).
  std::function<void(std::chrono::milliseconds)> sleep = nullptr;
  // Generate one private key per configured algorithm ahead of need, on a tick with nothing
  // else to do, so that the tick that must create a new next key does not spend an RSA
  // generation (up to a second under load) of that key's publication time before publishing.
  bool keep_spare_keys = true;
  // Makes private keys (tests count calls; default: PrivateKey::Generate with rsa_bits).
  KeySource generate_key = nullptr;
};

class KeyManager {
 public:
  // kInvalidRotationPolicy (CheckRotationPolicy), kUnsupportedAlgorithm when `algorithms` is
  // empty. The repository and lease must outlive the manager.
  [[nodiscard]] static Result<std::unique_ptr<KeyManager>> Create(
      KeyRepository& repository, RotationLease& lease, std::vector<Algorithm> algorithms,
      RotationPolicy policy, KeyManagerOptions options = {});
  KeyManager(const KeyManager&) = delete;
  KeyManager& operator=(const KeyManager&) = delete;

  // See above. The entries are for KeyRing::Replace (and the JWKS).
  [[nodiscard]] Result<std::optional<std::vector<KeyEntry>>> Tick(TimePoint now);

  // `signet keys rotate`: under the lease (waiting up to force_wait, else kLeaseHeld), the
  // next key of every configured algorithm becomes active now and a new next key is made.
  // Every replica picks it up on its next Tick.
  [[nodiscard]] Result<void> ForceRotate(TimePoint now);

  // The stored keys' metadata (freshly loaded), by algorithm then activation. The state of
  // each is StateAt(metadata, now).
  [[nodiscard]] Result<std::vector<KeyMetadata>> List();

  // Gives the lease up if held (shutdown). Tick releases it after each write anyway.
  void ReleaseLease();

  // The first instant after `now` at which a loaded key changes state (activates, retires,
  // expires), or nullopt. A poller may wake then instead of at its next interval, so that a
  // rotation (and the generation of the following next key) starts on time.
  std::optional<TimePoint> NextChange(TimePoint now) const;

  // "keys.dir ./var/keys", "redis 127.0.0.1:6379/0": the repository, for messages.
  std::string Describe() const { return repository_.Describe(); }
  // After a failure: the repository's detail ("file X: key K was encrypted with KEK id A, the
  // configured KEK has id B"), or "" when there is none. Never secret.
  std::string LastErrorDetail() const { return repository_.LastErrorDetail(); }
  // Things worth one info log line each since the last call ("re-wrote key K encrypted",
  // "generated an ES256 key activating at T", "removed expired key K"), then cleared.
  std::vector<std::string> TakeNotices();

 private:
  KeyManager(KeyRepository& repository, RotationLease& lease, std::vector<Algorithm> algorithms,
             RotationPolicy policy, KeyManagerOptions options);

  [[nodiscard]] Result<void> Reload();
  [[nodiscard]] Result<void> ReloadIfChanged();
  [[nodiscard]] Result<void> RotateUnderLease(TimePoint now, bool force);
  [[nodiscard]] Result<void> RewriteOutdated(const std::vector<RotationAction>& actions);
  std::vector<RotationAction> Plan(TimePoint now, bool force) const;
  [[nodiscard]] Result<PrivateKey> TakeKey(Algorithm alg);
  void RefillSpareKeys();
  [[nodiscard]] Result<std::optional<std::vector<KeyEntry>>> EntriesIfChanged(TimePoint now);

  KeyRepository& repository_;
  RotationLease& lease_;
  const std::vector<Algorithm> algorithms_;
  const RotationPolicy policy_;
  KeyManagerOptions options_;

  std::optional<std::string> revision_;  // of keys_; nullopt before the first load
  std::vector<StoredKey> keys_;
  std::optional<std::string> returned_;  // fingerprint of the last set Tick returned
  std::vector<std::string> notices_;
  std::map<Algorithm, PrivateKey> spare_keys_;  // generated ahead, not stored anywhere
};

}  // namespace signet::keys

#pragma once
// Where the key ring is kept, seen by the rotation logic (keys/key_manager.hpp) without
// knowing whether it is a directory (FileKeyStore, single node) or Redis (store/, every
// replica). Both hold the same serialised form of a key (keys/key_codec.hpp: metadata plus
// the private key, encrypted with the KEK when one is configured).
//
// A RotationLease makes sure that at most one process changes the ring at a time (the
// replica that holds it generates, promotes and removes keys; the others only read). It is
// a lease with an expiry, not a lock: a process that dies stops renewing it and another
// takes over after the TTL.
//
// Implementations are used from one thread at a time (the key manager's background thread,
// or the CLI); they may block on I/O, and must therefore never run on an I/O thread.

#include <chrono>
#include <string>
#include <vector>

#include "keys/errc.hpp"
#include "keys/stored_key.hpp"

namespace signet::keys {

class KeyRepository {
 public:
  virtual ~KeyRepository() = default;

  // Every stored key, private keys decrypted. Fails (and names nothing secret) when a key
  // cannot be read or decrypted, e.g. with the wrong KEK.
  [[nodiscard]] virtual Result<std::vector<StoredKey>> LoadAll() = 0;
  // Adds a key or replaces the key with the same kid (metadata changes on rotation).
  [[nodiscard]] virtual Result<void> Save(const StoredKey& key) = 0;
  // Deletes a key; a missing key is not an error.
  [[nodiscard]] virtual Result<void> Remove(const KeyMetadata& metadata) = 0;
  // A token that changes whenever the stored set changes, so that pollers reload only on a
  // change (a counter in Redis; names, sizes and mtimes of a directory).
  [[nodiscard]] virtual Result<std::string> Revision() = 0;
  // For messages: "keys.dir ./var/keys", "redis 127.0.0.1:6379/0" (never a password).
  virtual std::string Describe() const = 0;

  // Optional extensions (defaults keep simple implementations short):
  // After a failed call, a sentence that helps the operator beyond the Errc message, e.g.
  // "key <kid> was encrypted with KEK id A, the configured KEK has id B" or the bad file's
  // name. Never secret. "" when there is nothing to add.
  virtual std::string LastErrorDetail() const { return {}; }
  // Kids that the last LoadAll found in an outdated form (a clear private key while a KEK is
  // configured: DecodeDetail::stored_in_clear). The key manager re-saves them under the
  // rotation lease, which writes the current (encrypted) form.
  virtual std::vector<std::string> KidsToRewrite() const { return {}; }
};

class RotationLease {
 public:
  virtual ~RotationLease() = default;

  // Takes the lease, or renews it when this process already holds it, for `ttl`. true when
  // this process holds it afterwards; false when another holder's lease has not expired.
  [[nodiscard]] virtual Result<bool> TryAcquire(std::chrono::milliseconds ttl) = 0;
  // Gives the lease up when this process holds it (and only then: another holder's lease is
  // never touched). The key manager takes the lease only to write and releases it right after
  // each write (so `signet keys rotate` never waits for a running server), and at shutdown.
  virtual void Release() = 0;
};

}  // namespace signet::keys

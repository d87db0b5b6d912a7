#include "keys/key_manager.hpp"

#include <algorithm>
#include <optional>
#include <thread>
#include <variant>

#include "keys/internal/key_file_format.hpp"
#include "keys/rotation_apply.hpp"

namespace signet::keys {
namespace {

// Releases a lease on every exit path of a write.
class LeaseGuard {
 public:
  explicit LeaseGuard(RotationLease& lease) : lease_(lease) {}
  LeaseGuard(const LeaseGuard&) = delete;
  LeaseGuard& operator=(const LeaseGuard&) = delete;
  ~LeaseGuard() { lease_.Release(); }

 private:
  RotationLease& lease_;
};

std::string Notice(const RotationAction& action) {
  if (const auto* g = std::get_if<GenerateKeyAction>(&action)) {
    const std::string name(JwaName(g->alg));
    const std::string article = name.starts_with('P') ? "a " : "an ";  // "an RS256", "a PS256"
    return "generated " + article + name + " key that signs from " +
           internal::FormatUtc(g->activates);
  }
  if (const auto* u = std::get_if<UpdateKeyAction>(&action)) {
    return "key " + u->metadata.kid + " signs from " + internal::FormatUtc(u->metadata.activates) +
           " until " + internal::FormatUtc(u->metadata.retires) + ", published until " +
           internal::FormatUtc(u->metadata.expires);
  }
  const auto& r = std::get<RemoveKeyAction>(action);
  return "removed expired key " + r.metadata.kid;
}

}  // namespace

Result<std::unique_ptr<KeyManager>> KeyManager::Create(KeyRepository& repository,
                                                       RotationLease& lease,
                                                       std::vector<Algorithm> algorithms,
                                                       RotationPolicy policy,
                                                       KeyManagerOptions options) {
  if (auto ok = CheckRotationPolicy(policy); !ok) return ok.error();
  if (algorithms.empty()) return Errc::kUnsupportedAlgorithm;
  if (!options.sleep) {
    options.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  }
  if (!options.generate_key) {
    options.generate_key = [bits = policy.rsa_bits](Algorithm alg) {
      return PrivateKey::Generate(alg, bits);
    };
  }
  return std::unique_ptr<KeyManager>(new KeyManager(repository, lease, std::move(algorithms),
                                                    policy, std::move(options)));
}

KeyManager::KeyManager(KeyRepository& repository, RotationLease& lease,
                       std::vector<Algorithm> algorithms, RotationPolicy policy,
                       KeyManagerOptions options)
    : repository_(repository),
      lease_(lease),
      algorithms_(std::move(algorithms)),
      policy_(policy),
      options_(std::move(options)) {}

Result<void> KeyManager::Reload() {
  // The revision first: a change between the two calls only causes one extra reload.
  auto revision = repository_.Revision();
  if (!revision) return revision.error();
  auto loaded = repository_.LoadAll();
  if (!loaded) return loaded.error();
  keys_ = std::move(*loaded);
  revision_ = std::move(*revision);
  return {};
}

Result<void> KeyManager::ReloadIfChanged() {
  auto revision = repository_.Revision();
  if (!revision) return revision.error();
  if (revision_ && *revision_ == *revision) return {};
  return Reload();
}

std::vector<RotationAction> KeyManager::Plan(TimePoint now, bool force) const {
  std::vector<KeyMetadata> metadata;
  metadata.reserve(keys_.size());
  for (const StoredKey& k : keys_) metadata.push_back(k.metadata);
  return PlanRotation(metadata, algorithms_, now, policy_, force);
}

Result<void> KeyManager::RewriteOutdated(const std::vector<RotationAction>& actions) {
  for (const std::string& kid : repository_.KidsToRewrite()) {
    const bool planned = std::any_of(actions.begin(), actions.end(), [&](const auto& a) {
      const auto* u = std::get_if<UpdateKeyAction>(&a);
      const auto* r = std::get_if<RemoveKeyAction>(&a);
      return (u != nullptr && u->metadata.kid == kid) || (r != nullptr && r->metadata.kid == kid);
    });
    if (planned) continue;  // the plan writes (or removes) it anyway
    const auto it = std::find_if(keys_.begin(), keys_.end(),
                                 [&](const StoredKey& k) { return k.metadata.kid == kid; });
    if (it == keys_.end()) continue;
    if (auto ok = repository_.Save(*it); !ok) return ok.error();
    notices_.push_back("re-wrote key " + kid + ", stored in clear text, encrypted with the KEK");
  }
  return {};
}

Result<void> KeyManager::RotateUnderLease(TimePoint now, bool force) {
  LeaseGuard release(lease_);
  // Another process may have written just before we got the lease: plan from fresh data.
  if (auto ok = Reload(); !ok) return ok.error();
  const auto actions = Plan(now, force);
  if (auto ok = RewriteOutdated(actions); !ok) return ok.error();
  const KeySource source = [this](Algorithm alg) { return TakeKey(alg); };
  if (auto ok = ApplyRotationPlan(repository_, keys_, actions, source); !ok) {
    return ok.error();
  }
  for (const RotationAction& action : actions) notices_.push_back(Notice(action));
  return Reload();
}

Result<PrivateKey> KeyManager::TakeKey(Algorithm alg) {
  if (auto spare = spare_keys_.extract(alg)) return std::move(spare.mapped());
  return options_.generate_key(alg);
}

void KeyManager::RefillSpareKeys() {
  if (!options_.keep_spare_keys) return;
  for (const Algorithm alg : algorithms_) {
    if (spare_keys_.contains(alg)) continue;
    // A failure here costs nothing: the key is generated when needed instead.
    if (auto key = options_.generate_key(alg)) {
      spare_keys_.emplace(alg, std::move(*key));
    }
  }
}

Result<std::optional<std::vector<KeyEntry>>> KeyManager::Tick(TimePoint now) {
  if (auto ok = ReloadIfChanged(); !ok) return ok.error();
  if (!Plan(now, false).empty() || !repository_.KidsToRewrite().empty()) {
    auto held = lease_.TryAcquire(options_.lease_ttl);
    if (!held) return held.error();
    if (*held) {
      if (auto ok = RotateUnderLease(now, false); !ok) return ok.error();
    }
  } else {
    RefillSpareKeys();  // nothing due: the time is free
  }
  return EntriesIfChanged(now);
}

std::optional<TimePoint> KeyManager::NextChange(TimePoint now) const {
  std::optional<TimePoint> next;
  for (const StoredKey& k : keys_) {
    for (const TimePoint t : {k.metadata.activates, k.metadata.retires, k.metadata.expires}) {
      if (t > now && (!next || t < *next)) next = t;
    }
  }
  return next;
}

Result<void> KeyManager::ForceRotate(TimePoint now) {
  auto waited = std::chrono::milliseconds(0);
  for (;;) {
    auto held = lease_.TryAcquire(options_.lease_ttl);
    if (!held) return held.error();
    if (*held) break;
    if (waited >= options_.force_wait) return Errc::kLeaseHeld;
    options_.sleep(options_.force_retry);
    waited += options_.force_retry;
  }
  // The rotation happens now, not when it was asked for: the active key signed meanwhile.
  return RotateUnderLease(now + waited, true);
}

Result<std::vector<KeyMetadata>> KeyManager::List() {
  if (auto ok = Reload(); !ok) return ok.error();
  std::vector<KeyMetadata> out;
  out.reserve(keys_.size());
  for (const StoredKey& k : keys_) out.push_back(k.metadata);
  std::sort(out.begin(), out.end(), [](const KeyMetadata& a, const KeyMetadata& b) {
    if (a.alg != b.alg) return a.alg < b.alg;
    if (a.activates != b.activates) return a.activates < b.activates;
    return a.kid < b.kid;
  });
  return out;
}

Result<std::optional<std::vector<KeyEntry>>> KeyManager::EntriesIfChanged(TimePoint now) {
  std::vector<const StoredKey*> visible;
  for (const StoredKey& k : keys_) {
    // Expired keys are no longer published, whether or not they are removed yet.
    if (StateAt(k.metadata, now)) visible.push_back(&k);
  }
  // One order on every replica, whatever order the repository lists keys in, so that equal
  // key sets give byte-equal JWKS documents (and ETags).
  std::sort(visible.begin(), visible.end(), [](const StoredKey* a, const StoredKey* b) {
    if (a->metadata.alg != b->metadata.alg) return a->metadata.alg < b->metadata.alg;
    if (a->metadata.activates != b->metadata.activates) {
      return a->metadata.activates < b->metadata.activates;
    }
    return a->metadata.kid < b->metadata.kid;
  });
  std::vector<KeyMetadata> metadata;
  metadata.reserve(visible.size());
  for (const StoredKey* k : visible) metadata.push_back(k->metadata);
  std::vector<KeyState> states;
  states.reserve(visible.size());
  for (const auto& state : EffectiveStates(metadata, now)) states.push_back(*state);

  std::string fingerprint;
  for (std::size_t i = 0; i < visible.size(); ++i) {
    const KeyMetadata& m = visible[i]->metadata;
    fingerprint += m.kid + ' ' + std::string(KeyStateName(states[i])) + ' ' +
                   internal::FormatUtc(m.activates) + ' ' + internal::FormatUtc(m.expires) + '\n';
  }
  if (returned_ && *returned_ == fingerprint) return std::optional<std::vector<KeyEntry>>();
  std::vector<KeyEntry> entries;
  entries.reserve(visible.size());
  for (std::size_t i = 0; i < visible.size(); ++i) {
    const KeyMetadata& m = visible[i]->metadata;
    auto entry = MakeKeyEntry(visible[i]->key, states[i], m.created, m.activates, m.expires);
    if (!entry) return entry.error();
    if (entry->kid != m.kid) return Errc::kKeyFileInvalid;
    entries.push_back(std::move(*entry));
  }
  returned_ = std::move(fingerprint);
  return std::optional<std::vector<KeyEntry>>(std::move(entries));
}

std::vector<std::string> KeyManager::TakeNotices() { return std::exchange(notices_, {}); }

void KeyManager::ReleaseLease() { lease_.Release(); }

}  // namespace signet::keys

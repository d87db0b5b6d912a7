#include "keys/rotation_plan.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <string>

namespace signet::keys {
namespace {

using std::chrono::seconds;

// One key during planning: a stored key (maybe with changed times) or one to generate.
struct Slot {
  KeyMetadata metadata;
  KeyMetadata original;
  bool generated = false;
  bool retimed = false;  // `retires` changed: `expires` follows it exactly
};

class AlgorithmPlanner {
 public:
  AlgorithmPlanner(std::vector<Slot>& slots, Algorithm alg, TimePoint now,
                   const RotationPolicy& policy)
      : slots_(slots), alg_(alg), now_(now), policy_(policy) {}

  void Plan(bool force) {
    CollectLive();
    if (force) ForceRotation();
    ChainLiveKeys();
    if (live_.empty() || At(live_.front()).activates > now_) EnsureSigner(!force);
    if (live_.size() == 1) AddSuccessor();
  }

 private:
  KeyMetadata& At(std::size_t i) { return slots_[i].metadata; }

  // Keys that sign now or will: active and next, ordered by activation.
  void CollectLive() {
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      if (At(i).alg == alg_ && At(i).retires > now_) live_.push_back(i);
    }
    std::sort(live_.begin(), live_.end(), [this](std::size_t a, std::size_t b) {
      if (At(a).activates != At(b).activates) return At(a).activates < At(b).activates;
      return At(a).kid < At(b).kid;
    });
  }

  // Times never go before the key's earlier times, even if this clock is behind the one of
  // the replica that wrote them (the file format requires created <= activates <= retires).
  void SetRetires(std::size_t i, TimePoint t) {
    t = std::max(t, At(i).activates);
    if (At(i).retires == t) return;
    At(i).retires = t;
    slots_[i].retimed = true;
  }
  void SetActivates(std::size_t i, TimePoint t) {
    t = std::max(t, At(i).created);
    At(i).activates = t;
    if (At(i).retires < t) SetRetires(i, t);
  }

  // active.retires = now; next.activates = now, next.retires = now + rotate_every.
  void ForceRotation() {
    for (auto it = live_.rbegin(); it != live_.rend(); ++it) {
      if (At(*it).activates > now_) continue;
      SetRetires(*it, now_);
      live_.erase(std::next(it).base());
      break;
    }
    if (!live_.empty()) {
      SetActivates(live_.front(), now_);
      SetRetires(live_.front(), now_ + policy_.rotate_every);
    }
  }

  // Each key signs until the following one starts: never two active keys at one instant.
  void ChainLiveKeys() {
    for (std::size_t k = 0; k + 1 < live_.size(); ++k) {
      SetRetires(live_[k], At(live_[k + 1]).activates);
    }
    std::erase_if(live_, [this](std::size_t i) { return At(i).retires <= now_; });
  }

  // The most recently retired key of this algorithm that is still published.
  std::optional<std::size_t> Revivable() {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      const KeyMetadata& m = At(i);
      if (m.alg != alg_ || m.retires > now_ || m.expires <= now_ || slots_[i].generated) continue;
      if (!best || m.retires > At(*best).retires) best = i;
    }
    return best;
  }

  // Nothing signs at `now`: let a published key sign rather than one nobody has seen.
  void EnsureSigner(bool allow_revival) {
    const auto revived = allow_revival ? Revivable() : std::nullopt;
    if (revived && (!live_.empty() || policy_.publish_ahead > seconds(0))) {
      SetRetires(*revived, live_.empty() ? now_ + policy_.publish_ahead + policy_.propagation
                                         : At(live_.front()).activates);
      live_.insert(live_.begin(), *revived);
      return;
    }
    if (!live_.empty()) {
      SetActivates(live_.front(), now_);
      return;
    }
    live_.push_back(Generate(now_));
  }

  // The next key, in the JWKS for at least publish_ahead before it signs.
  void AddSuccessor() {
    const std::size_t active = live_.front();
    const TimePoint start =
        std::max(At(active).retires, now_ + policy_.publish_ahead + policy_.propagation);
    SetRetires(active, start);
    live_.push_back(Generate(start));
  }

  std::size_t Generate(TimePoint activates) {
    Slot slot;
    slot.metadata = KeyMetadata{"", alg_, now_, activates, activates + policy_.rotate_every,
                                activates + policy_.rotate_every + policy_.retention};
    slot.generated = true;
    slots_.push_back(std::move(slot));
    return slots_.size() - 1;
  }

  std::vector<Slot>& slots_;
  const Algorithm alg_;
  const TimePoint now_;
  const RotationPolicy& policy_;
  std::vector<std::size_t> live_;  // indices into slots_
};

bool SameTimes(const KeyMetadata& a, const KeyMetadata& b) {
  return a.created == b.created && a.activates == b.activates && a.retires == b.retires &&
         a.expires == b.expires;
}

}  // namespace

Result<void> CheckRotationPolicy(const RotationPolicy& policy) {
  if (policy.rotate_every <= seconds(0) || policy.publish_ahead < seconds(0) ||
      policy.publish_ahead > policy.rotate_every || policy.retention < seconds(0)) {
    return Errc::kInvalidRotationPolicy;
  }
  return {};
}

std::vector<RotationAction> PlanRotation(std::span<const KeyMetadata> keys,
                                         std::span<const Algorithm> algorithms, TimePoint now,
                                         const RotationPolicy& policy, bool force) {
  const TimePoint whole_now = std::chrono::floor<seconds>(now);  // the stored precision
  std::vector<Slot> slots;
  slots.reserve(keys.size() + 2 * algorithms.size());
  for (const KeyMetadata& m : keys) slots.push_back(Slot{m, m});
  std::set<Algorithm> planned;
  for (const Algorithm alg : algorithms) {
    if (!planned.insert(alg).second) continue;
    AlgorithmPlanner(slots, alg, whole_now, policy).Plan(force);
  }
  // Published until every token signed before `retires` has expired.
  for (Slot& slot : slots) {
    const TimePoint keep_until = slot.metadata.retires + policy.retention;
    const bool unknown = slot.metadata.expires == kUnknownExpiry;  // a pre-rotation file
    slot.metadata.expires = slot.retimed || unknown
                                ? keep_until
                                : std::max(slot.metadata.expires, keep_until);
  }
  std::vector<RotationAction> generate, update, remove;
  for (const Slot& slot : slots) {
    const KeyMetadata& m = slot.metadata;
    if (slot.generated) {
      generate.push_back(GenerateKeyAction{m.alg, m.created, m.activates, m.retires, m.expires});
    } else if (IsExpired(m, whole_now)) {
      remove.push_back(RemoveKeyAction{slot.original});
    } else if (!SameTimes(m, slot.original)) {
      update.push_back(UpdateKeyAction{m});
    }
  }
  std::vector<RotationAction> actions = std::move(generate);
  actions.insert(actions.end(), update.begin(), update.end());
  actions.insert(actions.end(), remove.begin(), remove.end());
  return actions;
}

}  // namespace signet::keys

#include "keys/rotation_plan.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <variant>

#include <gtest/gtest.h>

namespace signet::keys {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kStart = TimePoint(seconds(1'800'000'000));
constexpr std::array<Algorithm, 2> kAlgorithms{Algorithm::kEs256, Algorithm::kRs256};

RotationPolicy Policy() {
  RotationPolicy policy;
  policy.rotate_every = hours(1);
  policy.publish_ahead = minutes(30);
  policy.retention = minutes(20);
  return policy;
}

// A key store of metadata only, with a fake clock: applies plans the way the key manager
// does and records what the invariants need.
class Store {
 public:
  std::vector<RotationAction> Plan(TimePoint now, std::span<const Algorithm> algs,
                                   const RotationPolicy& policy, bool force = false) const {
    return PlanRotation(keys_, algs, now, policy, force);
  }

  void Apply(const std::vector<RotationAction>& actions, TimePoint now) {
    for (const RotationAction& action : actions) {
      if (const auto* g = std::get_if<GenerateKeyAction>(&action)) {
        keys_.push_back(KeyMetadata{"k" + std::to_string(next_id_++), g->alg, g->created,
                                    g->activates, g->retires, g->expires});
      } else if (const auto* u = std::get_if<UpdateKeyAction>(&action)) {
        *Find(u->metadata.kid) = u->metadata;
      } else {
        const auto& r = std::get<RemoveKeyAction>(action);
        removed_at_[r.metadata.kid] = now;
        removed_[r.metadata.kid] = *Find(r.metadata.kid);
        std::erase_if(keys_, [&](const KeyMetadata& m) { return m.kid == r.metadata.kid; });
      }
    }
  }

  // Plans and applies; returns the actions.
  std::vector<RotationAction> Tick(TimePoint now, std::span<const Algorithm> algs = kAlgorithms,
                                   const RotationPolicy& policy = Policy(), bool force = false) {
    auto actions = Plan(now, algs, policy, force);
    Apply(actions, now);
    return actions;
  }

  std::vector<const KeyMetadata*> InState(Algorithm alg, KeyState state, TimePoint t) const {
    std::vector<const KeyMetadata*> out;
    for (const KeyMetadata& m : keys_) {
      if (m.alg == alg && StateAt(m, t) == state) out.push_back(&m);
    }
    return out;
  }

  KeyMetadata* Find(const std::string& kid) {
    auto it = std::find_if(keys_.begin(), keys_.end(),
                           [&](const KeyMetadata& m) { return m.kid == kid; });
    return it == keys_.end() ? nullptr : &*it;
  }

  std::vector<KeyMetadata> keys_;
  std::map<std::string, TimePoint> removed_at_;
  std::map<std::string, KeyMetadata> removed_;
  int next_id_ = 0;
};

template <class T>
std::size_t Count(const std::vector<RotationAction>& actions) {
  return static_cast<std::size_t>(std::count_if(
      actions.begin(), actions.end(), [](const auto& a) { return std::holds_alternative<T>(a); }));
}

TEST(RotationPlan, EmptyStore_GeneratesActiveNowAndNextAtItsRetirement) {
  Store store;
  const auto actions = store.Tick(kStart);
  EXPECT_EQ(Count<GenerateKeyAction>(actions), 4u);
  for (const Algorithm alg : kAlgorithms) {
    const auto active = store.InState(alg, KeyState::kActive, kStart);
    const auto next = store.InState(alg, KeyState::kNext, kStart);
    ASSERT_EQ(active.size(), 1u);
    ASSERT_EQ(next.size(), 1u);
    EXPECT_EQ(active[0]->activates, kStart);
    EXPECT_EQ(active[0]->retires, kStart + hours(1));
    EXPECT_EQ(active[0]->expires, kStart + hours(1) + minutes(20));
    EXPECT_EQ(next[0]->activates, active[0]->retires);
    EXPECT_EQ(next[0]->retires, next[0]->activates + hours(1));
  }
}

TEST(RotationPlan, PlanningAgainAfterApplying_GivesNoActions) {
  Store store;
  store.Tick(kStart);
  EXPECT_TRUE(store.Plan(kStart, kAlgorithms, Policy()).empty());
  EXPECT_TRUE(store.Plan(kStart + minutes(59), kAlgorithms, Policy()).empty());
}

TEST(RotationPlan, SubSecondClock_IsFlooredToTheStoredPrecision) {
  Store store;
  store.Tick(kStart + milliseconds(999));
  for (const KeyMetadata& m : store.keys_) EXPECT_EQ(m.created, kStart);
  EXPECT_TRUE(store.Plan(kStart + milliseconds(500), kAlgorithms, Policy()).empty());
}

TEST(RotationPlan, AtRetirement_NextBecomesActiveAndANewNextIsPlanned) {
  Store store;
  store.Tick(kStart);
  const std::string first_next = store.InState(Algorithm::kEs256, KeyState::kNext, kStart)[0]->kid;
  const TimePoint rotation = kStart + hours(1);
  const auto actions = store.Tick(rotation);
  EXPECT_EQ(Count<GenerateKeyAction>(actions), 2u);
  EXPECT_EQ(Count<RemoveKeyAction>(actions), 0u);
  const auto active = store.InState(Algorithm::kEs256, KeyState::kActive, rotation);
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0]->kid, first_next);
  EXPECT_EQ(store.InState(Algorithm::kEs256, KeyState::kNext, rotation).size(), 1u);
  EXPECT_EQ(store.InState(Algorithm::kEs256, KeyState::kRetiring, rotation).size(), 1u);
}

TEST(RotationPlan, RetiredKey_IsRemovedOnlyAfterRetention) {
  Store store;
  store.Tick(kStart);
  const std::string first = store.InState(Algorithm::kEs256, KeyState::kActive, kStart)[0]->kid;
  store.Tick(kStart + hours(1));
  EXPECT_EQ(Count<RemoveKeyAction>(store.Tick(kStart + hours(1) + minutes(19))), 0u);
  EXPECT_NE(store.Find(first), nullptr);
  store.Tick(kStart + hours(1) + minutes(20));
  EXPECT_EQ(store.Find(first), nullptr);
  EXPECT_EQ(store.removed_at_.at(first), kStart + hours(1) + minutes(20));
}

// Invariants of issue 4 over many rotations, ticking at an odd interval with a fake clock.
TEST(RotationPlan, ManyRotations_KeepEveryInvariant) {
  for (const seconds step : {seconds(1), seconds(37), seconds(601)}) {
    SCOPED_TRACE(step.count());
    Store store;
    const RotationPolicy policy = Policy();
    std::map<std::string, TimePoint> last_signed;
    std::map<std::string, TimePoint> first_active;
    TimePoint now = kStart;
    const TimePoint end = kStart + hours(30);
    for (; now < end; now += step) {
      store.Tick(now);
      EXPECT_TRUE(store.Plan(now, kAlgorithms, policy).empty()) << "not idempotent";
      for (const Algorithm alg : kAlgorithms) {
        const auto active = store.InState(alg, KeyState::kActive, now);
        ASSERT_EQ(active.size(), 1u);
        ASSERT_EQ(store.InState(alg, KeyState::kNext, now).size(), 1u) << "no next key";
        last_signed[active[0]->kid] = now;
        first_active.emplace(active[0]->kid, now);
        // Never two active keys at any instant up to the next tick (stored times only).
        for (TimePoint t = now; t < now + step; t += std::max(step / 7, seconds(1))) {
          EXPECT_LE(store.InState(alg, KeyState::kActive, t).size(), 1u);
        }
      }
      for (const KeyMetadata& m : store.keys_) {
        EXPECT_LE(m.created, m.activates);
        EXPECT_LE(m.activates, m.retires);
        EXPECT_GE(m.expires, m.retires + policy.retention);
      }
    }
    // Published ahead: every key except the first of each algorithm was in the store at least
    // publish_ahead before it first signed.
    std::size_t published_ahead = 0;
    auto created_of = [&](const std::string& kid) {
      if (const KeyMetadata* m = store.Find(kid)) return m->created;
      return store.removed_.at(kid).created;
    };
    for (const auto& [kid, first] : first_active) {
      if (created_of(kid) == kStart) continue;  // bootstrap keys
      EXPECT_GE(first - created_of(kid), policy.publish_ahead) << kid;
      ++published_ahead;
    }
    EXPECT_GE(published_ahead, 2u * 28u);  // ~one per hour and algorithm
    // Kept: no key is removed before retention after the last instant it signed.
    for (const auto& [kid, removed] : store.removed_at_) {
      EXPECT_GE(removed, last_signed.at(kid) + policy.retention) << kid;
      EXPECT_GE(removed, store.removed_.at(kid).retires + policy.retention) << kid;
    }
    EXPECT_GE(store.removed_at_.size(), 2u * 27u);
    EXPECT_LE(store.keys_.size(), 2u * 3u);  // active, next and at most one retiring
  }
}

TEST(RotationPlan, PublishAheadEqualToRotateEvery_StillPublishesAhead) {
  RotationPolicy policy = Policy();
  policy.publish_ahead = policy.rotate_every;
  Store store;
  std::map<std::string, TimePoint> first_active;
  for (TimePoint now = kStart; now < kStart + hours(10); now += seconds(53)) {
    store.Tick(now, kAlgorithms, policy);
    const auto active = store.InState(Algorithm::kEs256, KeyState::kActive, now);
    ASSERT_EQ(active.size(), 1u);
    first_active.emplace(active[0]->kid, now);
    if (active[0]->created != kStart) {
      EXPECT_GE(first_active[active[0]->kid] - active[0]->created, policy.publish_ahead);
    }
  }
  EXPECT_GE(first_active.size(), 8u);
}

TEST(RotationPlan, Propagation_IsAddedToThePublicationOfEveryGeneratedSuccessor) {
  RotationPolicy policy = Policy();
  policy.publish_ahead = policy.rotate_every;
  policy.propagation = seconds(2);
  Store store;
  std::map<std::string, TimePoint> first_active;
  for (TimePoint now = kStart; now < kStart + hours(10); now += seconds(53)) {
    store.Tick(now, kAlgorithms, policy);
    const auto active = store.InState(Algorithm::kEs256, KeyState::kActive, now);
    ASSERT_EQ(active.size(), 1u);
    EXPECT_EQ(store.InState(Algorithm::kEs256, KeyState::kNext, now).size(), 1u);
    if (active[0]->created != kStart) {
      EXPECT_GE(active[0]->activates - active[0]->created,
                policy.publish_ahead + policy.propagation);
    }
  }
}

TEST(RotationPlan, ForcedRotation_ActivatesNextNowAndPlansANewNext) {
  Store store;
  store.Tick(kStart);
  const TimePoint now = kStart + minutes(10);
  const std::string old_active = store.InState(Algorithm::kEs256, KeyState::kActive, now)[0]->kid;
  const std::string old_next = store.InState(Algorithm::kEs256, KeyState::kNext, now)[0]->kid;
  const auto actions = store.Tick(now, kAlgorithms, Policy(), /*force=*/true);
  EXPECT_EQ(Count<GenerateKeyAction>(actions), 2u);
  const KeyMetadata* was_active = store.Find(old_active);
  const KeyMetadata* was_next = store.Find(old_next);
  ASSERT_TRUE(was_active && was_next);
  EXPECT_EQ(was_active->retires, now);
  EXPECT_EQ(was_active->expires, now + Policy().retention);
  EXPECT_EQ(was_next->activates, now);
  EXPECT_EQ(was_next->retires, now + hours(1));
  const auto next = store.InState(Algorithm::kEs256, KeyState::kNext, now);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0]->activates, now + hours(1));
  EXPECT_EQ(store.InState(Algorithm::kEs256, KeyState::kActive, now).size(), 1u);
  EXPECT_TRUE(store.Plan(now, kAlgorithms, Policy()).empty());
}

TEST(RotationPlan, ForcedRotationTwice_NeverRevivesTheRotatedKey) {
  Store store;
  store.Tick(kStart);
  const std::string first = store.InState(Algorithm::kEs256, KeyState::kActive, kStart)[0]->kid;
  store.Tick(kStart + seconds(5), kAlgorithms, Policy(), true);
  store.Tick(kStart + seconds(9), kAlgorithms, Policy(), true);
  const auto active = store.InState(Algorithm::kEs256, KeyState::kActive, kStart + seconds(9));
  ASSERT_EQ(active.size(), 1u);
  EXPECT_NE(active[0]->kid, first);
  EXPECT_EQ(store.InState(Algorithm::kEs256, KeyState::kRetiring, kStart + seconds(9)).size(),
            2u);
}

TEST(RotationPlan, ForcedRotation_RespectsAKeyCreatedByAClockAhead) {
  Store store;
  store.Tick(kStart);
  const std::string kid = store.InState(Algorithm::kEs256, KeyState::kNext, kStart)[0]->kid;
  store.Find(kid)->created = kStart + seconds(3);  // by a replica whose clock is 3 s ahead
  store.Tick(kStart + seconds(1), kAlgorithms, Policy(), true);
  EXPECT_EQ(store.Find(kid)->activates, kStart + seconds(3));
  for (const KeyMetadata& m : store.keys_) {
    EXPECT_LE(m.created, m.activates);
    EXPECT_LE(m.activates, m.retires);
  }
}

TEST(RotationPlan, AlgorithmRemovedFromConfig_KeepsVerifyingUntilItExpires) {
  Store store;
  store.Tick(kStart);
  const std::array<Algorithm, 1> only_es256{Algorithm::kEs256};
  std::size_t rs256_generated = 0;
  for (TimePoint now = kStart + minutes(1); now < kStart + hours(6); now += minutes(1)) {
    for (const auto& a : store.Tick(now, only_es256)) {
      if (const auto* g = std::get_if<GenerateKeyAction>(&a)) {
        rs256_generated += g->alg == Algorithm::kRs256 ? 1 : 0;
      }
    }
    for (const KeyMetadata& m : store.keys_) {
      EXPECT_GT(m.expires, now) << "an expired key was kept";
    }
  }
  EXPECT_EQ(rs256_generated, 0u);
  // Both RS256 keys stayed until retention after their signing periods, then went.
  ASSERT_GE(store.removed_.size(), 2u);
  for (const auto& [kid, m] : store.removed_) {
    if (m.alg != Algorithm::kRs256) continue;
    EXPECT_GE(store.removed_at_.at(kid), m.retires + Policy().retention);
  }
  EXPECT_TRUE(store.InState(Algorithm::kRs256, KeyState::kActive, kStart + hours(6)).empty());
}

TEST(RotationPlan, AfterDowntime_TheLastKeySignsAgainUntilANewNextIsPublishedAhead) {
  Store store;
  store.Tick(kStart);
  // Nothing ran from kStart until after the next key's period (it ended at 2 h), but it is
  // still published (until 2 h 20 min).
  const TimePoint back = kStart + hours(2) + minutes(10);
  const std::string last = store.InState(Algorithm::kEs256, KeyState::kNext, kStart)[0]->kid;
  store.Tick(back);
  const auto active = store.InState(Algorithm::kEs256, KeyState::kActive, back);
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0]->kid, last);  // published since kStart, no key nobody has seen
  EXPECT_EQ(active[0]->retires, back + Policy().publish_ahead);
  EXPECT_EQ(active[0]->expires, back + Policy().publish_ahead + Policy().retention);
  const auto next = store.InState(Algorithm::kEs256, KeyState::kNext, back);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_GE(next[0]->activates - next[0]->created, Policy().publish_ahead);
  EXPECT_TRUE(store.Plan(back, kAlgorithms, Policy()).empty());
}

TEST(RotationPlan, AfterLongDowntime_ExpiredKeysGoAndNewKeysStart) {
  Store store;
  store.Tick(kStart);
  const TimePoint back = kStart + hours(5);  // every key expired meanwhile
  const auto actions = store.Tick(back);
  EXPECT_EQ(Count<RemoveKeyAction>(actions), 4u);
  EXPECT_EQ(Count<GenerateKeyAction>(actions), 4u);
  const auto active = store.InState(Algorithm::kEs256, KeyState::kActive, back);
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0]->created, back);
}

TEST(RotationPlan, LegacyKeyWithoutRetention_GetsItsExpiryExtended) {
  Store store;
  // A pre-rotation file: active since kStart, "expires" at kStart + 24 h, read as retires.
  store.keys_.push_back(KeyMetadata{"legacy", Algorithm::kEs256, kStart, kStart,
                                    kStart + hours(24), kUnknownExpiry});
  const TimePoint now = kStart + hours(2);
  const auto actions = store.Tick(now, std::array{Algorithm::kEs256});
  const KeyMetadata* legacy = store.Find("legacy");
  ASSERT_NE(legacy, nullptr);
  EXPECT_EQ(legacy->expires, legacy->retires + Policy().retention);
  EXPECT_EQ(StateAt(*legacy, now), KeyState::kActive);
  EXPECT_EQ(store.InState(Algorithm::kEs256, KeyState::kNext, now).size(), 1u);
}

TEST(RotationPlan, LegacyKeyPastItsEnd_SignsUntilItsSuccessorIsPublishedAhead) {
  Store store;
  store.keys_.push_back(KeyMetadata{"legacy", Algorithm::kEs256, kStart, kStart,
                                    kStart + hours(24), kUnknownExpiry});
  const TimePoint now = kStart + hours(30);
  store.Tick(now, std::array{Algorithm::kEs256});
  const auto active = store.InState(Algorithm::kEs256, KeyState::kActive, now);
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0]->kid, "legacy");  // it signed until now: no unpublished key takes over
  EXPECT_EQ(active[0]->retires, now + Policy().publish_ahead);
  EXPECT_EQ(active[0]->expires, active[0]->retires + Policy().retention);
  EXPECT_TRUE(store.Plan(now, std::array{Algorithm::kEs256}, Policy()).empty());
}

TEST(RotationPlan, PublishAheadZeroAndNoKeyToRevive_GeneratesAnActiveKey) {
  RotationPolicy policy = Policy();
  policy.publish_ahead = seconds(0);
  Store store;
  store.Tick(kStart, std::array{Algorithm::kEs256}, policy);
  const TimePoint back = kStart + hours(5);
  store.Tick(back, std::array{Algorithm::kEs256}, policy);
  const auto active = store.InState(Algorithm::kEs256, KeyState::kActive, back);
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0]->created, back);
}

TEST(RotationPlan, TwoActiveKeys_AreChainedSoOnlyTheLaterOneSigns) {
  Store store;
  store.keys_.push_back(
      KeyMetadata{"a", Algorithm::kEs256, kStart, kStart, kStart + hours(2), kStart + hours(3)});
  store.keys_.push_back(KeyMetadata{"b", Algorithm::kEs256, kStart, kStart + minutes(5),
                                    kStart + hours(2), kStart + hours(3)});
  const TimePoint now = kStart + minutes(10);
  store.Tick(now, std::array{Algorithm::kEs256});
  const auto active = store.InState(Algorithm::kEs256, KeyState::kActive, now);
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0]->kid, "b");
  EXPECT_EQ(store.Find("a")->retires, kStart + minutes(5));
}

TEST(RotationPlan, ActionOrder_GenerationsThenUpdatesThenRemovals) {
  Store store;
  store.Tick(kStart);
  const auto actions = store.Plan(kStart + hours(2), kAlgorithms, Policy());
  int phase = 0;
  for (const auto& a : actions) {
    const int p = static_cast<int>(a.index());
    EXPECT_GE(p, phase);
    phase = p;
  }
  EXPECT_GT(Count<RemoveKeyAction>(actions), 0u);
}

TEST(RotationPolicyTest, Check_RejectsNonsense) {
  EXPECT_TRUE(CheckRotationPolicy(Policy()));
  RotationPolicy p = Policy();
  p.rotate_every = seconds(0);
  EXPECT_EQ(CheckRotationPolicy(p).error(), Errc::kInvalidRotationPolicy);
  p = Policy();
  p.publish_ahead = hours(2);
  EXPECT_EQ(CheckRotationPolicy(p).error(), Errc::kInvalidRotationPolicy);
  p = Policy();
  p.retention = seconds(-1);
  EXPECT_EQ(CheckRotationPolicy(p).error(), Errc::kInvalidRotationPolicy);
}

TEST(StoredKeyTest, StateAt_FollowsTheTimes) {
  const KeyMetadata m{"k", Algorithm::kEs256, kStart, kStart + hours(1), kStart + hours(2),
                      kStart + hours(3)};
  EXPECT_EQ(StateAt(m, kStart), KeyState::kNext);
  EXPECT_EQ(StateAt(m, kStart + hours(1)), KeyState::kActive);
  EXPECT_EQ(StateAt(m, kStart + hours(2)), KeyState::kRetiring);
  EXPECT_EQ(StateAt(m, kStart + hours(3)), std::nullopt);
  EXPECT_TRUE(IsExpired(m, kStart + hours(3)));
}

}  // namespace
}  // namespace signet::keys

// ServerMetrics::WatchKeyRing: the key ring gauges, computed from a snapshot at every scrape.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "server/metrics.hpp"

namespace signet::server {
namespace {

double Seconds(std::chrono::system_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

}  // namespace

void ServerMetrics::WatchKeyRing(const keys::KeyRing& ring, std::chrono::seconds rotate_every) {
  const keys::KeyRing* watched = &ring;
  registry_.AddCallback(
      "signet_keys", "Keys in the served key ring by algorithm and state.", MetricType::kGauge,
      [watched](std::vector<MetricSample>& out) {
        const auto snapshot = watched->Snapshot();
        for (const keys::Algorithm alg : keys::AllAlgorithms()) {
          for (const keys::KeyState state :
               {keys::KeyState::kNext, keys::KeyState::kActive, keys::KeyState::kRetiring}) {
            const auto n = std::count_if(
                snapshot->entries().begin(), snapshot->entries().end(),
                [&](const keys::KeyEntry& e) { return e.alg == alg && e.state == state; });
            if (n == 0) continue;
            out.push_back({{{"alg", std::string(keys::JwaName(alg))},
                            {"state", std::string(keys::KeyStateName(state))}},
                           static_cast<double>(n)});
          }
        }
      });
  // The signing key per algorithm, picked as KeySetSnapshot::ActiveSigner does (the active
  // key with a signer that activated last).
  const auto active_key = [](const keys::KeySetSnapshot& snapshot,
                             keys::Algorithm alg) -> const keys::KeyEntry* {
    const keys::KeyEntry* best = nullptr;
    for (const keys::KeyEntry& e : snapshot.entries()) {
      if (e.alg != alg || e.state != keys::KeyState::kActive || !e.signer) continue;
      if (best == nullptr || e.activates > best->activates) best = &e;
    }
    return best;
  };
  registry_.AddCallback(
      "signet_active_key_age_seconds", "Seconds since the signing key of each algorithm activated.",
      MetricType::kGauge, [this, watched, active_key](std::vector<MetricSample>& out) {
        const auto snapshot = watched->Snapshot();
        const auto now = clock_();
        for (const keys::Algorithm alg : keys::AllAlgorithms()) {
          if (const keys::KeyEntry* e = active_key(*snapshot, alg)) {
            out.push_back(
                {{{"alg", std::string(keys::JwaName(alg))}}, Seconds(now - e->activates)});
          }
        }
      });
  // The active key retires when the next key activates (keys/rotation_plan.hpp); without a
  // published next key yet, the plan's regular period is the estimate.
  registry_.AddCallback(
      "signet_key_next_rotation_seconds",
      "Seconds until the next key of each algorithm becomes the signing key.", MetricType::kGauge,
      [this, watched, active_key, rotate_every](std::vector<MetricSample>& out) {
        const auto snapshot = watched->Snapshot();
        const auto now = clock_();
        for (const keys::Algorithm alg : keys::AllAlgorithms()) {
          const keys::KeyEntry* active = active_key(*snapshot, alg);
          if (active == nullptr) continue;
          std::optional<keys::TimePoint> next;
          for (const keys::KeyEntry& e : snapshot->entries()) {
            if (e.alg == alg && e.state == keys::KeyState::kNext &&
                (!next || e.activates < *next)) {
              next = e.activates;
            }
          }
          const keys::TimePoint at = next ? *next : active->activates + rotate_every;
          out.push_back({{{"alg", std::string(keys::JwaName(alg))}}, Seconds(at - now)});
        }
      });
}

}  // namespace signet::server

#pragma once
// The Redis series of ServerMetrics (private to server/metrics*.cpp): what
// ServerMetrics::RedisObserver registers and its observer records into, from the Redis
// client's strand. Counters by command and result are kept per slot and rendered by a
// callback that skips zeros (13 commands x 4 results would mostly be noise); the latency
// histograms appear once a command has been timed.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "server/metrics.hpp"
#include "store/redis_client_observer.hpp"

namespace signet::server {

struct ServerMetrics::RedisSeries {
  // Slot i < kRedisCommandNames.size() is that command; the last slot is "OTHER".
  static constexpr std::size_t kCommandSlots = store::kRedisCommandNames.size() + 1;
  static constexpr std::size_t kOutcomeSlots = 4;  // store::RedisCommandOutcome

  std::array<std::array<Counter, kOutcomeSlots>, kCommandSlots> commands;
  std::array<Histogram*, kCommandSlots> latency{};
  Gauge* connected = nullptr;
  Counter* reconnects = nullptr;
  std::atomic<bool> ever_connected{false};

  void OnCommand(const store::RedisCommandEvent& event) noexcept;
  void OnConnection(store::RedisConnectionEvent event) noexcept;
  void Collect(std::vector<MetricSample>& out) const;
};

}  // namespace signet::server

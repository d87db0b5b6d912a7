// ServerMetrics::RedisObserver: Redis command outcomes, latencies and connection state from
// the store's RedisAsyncClient (store/redis_client_observer.hpp).
#include "server/metrics_redis.hpp"

#include <algorithm>
#include <string>

namespace signet::server {
namespace {

std::size_t CommandSlot(std::string_view command) noexcept {
  const auto* found =
      std::find(store::kRedisCommandNames.begin(), store::kRedisCommandNames.end(), command);
  return static_cast<std::size_t>(found - store::kRedisCommandNames.begin());  // end: OTHER
}

std::string_view CommandOfSlot(std::size_t slot) noexcept {
  return slot < store::kRedisCommandNames.size() ? store::kRedisCommandNames[slot]
                                                 : store::kOtherRedisCommand;
}

constexpr std::array<store::RedisCommandOutcome, 4> kOutcomes = {
    store::RedisCommandOutcome::kOk, store::RedisCommandOutcome::kErrorReply,
    store::RedisCommandOutcome::kTimeout, store::RedisCommandOutcome::kUnavailable};

}  // namespace

void ServerMetrics::RedisSeries::OnCommand(const store::RedisCommandEvent& event) noexcept {
  const std::size_t slot = CommandSlot(event.command);
  const auto outcome = static_cast<std::size_t>(event.outcome);
  if (outcome >= kOutcomeSlots) return;
  commands[slot][outcome].Inc();
  // Refused commands never reached Redis: they have no latency to observe.
  if (event.latency) latency[slot]->Observe(*event.latency);
}

void ServerMetrics::RedisSeries::OnConnection(store::RedisConnectionEvent event) noexcept {
  const bool up = event == store::RedisConnectionEvent::kConnected;
  connected->Set(up ? 1 : 0);
  // Every connection after the first one re-establishes a lost one.
  if (up && ever_connected.exchange(true)) reconnects->Inc();
}

void ServerMetrics::RedisSeries::Collect(std::vector<MetricSample>& out) const {
  for (std::size_t slot = 0; slot < kCommandSlots; ++slot) {
    for (const store::RedisCommandOutcome outcome : kOutcomes) {
      const std::uint64_t value = commands[slot][static_cast<std::size_t>(outcome)].Value();
      if (value == 0) continue;
      out.push_back({{{"command", std::string(CommandOfSlot(slot))},
                      {"result", std::string(store::RedisCommandOutcomeName(outcome))}},
                     static_cast<double>(value)});
    }
  }
}

store::RedisClientObserver ServerMetrics::RedisObserver() {
  if (!redis_) {
    redis_ = std::make_unique<RedisSeries>();
    RedisSeries* series = redis_.get();
    registry_.AddCallback(
        "signet_redis_commands_total",
        "Redis commands by command and result (ok, error reply, timeout, unavailable).",
        MetricType::kCounter, [series](std::vector<MetricSample>& out) { series->Collect(out); });
    for (std::size_t slot = 0; slot < RedisSeries::kCommandSlots; ++slot) {
      series->latency[slot] = &registry_.AddHistogram(
          "signet_redis_command_duration_seconds",
          "Time from a Redis command sent to its reply (or timeout), by command.",
          {{"command", std::string(CommandOfSlot(slot))}}, kRedisLatencyBuckets,
          SeriesVisibility::kOnceObserved);
    }
    series->connected = &registry_.AddGauge(
        "signet_redis_connected", "1 while the Redis connection is ready for commands, else 0.");
    series->reconnects = &registry_.AddCounter("signet_redis_reconnects_total",
                                               "Redis connections re-established after a loss.");
  }
  RedisSeries* series = redis_.get();
  return {.on_command = [series](const store::RedisCommandEvent& e) { series->OnCommand(e); },
          .on_connection = [series](store::RedisConnectionEvent e) { series->OnConnection(e); }};
}

}  // namespace signet::server

#pragma once
// Metrics in the Prometheus text exposition format (version 0.0.4), served at GET /metrics.
//
// Two layers:
//   - Registry: counters, gauges and fixed-bucket latency histograms, each a few relaxed
//     atomics (a request never locks, allocates or looks anything up by name), plus
//     callbacks that compute samples at scrape time (key ring state). Render() writes
//     # HELP / # TYPE and the samples, label values escaped, histogram buckets cumulative
//     with le="+Inf", _sum and _count.
//   - ServerMetrics: signet's metrics on one registry, with the hooks the server calls.
//     Endpoint ids come from the router (resolved when routes are registered, id 0 is
//     "unmatched"), never from the request target, so the label set stays bounded.
//
// Registration (Add*, SetEndpoints, WatchKeyRing) happens at start-up, before requests;
// the Record* / Inc / Observe calls and Render() are thread-safe.
//
// Usage:
//   server::ServerMetrics metrics(SIGNET_VERSION);
//   metrics.SetEndpoints(router.EndpointNames());
//   metrics.RecordRequest(endpoint_id, 200, elapsed);           // server/session.cpp
//   metrics.RecordTokenIssued("client_credentials", keys::Algorithm::kEs256);
//   std::string text = metrics.Render();

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keys/algorithm.hpp"
#include "keys/key_ring.hpp"

namespace signet::server {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t Value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void Set(std::int64_t value) noexcept { value_.store(value, std::memory_order_relaxed); }
  void Add(std::int64_t delta) noexcept { value_.fetch_add(delta, std::memory_order_relaxed); }
  std::int64_t Value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

// Durations in fixed buckets. Bounds are upper bounds in seconds, ascending; an observation
// lands in the first bucket whose bound is >= it (Prometheus `le`), or in the implicit +Inf.
class Histogram {
 public:
  explicit Histogram(std::span<const double> bounds_seconds);

  void Observe(std::chrono::nanoseconds duration) noexcept;

  std::span<const double> bounds() const noexcept { return bounds_; }
  // Per-bucket (not cumulative) counts, bounds().size() + 1 of them (the last is +Inf).
  std::vector<std::uint64_t> BucketCounts() const;
  double SumSeconds() const noexcept;

 private:
  std::vector<double> bounds_;
  std::vector<std::int64_t> bounds_ns_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
  std::atomic<std::uint64_t> sum_ns_{0};
};

// Request latencies: 1 ms .. 10 s (a token costs ~0.1-2 ms; argon2 tens of ms).
inline constexpr std::array<double, 12> kLatencyBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 10};

enum class MetricType { kCounter, kGauge, kHistogram };

struct MetricSample {
  MetricLabels labels;
  double value = 0;
};
using SampleCallback = std::function<void(std::vector<MetricSample>&)>;

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Adding a series to an existing name extends that family (same help and type).
  Counter& AddCounter(std::string_view name, std::string_view help,
                      const MetricLabels& labels = {});
  Gauge& AddGauge(std::string_view name, std::string_view help, const MetricLabels& labels = {});
  Histogram& AddHistogram(std::string_view name, std::string_view help, const MetricLabels& labels,
                          std::span<const double> bounds_seconds);
  // A counter or gauge family whose samples `callback` computes at every scrape.
  void AddCallback(std::string_view name, std::string_view help, MetricType type,
                   SampleCallback callback);

  // The text exposition of every family, in registration order.
  std::string Render() const;

 private:
  struct Series {
    std::string labels;  // rendered: a="x",b="y" (without braces)
    const Counter* counter = nullptr;
    const Gauge* gauge = nullptr;
    const Histogram* histogram = nullptr;
  };
  struct Family {
    std::string name;
    std::string help;
    MetricType type;
    std::vector<Series> series;
    SampleCallback callback;
  };
  Family& FamilyFor(std::string_view name, std::string_view help, MetricType type);

  std::vector<Family> families_;
  std::deque<Counter> counters_;  // deque: stable addresses
  std::deque<Gauge> gauges_;
  std::deque<Histogram> histograms_;
};

// Prometheus label value escaping: backslash, double quote and line feed.
std::string EscapeLabelValue(std::string_view value);
// A sample value: integers without a fraction, +Inf/-Inf/NaN as Prometheus spells them.
std::string FormatMetricValue(double value);

inline constexpr std::string_view kMetricsPath = "/metrics";
inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";
inline constexpr std::size_t kUnmatchedEndpoint = 0;  // 404s: "unmatched"

enum class IntrospectionResult { kActive, kInactive, kError };

class ServerMetrics {
 public:
  using SystemClockFn = std::function<std::chrono::system_clock::time_point()>;

  explicit ServerMetrics(std::string_view version, SystemClockFn clock = nullptr);
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // Start-up: the router's endpoint names (index = endpoint id, [0] = "unmatched").
  void SetEndpoints(std::vector<std::string> names);
  // Start-up: key gauges computed from the ring's snapshot at every scrape. `ring` must
  // outlive this object; rotate_every estimates the next rotation when no next key exists.
  void WatchKeyRing(const keys::KeyRing& ring, std::chrono::seconds rotate_every);

  // Per request, after the response is written. An unknown endpoint id counts as unmatched.
  void RecordRequest(std::size_t endpoint, unsigned status,
                     std::chrono::nanoseconds elapsed) noexcept;
  void ConnectionOpened() noexcept { open_connections_.Add(1); }
  void ConnectionClosed() noexcept { open_connections_.Add(-1); }
  void RecordTokenIssued(std::string_view grant_type, keys::Algorithm alg) noexcept;

  // For the revocation / introspection endpoints and the Redis store (wired by their owners).
  void RecordRevocation() noexcept { revocations_.Inc(); }
  void RecordIntrospection(IntrospectionResult result) noexcept;
  void RecordRedisCommand(std::chrono::nanoseconds elapsed, bool failed) noexcept;

  std::string Render() const { return registry_.Render(); }
  Registry& registry() noexcept { return registry_; }

 private:
  static constexpr unsigned kMinStatus = 100;
  static constexpr unsigned kStatusSlots = 500;  // 100..599
  static constexpr std::size_t kGrantSlots = 8;  // the known grant types + "other"
  static constexpr std::size_t kAlgSlots = 5;    // keys::Algorithm

  struct Endpoint {
    std::string name;
    std::array<Counter, kStatusSlots> by_status;
    Histogram* latency = nullptr;
  };

  void CollectRequests(std::vector<MetricSample>& out) const;
  void CollectTokens(std::vector<MetricSample>& out) const;

  SystemClockFn clock_;
  Registry registry_;
  std::vector<std::unique_ptr<Endpoint>> endpoints_;
  Gauge& open_connections_;
  std::array<std::array<Counter, kAlgSlots>, kGrantSlots> tokens_;
  Counter& revocations_;
  std::array<Counter*, 3> introspections_{};
  Counter& redis_errors_;
  Histogram& redis_seconds_;
};

}  // namespace signet::server

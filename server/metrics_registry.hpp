#pragma once
// The Prometheus text exposition format (version 0.0.4) and its primitives, with nothing
// signet-specific in them (signet's metrics are server/metrics.hpp):
//   - Counter, Gauge: one relaxed atomic each;
//   - Histogram: fixed upper bounds in seconds, one atomic per bucket plus the sum, so a
//     request never locks, allocates or looks anything up by name;
//   - Registry: families of those series (or callbacks that compute samples at scrape time)
//     and Render(), which writes # HELP / # TYPE and the samples, label values escaped,
//     histogram buckets cumulative with le="+Inf", _sum and _count.
// https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
//
// Registration (Add*) happens at start-up, before Render() may run; Inc / Set / Observe and
// Render() are thread-safe.
//
// Usage:
//   Registry registry;
//   Counter& hits = registry.AddCounter("app_hits_total", "Hits.", {{"path", "/a"}});
//   hits.Inc();
//   std::string text = registry.Render();

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

enum class MetricType { kCounter, kGauge, kHistogram };

// kOnceObserved: a histogram series is left out of the exposition until it has counted
// something (for label sets that are bounded but mostly unused, e.g. per Redis command).
enum class SeriesVisibility { kAlways, kOnceObserved };

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
                          std::span<const double> bounds_seconds,
                          SeriesVisibility visibility = SeriesVisibility::kAlways);
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
    SeriesVisibility visibility = SeriesVisibility::kAlways;
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

}  // namespace signet::server

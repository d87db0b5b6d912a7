#include "server/metrics_registry.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>

namespace signet::server {
namespace {

constexpr std::string_view TypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter: return "counter";
    case MetricType::kGauge: return "gauge";
    case MetricType::kHistogram: return "histogram";
  }
  return "untyped";
}

// # HELP text escaping: backslash and line feed (the exposition format's rules).
std::string EscapeHelp(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (const char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string RenderLabels(const MetricLabels& labels) {
  std::string out;
  for (const auto& [name, value] : labels) {
    if (!out.empty()) out.push_back(',');
    out += name;
    out += "=\"";
    out += EscapeLabelValue(value);
    out.push_back('"');
  }
  return out;
}

// name{labels,extra} value\n (no braces when both are empty).
void AppendSample(std::string& out, std::string_view name, std::string_view labels,
                  std::string_view extra, std::string_view value) {
  out += name;
  if (!labels.empty() || !extra.empty()) {
    out.push_back('{');
    out += labels;
    if (!labels.empty() && !extra.empty()) out.push_back(',');
    out += extra;
    out.push_back('}');
  }
  out.push_back(' ');
  out += value;
  out.push_back('\n');
}

// The _bucket lines (cumulative, le="+Inf" last), _sum and _count of one histogram series.
void AppendHistogram(std::string& out, const std::string& name, std::string_view labels,
                     const Histogram& h, SeriesVisibility visibility) {
  const std::vector<std::uint64_t> counts = h.BucketCounts();
  std::uint64_t total = 0;
  for (const std::uint64_t count : counts) total += count;
  if (total == 0 && visibility == SeriesVisibility::kOnceObserved) return;
  const std::string bucket_name = name + "_bucket";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    cumulative += counts[i];
    const std::string le =
        i < h.bounds().size() ? FormatMetricValue(h.bounds()[i]) : std::string("+Inf");
    AppendSample(out, bucket_name, labels, "le=\"" + le + "\"", std::to_string(cumulative));
  }
  AppendSample(out, name + "_sum", labels, {}, FormatMetricValue(h.SumSeconds()));
  // _count equals the +Inf bucket (both from the same loads).
  AppendSample(out, name + "_count", labels, {}, std::to_string(cumulative));
}

}  // namespace

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string FormatMetricValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  // Shortest %g-style text that reads back as the same double ("0.0005", "12", "1e+21").
  const auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general);
  if (ec != std::errc()) return "NaN";
  return std::string(buffer, end);
}

Histogram::Histogram(std::span<const double> bounds_seconds)
    : bounds_(bounds_seconds.begin(), bounds_seconds.end()),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_seconds.size() + 1)) {
  bounds_ns_.reserve(bounds_.size());
  for (const double bound : bounds_) {
    bounds_ns_.push_back(static_cast<std::int64_t>(std::llround(bound * 1e9)));
  }
}

void Histogram::Observe(std::chrono::nanoseconds duration) noexcept {
  const std::int64_t ns = std::max<std::int64_t>(duration.count(), 0);
  // lower_bound: the first bound >= ns, i.e. `le` semantics; end() is the +Inf bucket.
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(bounds_ns_.begin(), bounds_ns_.end(), ns) - bounds_ns_.begin());
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(ns), std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::BucketCounts() const {
  std::vector<std::uint64_t> counts(bounds_.size() + 1);
  for (std::size_t i = 0; i < counts.size(); ++i) {
    counts[i] = counts_[i].load(std::memory_order_relaxed);
  }
  return counts;
}

double Histogram::SumSeconds() const noexcept {
  return static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9;
}

Registry::Family& Registry::FamilyFor(std::string_view name, std::string_view help,
                                      MetricType type) {
  for (Family& family : families_) {
    if (family.name == name) return family;
  }
  families_.push_back(Family{std::string(name), std::string(help), type, {}, nullptr});
  return families_.back();
}

Counter& Registry::AddCounter(std::string_view name, std::string_view help,
                              const MetricLabels& labels) {
  Counter& counter = counters_.emplace_back();
  FamilyFor(name, help, MetricType::kCounter)
      .series.push_back(
          Series{RenderLabels(labels), &counter, nullptr, nullptr, SeriesVisibility::kAlways});
  return counter;
}

Gauge& Registry::AddGauge(std::string_view name, std::string_view help,
                          const MetricLabels& labels) {
  Gauge& gauge = gauges_.emplace_back();
  FamilyFor(name, help, MetricType::kGauge)
      .series.push_back(
          Series{RenderLabels(labels), nullptr, &gauge, nullptr, SeriesVisibility::kAlways});
  return gauge;
}

Histogram& Registry::AddHistogram(std::string_view name, std::string_view help,
                                  const MetricLabels& labels,
                                  std::span<const double> bounds_seconds,
                                  SeriesVisibility visibility) {
  Histogram& histogram = histograms_.emplace_back(bounds_seconds);
  FamilyFor(name, help, MetricType::kHistogram)
      .series.push_back(Series{RenderLabels(labels), nullptr, nullptr, &histogram, visibility});
  return histogram;
}

void Registry::AddCallback(std::string_view name, std::string_view help, MetricType type,
                           SampleCallback callback) {
  FamilyFor(name, help, type).callback = std::move(callback);
}

std::string Registry::Render() const {
  std::string out;
  std::vector<MetricSample> samples;
  for (const Family& family : families_) {
    out += "# HELP ";
    out += family.name;
    out.push_back(' ');
    out += EscapeHelp(family.help);
    out += "\n# TYPE ";
    out += family.name;
    out.push_back(' ');
    out += TypeName(family.type);
    out.push_back('\n');
    for (const Series& series : family.series) {
      if (series.counter != nullptr) {
        AppendSample(out, family.name, series.labels, {}, std::to_string(series.counter->Value()));
      } else if (series.gauge != nullptr) {
        AppendSample(out, family.name, series.labels, {}, std::to_string(series.gauge->Value()));
      } else if (series.histogram != nullptr) {
        AppendHistogram(out, family.name, series.labels, *series.histogram, series.visibility);
      }
    }
    if (family.callback) {
      samples.clear();
      family.callback(samples);
      for (const MetricSample& sample : samples) {
        AppendSample(out, family.name, RenderLabels(sample.labels), {},
                     FormatMetricValue(sample.value));
      }
    }
  }
  return out;
}

}  // namespace signet::server

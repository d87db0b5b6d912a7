#include "server/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

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

double Seconds(std::chrono::system_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// The grant types a token can be issued for (RFC 6749 §4, RFC 8693, RFC 7523, RFC 8628);
// anything else is "other". A handful of comparisons, no hashing.
constexpr std::array<std::string_view, 7> kGrantNames = {
    "client_credentials",
    "password",
    "refresh_token",
    "authorization_code",
    "urn:ietf:params:oauth:grant-type:token-exchange",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "urn:ietf:params:oauth:grant-type:device_code"};

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
      .series.push_back(Series{RenderLabels(labels), &counter, nullptr, nullptr});
  return counter;
}

Gauge& Registry::AddGauge(std::string_view name, std::string_view help,
                          const MetricLabels& labels) {
  Gauge& gauge = gauges_.emplace_back();
  FamilyFor(name, help, MetricType::kGauge)
      .series.push_back(Series{RenderLabels(labels), nullptr, &gauge, nullptr});
  return gauge;
}

Histogram& Registry::AddHistogram(std::string_view name, std::string_view help,
                                  const MetricLabels& labels,
                                  std::span<const double> bounds_seconds) {
  Histogram& histogram = histograms_.emplace_back(bounds_seconds);
  FamilyFor(name, help, MetricType::kHistogram)
      .series.push_back(Series{RenderLabels(labels), nullptr, nullptr, &histogram});
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
        const Histogram& h = *series.histogram;
        const std::vector<std::uint64_t> counts = h.BucketCounts();
        const std::string bucket_name = family.name + "_bucket";
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < counts.size(); ++i) {
          cumulative += counts[i];
          const std::string le =
              i < h.bounds().size() ? FormatMetricValue(h.bounds()[i]) : std::string("+Inf");
          AppendSample(out, bucket_name, series.labels, "le=\"" + le + "\"",
                       std::to_string(cumulative));
        }
        AppendSample(out, family.name + "_sum", series.labels, {},
                     FormatMetricValue(h.SumSeconds()));
        // _count equals the +Inf bucket (both from the same loads).
        AppendSample(out, family.name + "_count", series.labels, {}, std::to_string(cumulative));
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

ServerMetrics::ServerMetrics(std::string_view version, SystemClockFn clock)
    : clock_(clock ? std::move(clock)
                   : SystemClockFn([] { return std::chrono::system_clock::now(); })),
      open_connections_(
          registry_.AddGauge("signet_http_open_connections", "Open client connections.")),
      revocations_(registry_.AddCounter("signet_revocations_total", "Tokens revoked (RFC 7009).")),
      redis_errors_(
          registry_.AddCounter("signet_redis_errors_total", "Redis commands that failed.")),
      redis_seconds_(registry_.AddHistogram("signet_redis_command_seconds",
                                            "Redis command latency.", {}, kLatencyBuckets)) {
  registry_
      .AddGauge("signet_build_info", "signet build information.",
                {{"version", std::string(version)}})
      .Set(1);
  const double start = Seconds(clock_().time_since_epoch());
  registry_.AddCallback("signet_process_start_time_seconds",
                        "Start time of the process since the Unix epoch, in seconds.",
                        MetricType::kGauge, [start](std::vector<MetricSample>& out) {
                          out.push_back({{}, start});
                        });
  constexpr std::array<std::string_view, 3> kResults = {"active", "inactive", "error"};
  for (std::size_t i = 0; i < kResults.size(); ++i) {
    introspections_[i] = &registry_.AddCounter("signet_introspections_total",
                                               "Token introspections (RFC 7662) by result.",
                                               {{"result", std::string(kResults[i])}});
  }
  registry_.AddCallback("signet_tokens_issued_total",
                        "Access tokens issued by grant and algorithm.", MetricType::kCounter,
                        [this](std::vector<MetricSample>& out) { CollectTokens(out); });
}

void ServerMetrics::SetEndpoints(std::vector<std::string> names) {
  if (names.empty()) names.emplace_back("unmatched");
  for (std::string& name : names) {
    auto endpoint = std::make_unique<Endpoint>();
    endpoint->latency =
        &registry_.AddHistogram("signet_http_request_duration_seconds",
                                "Time from a request read to its response written, by endpoint.",
                                {{"endpoint", name}}, kLatencyBuckets);
    endpoint->name = std::move(name);
    endpoints_.push_back(std::move(endpoint));
  }
  registry_.AddCallback("signet_http_requests_total", "HTTP requests by endpoint and status code.",
                        MetricType::kCounter,
                        [this](std::vector<MetricSample>& out) { CollectRequests(out); });
}

void ServerMetrics::RecordRequest(std::size_t endpoint, unsigned status,
                                  std::chrono::nanoseconds elapsed) noexcept {
  if (endpoints_.empty()) return;
  if (endpoint >= endpoints_.size()) endpoint = kUnmatchedEndpoint;
  Endpoint& target = *endpoints_[endpoint];
  const unsigned slot = std::clamp(status, kMinStatus, kMinStatus + kStatusSlots - 1) - kMinStatus;
  target.by_status[slot].Inc();
  target.latency->Observe(elapsed);
}

void ServerMetrics::RecordTokenIssued(std::string_view grant_type, keys::Algorithm alg) noexcept {
  std::size_t grant = kGrantNames.size();  // "other"
  for (std::size_t i = 0; i < kGrantNames.size(); ++i) {
    if (kGrantNames[i] == grant_type) {
      grant = i;
      break;
    }
  }
  const auto alg_slot = static_cast<std::size_t>(alg);
  if (alg_slot >= kAlgSlots) return;
  tokens_[grant][alg_slot].Inc();
}

void ServerMetrics::RecordIntrospection(IntrospectionResult result) noexcept {
  const auto slot = static_cast<std::size_t>(result);
  if (slot < introspections_.size()) introspections_[slot]->Inc();
}

void ServerMetrics::RecordRedisCommand(std::chrono::nanoseconds elapsed, bool failed) noexcept {
  redis_seconds_.Observe(elapsed);
  if (failed) redis_errors_.Inc();
}

// Only series that have counted something: 500 status slots per endpoint would be noise.
void ServerMetrics::CollectRequests(std::vector<MetricSample>& out) const {
  for (const auto& endpoint : endpoints_) {
    for (unsigned slot = 0; slot < kStatusSlots; ++slot) {
      const std::uint64_t value = endpoint->by_status[slot].Value();
      if (value == 0) continue;
      out.push_back({{{"endpoint", endpoint->name}, {"status", std::to_string(kMinStatus + slot)}},
                     static_cast<double>(value)});
    }
  }
}

void ServerMetrics::CollectTokens(std::vector<MetricSample>& out) const {
  for (std::size_t grant = 0; grant < kGrantSlots; ++grant) {
    for (const keys::Algorithm alg : keys::AllAlgorithms()) {
      const std::uint64_t value = tokens_[grant][static_cast<std::size_t>(alg)].Value();
      if (value == 0) continue;
      const std::string_view grant_name =
          grant < kGrantNames.size() ? kGrantNames[grant] : std::string_view("other");
      out.push_back(
          {{{"grant_type", std::string(grant_name)}, {"alg", std::string(keys::JwaName(alg))}},
           static_cast<double>(value)});
    }
  }
}

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

#include "server/metrics.hpp"

#include <algorithm>
#include <utility>

#include "server/metrics_redis.hpp"

namespace signet::server {
namespace {

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

ServerMetrics::ServerMetrics(std::string_view version, SystemClockFn clock)
    : clock_(clock ? std::move(clock)
                   : SystemClockFn([] { return std::chrono::system_clock::now(); })),
      open_connections_(
          registry_.AddGauge("signet_http_open_connections", "Open client connections.")),
      revocations_(registry_.AddCounter("signet_revocations_total", "Tokens revoked (RFC 7009).")),
      single_sign_on_(registry_.AddCounter(
          "signet_single_sign_on_total",
          "Authorization codes issued from an existing login session, without a login.")),
      logouts_(registry_.AddCounter("signet_logouts_total", "Login sessions ended by a logout.")) {
  registry_
      .AddGauge("signet_build_info", "signet build information.",
                {{"version", std::string(version)}})
      .Set(1);
  const double start = std::chrono::duration<double>(clock_().time_since_epoch()).count();
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
  constexpr std::array<std::string_view, 4> kLoginResults = {
      "success", "wrong_credentials", "too_many_attempts", "unavailable"};
  for (std::size_t i = 0; i < kLoginResults.size(); ++i) {
    logins_[i] = &registry_.AddCounter("signet_logins_total",
                                       "Login form submissions (the authorize endpoint) by result.",
                                       {{"result", std::string(kLoginResults[i])}});
  }
  registry_.AddCallback("signet_tokens_issued_total",
                        "Access tokens issued by grant and algorithm.", MetricType::kCounter,
                        [this](std::vector<MetricSample>& out) { CollectTokens(out); });
}

ServerMetrics::~ServerMetrics() = default;

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

void ServerMetrics::RecordLogin(LoginResult result) noexcept {
  const auto slot = static_cast<std::size_t>(result);
  if (slot < logins_.size()) logins_[slot]->Inc();
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

}  // namespace signet::server

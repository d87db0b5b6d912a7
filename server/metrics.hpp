#pragma once
// signet's metrics, served at GET /metrics in the Prometheus text format by the primitives of
// server/metrics_registry.hpp. ServerMetrics owns one Registry and offers the hooks the
// server calls. Endpoint ids come from the router (resolved when routes are registered, id 0
// is "unmatched"), never from the request target, and Redis commands are named from a fixed
// list (store/redis_client_observer.hpp), so every label set stays bounded.
//
// Families: signet_build_info, signet_process_start_time_seconds,
// signet_http_requests_total{endpoint,status}, signet_http_request_duration_seconds{endpoint},
// signet_http_open_connections, signet_tokens_issued_total{grant_type,alg},
// signet_revocations_total, signet_introspections_total{result}, the key ring gauges
// (signet_keys{alg,state}, signet_active_key_age_seconds{alg},
// signet_key_next_rotation_seconds{alg}) and, only when a Redis client reports to it
// (RedisObserver), signet_redis_commands_total{command,result},
// signet_redis_command_duration_seconds{command}, signet_redis_connected and
// signet_redis_reconnects_total.
//
// Registration (SetEndpoints, WatchKeyRing, RedisObserver) happens at start-up, before
// requests; the Record* calls and Render() are thread-safe.
//
// Usage:
//   server::ServerMetrics metrics(SIGNET_VERSION);
//   metrics.SetEndpoints(router.EndpointNames());
//   metrics.RecordRequest(endpoint_id, 200, elapsed);           // server/session.cpp
//   metrics.RecordTokenIssued("client_credentials", keys::Algorithm::kEs256);
//   options.observer = metrics.RedisObserver();                  // server/shared_state.cpp
//   std::string text = metrics.Render();

#include <array>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "keys/algorithm.hpp"
#include "keys/key_ring.hpp"
#include "server/metrics_registry.hpp"
#include "store/redis_client_observer.hpp"

namespace signet::server {

// Request latencies: 1 ms .. 10 s (a token costs ~0.1-2 ms; argon2 tens of ms).
inline constexpr std::array<double, 12> kLatencyBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 10};

// Redis command latencies: 0.1 ms .. 250 ms (a round trip on the same network is ~0.1-1 ms;
// the client's default command timeout is 250 ms).
inline constexpr std::array<double, 11> kRedisLatencyBuckets = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25};

inline constexpr std::string_view kMetricsPath = "/metrics";
inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";
inline constexpr std::size_t kUnmatchedEndpoint = 0;  // 404s: "unmatched"

enum class IntrospectionResult { kActive, kInactive, kError };
// Login form submissions (issue 6): signet_logins_total{result}.
enum class LoginResult { kSuccess, kWrongCredentials, kTooManyAttempts, kUnavailable };

class ServerMetrics {
 public:
  using SystemClockFn = std::function<std::chrono::system_clock::time_point()>;

  explicit ServerMetrics(std::string_view version, SystemClockFn clock = nullptr);
  ~ServerMetrics();
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

  // For the revocation / introspection endpoints (wired by their owners).
  void RecordRevocation() noexcept { revocations_.Inc(); }
  void RecordIntrospection(IntrospectionResult result) noexcept;
  // For the authorize and logout endpoints: logins by result, codes issued from an existing
  // session without a login (signet_single_sign_on_total), sessions ended by a logout.
  void RecordLogin(LoginResult result) noexcept;
  void RecordSingleSignOn() noexcept { single_sign_on_.Inc(); }
  void RecordLogout() noexcept { logouts_.Inc(); }

  // Start-up, once, only when there is a Redis client: registers the signet_redis_* families
  // (absent without redis.url) and returns the observer to put in that client's
  // RedisAsyncClientOptions. This object must outlive the client's io_context handlers.
  [[nodiscard]] store::RedisClientObserver RedisObserver();

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
  std::array<Counter*, 4> logins_{};
  Counter& single_sign_on_;
  Counter& logouts_;
  struct RedisSeries;  // server/metrics_redis.cpp
  std::unique_ptr<RedisSeries> redis_;
};

}  // namespace signet::server

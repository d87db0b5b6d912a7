#include "server/metrics.hpp"

#include <array>
#include <chrono>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "keys/private_key.hpp"
#include "server/router.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"

namespace signet::server {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

bool Contains(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

TEST(MetricsRegistry, Render_ExactExpositionText) {
  Registry registry;
  Counter& counter = registry.AddCounter("test_requests_total", "Requests\\handled\nby path.",
                                         {{"path", "/a\"b\\c\nd"}, {"code", "200"}});
  counter.Inc();
  counter.Inc();
  registry.AddGauge("test_open", "Open things.").Set(3);
  constexpr std::array<double, 2> kBounds = {0.1, 1};
  Histogram& histogram = registry.AddHistogram("test_latency_seconds", "Latency.", {}, kBounds);
  histogram.Observe(milliseconds(50));
  histogram.Observe(milliseconds(100));  // on the bound: le is inclusive
  histogram.Observe(seconds(2));

  EXPECT_EQ(registry.Render(),
            "# HELP test_requests_total Requests\\\\handled\\nby path.\n"
            "# TYPE test_requests_total counter\n"
            "test_requests_total{path=\"/a\\\"b\\\\c\\nd\",code=\"200\"} 2\n"
            "# HELP test_open Open things.\n"
            "# TYPE test_open gauge\n"
            "test_open 3\n"
            "# HELP test_latency_seconds Latency.\n"
            "# TYPE test_latency_seconds histogram\n"
            "test_latency_seconds_bucket{le=\"0.1\"} 2\n"
            "test_latency_seconds_bucket{le=\"1\"} 2\n"
            "test_latency_seconds_bucket{le=\"+Inf\"} 3\n"
            "test_latency_seconds_sum 2.15\n"
            "test_latency_seconds_count 3\n");
}

TEST(MetricsRegistry, Render_SameNameExtendsOneFamily) {
  Registry registry;
  registry.AddCounter("test_total", "Things.", {{"kind", "a"}}).Inc(5);
  registry.AddCounter("test_total", "Things.", {{"kind", "b"}});
  EXPECT_EQ(registry.Render(),
            "# HELP test_total Things.\n"
            "# TYPE test_total counter\n"
            "test_total{kind=\"a\"} 5\n"
            "test_total{kind=\"b\"} 0\n");
}

TEST(MetricsRegistry, Render_CallbackSamplesAtScrapeTime) {
  Registry registry;
  double value = 1.5;
  registry.AddCallback("test_age_seconds", "Age.", MetricType::kGauge,
                       [&value](std::vector<MetricSample>& out) {
                         out.push_back({{{"alg", "ES256"}}, value});
                       });
  EXPECT_TRUE(Contains(registry.Render(), "test_age_seconds{alg=\"ES256\"} 1.5"));
  value = -2;
  EXPECT_TRUE(Contains(registry.Render(), "test_age_seconds{alg=\"ES256\"} -2"));
}

TEST(MetricsRegistry, Render_OnceObservedHistogramHiddenUntilUsed) {
  Registry registry;
  constexpr std::array<double, 1> kBounds = {0.1};
  Histogram& used = registry.AddHistogram("test_seconds", "Latency.", {{"op", "a"}}, kBounds,
                                          SeriesVisibility::kOnceObserved);
  registry.AddHistogram("test_seconds", "Latency.", {{"op", "b"}}, kBounds,
                        SeriesVisibility::kOnceObserved);
  EXPECT_EQ(registry.Render(),
            "# HELP test_seconds Latency.\n"
            "# TYPE test_seconds histogram\n");
  used.Observe(milliseconds(10));
  EXPECT_EQ(registry.Render(),
            "# HELP test_seconds Latency.\n"
            "# TYPE test_seconds histogram\n"
            "test_seconds_bucket{op=\"a\",le=\"0.1\"} 1\n"
            "test_seconds_bucket{op=\"a\",le=\"+Inf\"} 1\n"
            "test_seconds_sum{op=\"a\"} 0.01\n"
            "test_seconds_count{op=\"a\"} 1\n");
}

TEST(MetricsHistogram, Observe_BucketsByUpperBoundInclusive) {
  constexpr std::array<double, 3> kBounds = {0.001, 0.01, 0.1};
  Histogram histogram(kBounds);
  histogram.Observe(std::chrono::microseconds(999));   // <= 0.001
  histogram.Observe(milliseconds(1));                  // == 0.001
  histogram.Observe(std::chrono::microseconds(1001));  // <= 0.01
  histogram.Observe(milliseconds(100));                // == 0.1
  histogram.Observe(milliseconds(101));                // +Inf
  histogram.Observe(std::chrono::nanoseconds(-5));     // clock oddity: counted as 0
  EXPECT_EQ(histogram.BucketCounts(), (std::vector<std::uint64_t>{3, 1, 1, 1}));
  EXPECT_DOUBLE_EQ(histogram.SumSeconds(), 0.000999 + 0.001 + 0.001001 + 0.1 + 0.101);
}

TEST(MetricsConcurrency, Counter_ThreadsIncrementingGiveExactSum) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 100000;
  Counter counter;
  constexpr std::array<double, 1> kBounds = {0.001};
  Histogram histogram(kBounds);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        counter.Inc();
        histogram.Observe(std::chrono::microseconds(i % 2 == 0 ? 1 : 2000));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(counter.Value(), std::uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(histogram.BucketCounts(),
            (std::vector<std::uint64_t>{kThreads * kPerThread / 2, kThreads * kPerThread / 2}));
}

TEST(MetricsFormat, FormatMetricValue_PrometheusSpellings) {
  EXPECT_EQ(FormatMetricValue(12), "12");
  EXPECT_EQ(FormatMetricValue(0.005), "0.005");
  EXPECT_EQ(FormatMetricValue(0.0005), "0.0005");
  EXPECT_EQ(FormatMetricValue(1e21), "1e+21");
  EXPECT_EQ(FormatMetricValue(-1.25), "-1.25");
  EXPECT_EQ(FormatMetricValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatMetricValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatMetricValue(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(MetricsFormat, EscapeLabelValue_EscapesBackslashQuoteNewline) {
  EXPECT_EQ(EscapeLabelValue("plain/path"), "plain/path");
  EXPECT_EQ(EscapeLabelValue("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
}

TEST(ServerMetrics, RecordRequest_CountsByEndpointAndStatus) {
  ServerMetrics metrics("1.2.3");
  metrics.SetEndpoints({"unmatched", "/oauth2/token"});
  metrics.RecordRequest(1, 200, milliseconds(2));
  metrics.RecordRequest(1, 200, milliseconds(3));
  metrics.RecordRequest(1, 401, milliseconds(1));
  metrics.RecordRequest(kUnmatchedEndpoint, 404, milliseconds(1));
  metrics.RecordRequest(99, 404, milliseconds(1));  // an unknown id counts as unmatched
  const std::string text = metrics.Render();
  EXPECT_TRUE(
      Contains(text, "signet_http_requests_total{endpoint=\"/oauth2/token\",status=\"200\"} 2"));
  EXPECT_TRUE(
      Contains(text, "signet_http_requests_total{endpoint=\"/oauth2/token\",status=\"401\"} 1"));
  EXPECT_TRUE(
      Contains(text, "signet_http_requests_total{endpoint=\"unmatched\",status=\"404\"} 2"));
  EXPECT_TRUE(
      Contains(text, "signet_http_request_duration_seconds_count{endpoint=\"/oauth2/token\"} 3"));
  EXPECT_TRUE(Contains(
      text,
      "signet_http_request_duration_seconds_bucket{endpoint=\"/oauth2/token\",le=\"0.0025\"} 2"));
  EXPECT_TRUE(Contains(text, "signet_build_info{version=\"1.2.3\"} 1"));
}

TEST(ServerMetrics, RecordTokenIssued_ByGrantAndAlgorithm) {
  ServerMetrics metrics("1");
  metrics.RecordTokenIssued("client_credentials", keys::Algorithm::kEs256);
  metrics.RecordTokenIssued("client_credentials", keys::Algorithm::kEs256);
  metrics.RecordTokenIssued("client_credentials", keys::Algorithm::kRs256);
  metrics.RecordTokenIssued("urn:example:custom", keys::Algorithm::kEdDsa);
  const std::string text = metrics.Render();
  EXPECT_TRUE(Contains(
      text, "signet_tokens_issued_total{grant_type=\"client_credentials\",alg=\"ES256\"} 2"));
  EXPECT_TRUE(Contains(
      text, "signet_tokens_issued_total{grant_type=\"client_credentials\",alg=\"RS256\"} 1"));
  EXPECT_TRUE(Contains(text, "signet_tokens_issued_total{grant_type=\"other\",alg=\"EdDSA\"} 1"));
}

TEST(ServerMetrics, CoordinatorHooks_RevocationIntrospection) {
  ServerMetrics metrics("1");
  metrics.RecordRevocation();
  metrics.RecordIntrospection(IntrospectionResult::kActive);
  metrics.RecordIntrospection(IntrospectionResult::kInactive);
  metrics.RecordIntrospection(IntrospectionResult::kInactive);
  const std::string text = metrics.Render();
  EXPECT_TRUE(Contains(text, "signet_revocations_total 1"));
  EXPECT_TRUE(Contains(text, "signet_introspections_total{result=\"active\"} 1"));
  EXPECT_TRUE(Contains(text, "signet_introspections_total{result=\"inactive\"} 2"));
  EXPECT_TRUE(Contains(text, "signet_introspections_total{result=\"error\"} 0"));
}

TEST(ServerMetrics, SingleSignOnHooks_LoginsByResultSsoAndLogouts) {
  ServerMetrics metrics("1");
  metrics.RecordLogin(LoginResult::kSuccess);
  metrics.RecordLogin(LoginResult::kWrongCredentials);
  metrics.RecordLogin(LoginResult::kWrongCredentials);
  metrics.RecordLogin(LoginResult::kTooManyAttempts);
  metrics.RecordSingleSignOn();
  metrics.RecordLogout();
  const std::string text = metrics.Render();
  EXPECT_TRUE(Contains(text, "signet_logins_total{result=\"success\"} 1"));
  EXPECT_TRUE(Contains(text, "signet_logins_total{result=\"wrong_credentials\"} 2"));
  EXPECT_TRUE(Contains(text, "signet_logins_total{result=\"too_many_attempts\"} 1"));
  EXPECT_TRUE(Contains(text, "signet_logins_total{result=\"unavailable\"} 0"));
  EXPECT_TRUE(Contains(text, "signet_single_sign_on_total 1"));
  EXPECT_TRUE(Contains(text, "signet_logouts_total 1"));
}

TEST(ServerMetrics, Redis_AbsentWithoutARedisClient) {
  ServerMetrics metrics("1");
  EXPECT_EQ(metrics.Render().find("signet_redis"), std::string::npos);
}

TEST(ServerMetrics, RedisObserver_CountsCommandsByNameAndResult) {
  ServerMetrics metrics("1");
  const store::RedisClientObserver observer = metrics.RedisObserver();
  using store::RedisCommandOutcome;
  observer.on_command({"EVAL", RedisCommandOutcome::kOk, std::chrono::microseconds(300)});
  observer.on_command({"EVAL", RedisCommandOutcome::kOk, milliseconds(2)});
  observer.on_command({"GET", RedisCommandOutcome::kErrorReply, std::chrono::microseconds(90)});
  observer.on_command({"OTHER", RedisCommandOutcome::kTimeout, milliseconds(250)});
  observer.on_command({"GET", RedisCommandOutcome::kUnavailable, std::nullopt});
  const std::string text = metrics.Render();
  EXPECT_TRUE(Contains(text, "# TYPE signet_redis_commands_total counter"));
  EXPECT_TRUE(Contains(text, "signet_redis_commands_total{command=\"EVAL\",result=\"ok\"} 2"));
  EXPECT_TRUE(Contains(text, "signet_redis_commands_total{command=\"GET\",result=\"error\"} 1"));
  EXPECT_TRUE(
      Contains(text, "signet_redis_commands_total{command=\"GET\",result=\"unavailable\"} 1"));
  EXPECT_TRUE(
      Contains(text, "signet_redis_commands_total{command=\"OTHER\",result=\"timeout\"} 1"));
  EXPECT_FALSE(Contains(text, "signet_redis_commands_total{command=\"GET\",result=\"ok\"} 0"));
  // Latency per command; the refused GET has none. 0.1 ms .. 250 ms buckets.
  EXPECT_TRUE(Contains(text, "# TYPE signet_redis_command_duration_seconds histogram"));
  EXPECT_TRUE(Contains(
      text, "signet_redis_command_duration_seconds_bucket{command=\"EVAL\",le=\"0.0005\"} 1"));
  EXPECT_TRUE(Contains(
      text, "signet_redis_command_duration_seconds_bucket{command=\"EVAL\",le=\"0.0025\"} 2"));
  EXPECT_TRUE(Contains(text, "signet_redis_command_duration_seconds_count{command=\"EVAL\"} 2"));
  EXPECT_TRUE(Contains(
      text, "signet_redis_command_duration_seconds_bucket{command=\"GET\",le=\"0.0001\"} 1"));
  EXPECT_TRUE(Contains(text, "signet_redis_command_duration_seconds_count{command=\"GET\"} 1"));
  EXPECT_TRUE(Contains(
      text, "signet_redis_command_duration_seconds_bucket{command=\"OTHER\",le=\"0.25\"} 1"));
  // Commands never timed are left out rather than rendered as 16 zero lines each.
  EXPECT_EQ(text.find("command=\"HSET\""), std::string::npos);
}

TEST(ServerMetrics, RedisObserver_ConnectedGaugeAndReconnects) {
  ServerMetrics metrics("1");
  const store::RedisClientObserver observer = metrics.RedisObserver();
  std::string text = metrics.Render();
  EXPECT_TRUE(Contains(text, "# TYPE signet_redis_connected gauge"));
  EXPECT_TRUE(Contains(text, "signet_redis_connected 0"));
  EXPECT_TRUE(Contains(text, "# TYPE signet_redis_reconnects_total counter"));
  EXPECT_TRUE(Contains(text, "signet_redis_reconnects_total 0"));

  observer.on_connection(store::RedisConnectionEvent::kConnected);  // the first connection
  text = metrics.Render();
  EXPECT_TRUE(Contains(text, "signet_redis_connected 1"));
  EXPECT_TRUE(Contains(text, "signet_redis_reconnects_total 0"));

  observer.on_connection(store::RedisConnectionEvent::kDisconnected);
  EXPECT_TRUE(Contains(metrics.Render(), "signet_redis_connected 0"));
  observer.on_connection(store::RedisConnectionEvent::kConnected);
  text = metrics.Render();
  EXPECT_TRUE(Contains(text, "signet_redis_connected 1"));
  EXPECT_TRUE(Contains(text, "signet_redis_reconnects_total 1"));
}

TEST(ServerMetrics, RedisObserver_SecondCallRegistersNothingNew) {
  ServerMetrics metrics("1");
  const store::RedisClientObserver first = metrics.RedisObserver();
  const store::RedisClientObserver second = metrics.RedisObserver();
  first.on_command({"SET", store::RedisCommandOutcome::kOk, milliseconds(1)});
  second.on_command({"SET", store::RedisCommandOutcome::kOk, milliseconds(1)});
  const std::string text = metrics.Render();
  EXPECT_TRUE(Contains(text, "signet_redis_commands_total{command=\"SET\",result=\"ok\"} 2"));
  const auto help = std::string("# HELP signet_redis_connected ");
  EXPECT_EQ(text.find(help), text.rfind(help));
  EXPECT_EQ(text.find("signet_redis_connected 0"), text.rfind("signet_redis_connected 0"));
}

TEST(ServerMetrics, Connections_GaugeFollowsOpenAndClose) {
  ServerMetrics metrics("1");
  metrics.ConnectionOpened();
  metrics.ConnectionOpened();
  metrics.ConnectionClosed();
  EXPECT_TRUE(Contains(metrics.Render(), "signet_http_open_connections 1"));
}

keys::KeyEntry Entry(keys::Algorithm alg, keys::KeyState state, keys::TimePoint activates) {
  auto key = keys::PrivateKey::Generate(alg);
  EXPECT_TRUE(key.has_value());
  auto entry = keys::MakeKeyEntry(std::move(*key), state, activates - std::chrono::hours(1),
                                  activates, activates + std::chrono::hours(72));
  EXPECT_TRUE(entry.has_value());
  return std::move(*entry);
}

TEST(ServerMetrics, WatchKeyRing_StateAgeAndNextRotationAtScrapeTime) {
  const keys::TimePoint t0 = std::chrono::system_clock::time_point(seconds(1'700'000'000));
  keys::TimePoint now = t0 + seconds(600);
  ServerMetrics metrics("1", [&now] { return now; });
  keys::KeyRing ring;
  std::vector<keys::KeyEntry> entries;
  entries.push_back(Entry(keys::Algorithm::kEs256, keys::KeyState::kActive, t0));
  entries.push_back(Entry(keys::Algorithm::kEs256, keys::KeyState::kNext, t0 + seconds(3600)));
  entries.push_back(Entry(keys::Algorithm::kEdDsa, keys::KeyState::kActive, t0));
  ASSERT_TRUE(ring.Replace(std::move(entries)).has_value());
  metrics.WatchKeyRing(ring, seconds(86400));

  std::string text = metrics.Render();
  EXPECT_TRUE(Contains(text, "signet_keys{alg=\"ES256\",state=\"active\"} 1"));
  EXPECT_TRUE(Contains(text, "signet_keys{alg=\"ES256\",state=\"next\"} 1"));
  EXPECT_TRUE(Contains(text, "signet_keys{alg=\"EdDSA\",state=\"active\"} 1"));
  EXPECT_TRUE(Contains(text, "signet_active_key_age_seconds{alg=\"ES256\"} 600"));
  EXPECT_TRUE(Contains(text, "signet_key_next_rotation_seconds{alg=\"ES256\"} 3000"));
  // No next key published yet: the regular period from the activation.
  EXPECT_TRUE(Contains(text, "signet_key_next_rotation_seconds{alg=\"EdDSA\"} 85800"));
  EXPECT_EQ(text.find("alg=\"RS256\""), std::string::npos);

  now += seconds(100);  // computed at scrape time
  text = metrics.Render();
  EXPECT_TRUE(Contains(text, "signet_active_key_age_seconds{alg=\"ES256\"} 700"));
}

Response Ok(const Request& request, RequestContext&) {
  return JsonResponse(request, http::status::ok, "{}");
}

TEST(RouterEndpoints, Handle_ReportsEndpointIdResolvedAtRegistration) {
  Router router;
  router.Add(http::verb::get, "/a", Ok);
  router.Add(http::verb::post, "/b", Ok);
  router.Add(http::verb::put, "/a", Ok);  // same path: same endpoint id
  EXPECT_EQ(router.EndpointNames(), (std::vector<std::string>{"unmatched", "/a", "/b"}));

  RequestContext context;
  std::size_t endpoint = 99;
  Request get_b{http::verb::get, "/b?x=1", 11};  // 405 still names the path's endpoint
  (void)testing::RunAwaitable(router.Handle(get_b, context, endpoint));
  EXPECT_EQ(endpoint, 2u);
  Request head_a{http::verb::head, "/a", 11};
  (void)testing::RunAwaitable(router.Handle(head_a, context, endpoint));
  EXPECT_EQ(endpoint, 1u);
  Request unknown{http::verb::get, "/secret-looking-target", 11};
  const Response response = testing::RunAwaitable(router.Handle(unknown, context, endpoint));
  EXPECT_EQ(response.result(), http::status::not_found);
  EXPECT_EQ(endpoint, kUnmatchedEndpoint);
}

}  // namespace
}  // namespace signet::server

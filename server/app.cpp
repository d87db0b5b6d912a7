#include "server/app.hpp"

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include <spdlog/spdlog.h>

#include "config/embedded_default.hpp"
#include "config/key_timing.hpp"
#include "config/loader.hpp"
#include "keys/key_encryption.hpp"
#include "keys/key_ring.hpp"
#include "oauth/authorize_service.hpp"
#include "oauth/client_authenticator.hpp"
#include "oauth/client_registry.hpp"
#include "oauth/logout_service.hpp"
#include "oauth/token_service.hpp"
#include "oauth/userinfo_service.hpp"
#include "server/authorize_endpoint.hpp"
#include "server/cors.hpp"
#include "server/discovery_endpoint.hpp"
#include "server/health_endpoint.hpp"
#include "server/jwks_endpoint.hpp"
#include "server/key_maintenance.hpp"
#include "server/logging.hpp"
#include "server/logout_endpoint.hpp"
#include "server/metrics.hpp"
#include "server/revocation_endpoints.hpp"
#include "server/router.hpp"
#include "server/secret_verifier_pool.hpp"
#include "server/server.hpp"
#include "server/shared_state.hpp"
#include "server/tls_reloader.hpp"
#include "server/token_endpoint.hpp"
#include "server/userinfo_endpoint.hpp"
#include "store/key_storage.hpp"

namespace signet::server {
namespace {

using Failure = boost::system::result<std::unique_ptr<App>, std::string>;

std::string Describe(std::string_view what, const boost::system::error_code& ec) {
  return std::string(what) + ": " + ec.message();
}

// The interface contract promises the demo client and user in the startup log. Their ids are
// logged for every config; a clear-text secret is logged only when it is the one compiled
// into the binary's embedded development default (so it is public already). A secret from
// any real config file never reaches the log.
void LogClientsAndUsers(const config::Config& config) {
  auto embedded =
      config::LoadConfigText(config::EmbeddedDefaultYaml(), config::kEmbeddedDefaultName);
  const auto embedded_client = [&](const config::Client& client) -> bool {
    if (!embedded || client.client_secret.empty()) return false;
    for (const config::Client& demo : embedded->clients) {
      if (demo.client_id == client.client_id && demo.client_secret == client.client_secret) {
        return true;
      }
    }
    return false;
  };
  const auto embedded_user = [&](const config::User& user) -> bool {
    if (!embedded || user.password.empty()) return false;
    for (const config::User& demo : embedded->users) {
      if (demo.username == user.username && demo.password == user.password) return true;
    }
    return false;
  };
  for (const config::Client& client : config.clients) {
    const auto method = oauth::AuthMethodName(client.token_endpoint_auth_method);
    if (embedded_client(client)) {
      LogEvent(spdlog::level::warn, "demo client (development only, secret is public)",
               {{"client_id", client.client_id},
                {"client_secret", client.client_secret},
                {"token_endpoint_auth_method", method}});
    } else {
      LogEvent(spdlog::level::info, "client",
               {{"client_id", client.client_id}, {"token_endpoint_auth_method", method}});
    }
  }
  for (const config::User& user : config.users) {
    if (embedded_user(user)) {
      LogEvent(spdlog::level::warn, "demo user (development only, password is public)",
               {{"username", user.username}, {"password", user.password}});
    } else {
      LogEvent(spdlog::level::info, "user", {{"username", user.username}});
    }
  }
}

// The login form's CSRF key: derived from the KEK when one is configured (always with Redis),
// so every replica accepts a form another one served; otherwise random per process.
boost::system::result<std::unique_ptr<oauth::LoginCsrf>, std::string> LoginFormCsrf(
    const config::Config& config) {
  auto csrf = [&]() -> oauth::Expected<std::unique_ptr<oauth::LoginCsrf>> {
    if (config.keys.encryption_key_file.empty()) return oauth::LoginCsrf::Create();
    auto kek = keys::Kek::FromFile(config.keys.encryption_key_file);
    if (!kek) {
      return oauth::MakeError(oauth::ErrorCode::kServerError, "",
                              "keys.encryption_key_file: " + kek.error().message());
    }
    return oauth::LoginCsrf::FromKek(*kek);
  }();
  if (!csrf) return "login form CSRF key: " + csrf.error().debug;
  return std::move(*csrf);
}

}  // namespace

struct App::Parts {
  config::Config config;
  keys::KeyRing ring;
  // Outlives every component that records into it (declared before them).
  std::unique_ptr<ServerMetrics> metrics = std::make_unique<ServerMetrics>(SIGNET_VERSION);
  std::unique_ptr<JwksEndpoint> jwks;
  std::unique_ptr<DiscoveryEndpoint> discovery;
  std::unique_ptr<ReadinessEndpoint> readiness;
  std::unique_ptr<HttpServer> http;  // stops referencing the others first
  // argon2 checks off the I/O threads. Destroyed before `http`: after Run() has returned, its
  // abandoned checks may still hold session frames whose sockets belong to http's io_context.
  std::unique_ptr<SecretVerifierPool> verifier_pool;
  store::KeyStorage key_storage;
  // Destroyed first: its thread stops touching ring, jwks and key_storage.
  std::unique_ptr<KeyMaintenance> key_maintenance;
  // Everything below is created after `http` (the Redis client runs on its io_context) and
  // destroyed before it, in reverse order: the endpoints, then the token service, then the
  // stores they use.
  std::unique_ptr<SharedState> state;
  std::unique_ptr<oauth::TokenService> token_service;
  std::unique_ptr<TokenEndpoint> token;
  // /oauth2/revoke, /oauth2/introspect and /oauth2/revocations.
  std::unique_ptr<RevocationEndpoints> revocations;
  std::unique_ptr<oauth::UserinfoService> userinfo_service;
  std::unique_ptr<UserinfoEndpoint> userinfo;
  std::unique_ptr<oauth::AuthorizeService> authorize_service;
  std::unique_ptr<AuthorizeEndpoint> authorize;
  std::unique_ptr<oauth::LogoutService> logout_service;
  std::unique_ptr<LogoutEndpoint> logout;

  bool KeysReady() const {
    auto snapshot = ring.Snapshot();
    return jwks->loaded() && snapshot->ActiveSigner(config.tokens.signing_alg) != nullptr;
  }

  Router BuildRouter() {
    Router router;
    const auto bind = [](const auto* endpoint) {
      return [endpoint](const Request& request, RequestContext& context) {
        return endpoint->Handle(request, context);
      };
    };
    router.Add(http::verb::get, std::string(kOpenIdConfigurationPath), bind(discovery.get()));
    router.Add(http::verb::get, std::string(kOAuthMetadataPath), bind(discovery.get()));
    router.Add(http::verb::get, std::string(kJwksPath), bind(jwks.get()));
    // Looked up per request: `token` and `revocations` are set right after the server
    // exists, before Run().
    router.AddAsync(http::verb::post, std::string(kTokenPath),
                    [this](const Request& request, RequestContext& context) {
                      return token->Handle(request, context);
                    });
    router.AddAsync(http::verb::post, std::string(kRevokePath),
                    [this](const Request& request, RequestContext& context) {
                      return revocations->revoke().Handle(request, context);
                    });
    router.AddAsync(http::verb::post, std::string(kIntrospectPath),
                    [this](const Request& request, RequestContext& context) {
                      return revocations->introspect().Handle(request, context);
                    });
    // OIDC Core §5.3: the UserInfo endpoint MUST support GET and POST.
    for (const http::verb verb : {http::verb::get, http::verb::post}) {
      router.AddAsync(verb, std::string(kUserinfoPath),
                      [this](const Request& request, RequestContext& context) {
                        return userinfo->Handle(request, context);
                      });
    }
    // OIDC Core §3.1.2.1: GET and POST; the login form posts here too.
    for (const http::verb verb : {http::verb::get, http::verb::post}) {
      router.AddAsync(verb, std::string(kAuthorizePath),
                      [this](const Request& request, RequestContext& context) {
                        return authorize->Handle(request, context);
                      });
    }
    // RP-Initiated Logout 1.0 §2: GET and POST; the confirmation form posts here too.
    for (const http::verb verb : {http::verb::get, http::verb::post}) {
      router.AddAsync(verb, std::string(kLogoutPath),
                      [this](const Request& request, RequestContext& context) {
                        return logout->Handle(request, context);
                      });
    }
    router.AddAsync(http::verb::get, std::string(kRevocationFeedPath),
                    [this](const Request& request, RequestContext& context) {
                      return revocations->feed().Handle(request, context);
                    });
    router.Add(http::verb::get, std::string(kHealthzPath), Healthz);
    router.Add(http::verb::get, std::string(kReadyzPath), bind(readiness.get()));
    // No authentication: /metrics is scraped from inside the cluster, and the Helm chart's
    // NetworkPolicy admits only the scraper to it. It shows counts and key ages, never a kid,
    // client_id, token or secret.
    router.Add(http::verb::get, std::string(kMetricsPath),
               [m = metrics.get()](const Request& request, RequestContext&) {
                 return MakeResponse(request, http::status::ok, kMetricsContentType, m->Render());
               });
    // Issue 6 point 7: scripts on the origins of the registered redirect URIs may call these
    // (server/cors.hpp); not the authorize or logout pages (navigations), nor revocation,
    // introspection, the feed, /metrics or the probes.
    const auto cors = std::make_shared<const CorsPolicy>(CorsPolicy::FromConfig(config));
    for (const std::string_view path : {kTokenPath, kUserinfoPath, kJwksPath,
                                        kOpenIdConfigurationPath, kOAuthMetadataPath}) {
      router.EnableCors(path, cors);
    }
    // Endpoint ids are fixed now: the metrics get one label value per registered path.
    metrics->SetEndpoints(router.EndpointNames());
    router.SetMetrics(metrics.get());
    return router;
  }
};

App::App(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
App::~App() = default;

Failure App::Create(const config::Config& config, const AppOptions& options) {
  auto parts = std::make_unique<Parts>();
  parts->config = config;
  const config::Config& cfg = parts->config;  // the copy every component refers to

  // Keys: the store the config names (keys.dir or Redis, sealed with the KEK when one is set).
  // The first tick runs now, so a wrong KEK or an unreadable key stops start-up before the
  // server listens; later ticks rotate and pick up other replicas' rotations.
  const auto poll_interval = config::KeyPollInterval(cfg.keys.rotate_every);
  auto storage = store::OpenKeyStorage(cfg, {.lease_ttl = 4 * poll_interval});
  if (!storage) return storage.error();
  parts->key_storage = std::move(*storage);
  parts->jwks = std::make_unique<JwksEndpoint>(config::JwksMaxAge(cfg.keys.publish_ahead));
  auto maintenance =
      KeyMaintenance::Start(*parts->key_storage.manager, parts->ring, *parts->jwks, poll_interval);
  if (!maintenance) return maintenance.error();
  parts->key_maintenance = std::move(*maintenance);

  parts->verifier_pool = std::make_unique<SecretVerifierPool>(oauth::Argon2SecretVerifier());
  parts->metrics->WatchKeyRing(parts->ring, cfg.keys.rotate_every);
  parts->discovery = std::make_unique<DiscoveryEndpoint>(
      cfg, DiscoveryFeatures{.authorization_endpoint = true, .end_session_endpoint = true});
  Parts* raw = parts.get();
  // Readiness is keys-only on purpose: a Redis outage must not take every replica out of the
  // Service while client_credentials (which needs no shared state) still works; what needs
  // Redis answers 503 by itself.
  parts->readiness = std::make_unique<ReadinessEndpoint>(
      std::vector<ReadinessCheck>{{"keys", [raw] { return raw->KeysReady(); }}});

  HttpServerOptions http_options = OptionsFromConfig(cfg);
  http_options.handle_signals = options.handle_signals;
  if (cfg.tls) {  // HTTPS: the pair is checked now, a bad one stops start-up naming the key
    auto tls = TlsReloader::Create(*cfg.tls);
    if (!tls) return tls.error();
    http_options.tls = std::move(*tls);
  }
  auto http_server = HttpServer::Create(std::move(http_options), parts->BuildRouter());
  if (!http_server) return Describe("listen " + cfg.listen, http_server.error());
  parts->http = std::move(*http_server);
  auto state =
      SharedState::Create(cfg, parts->http->executor(), {.metrics = parts->metrics.get()});
  if (!state) return state.error();
  parts->state = std::move(*state);

  auto service = oauth::TokenService::Create(
      cfg, {.active_signer = oauth::KeyRingSigners(parts->ring),
            .verify_hash = parts->verifier_pool->Verifier(),
            .clock = oauth::SystemClock(),
            .revocations = &parts->state->revocations(),
            .refresh_tokens = &parts->state->refresh_tokens(),
            .login_failures = &parts->state->login_failures(),
            .authorization_codes = &parts->state->authorization_codes()});
  if (!service) return "token service: " + service.error().debug;
  parts->token_service = std::move(*service);
  parts->token = std::make_unique<TokenEndpoint>(*parts->token_service, parts->metrics.get());

  auto revocations =
      RevocationEndpoints::Create(cfg, parts->ring, parts->token_service->authenticator(),
                                  *parts->state, parts->metrics.get());
  if (!revocations) return revocations.error();
  parts->revocations = std::move(*revocations);

  auto userinfo = oauth::UserinfoService::Create(
      cfg, {.verification_keys = oauth::KeyRingSnapshots(parts->ring),
            .store = &parts->state->revocations(),
            .users = &parts->token_service->user_claims(),
            .clock = oauth::SystemClock(),
            // issue 6 point 5: a token for another audience gets 401.
            .accepted_audiences = {oauth::UserinfoAudience(cfg.issuer)}});
  if (!userinfo) return "userinfo service: " + userinfo.error().debug;
  parts->userinfo_service = std::move(*userinfo);
  parts->userinfo = std::make_unique<UserinfoEndpoint>(*parts->userinfo_service);

  auto csrf = LoginFormCsrf(cfg);
  if (!csrf) return csrf.error();
  const oauth::LoginCsrf* csrf_key = csrf->get();  // owned by the authorize service
  auto authorize = oauth::AuthorizeService::Create(
      cfg, {.registry = &parts->token_service->registry(),
            .password_login = parts->token_service->password_login(),
            .csrf = std::move(*csrf),
            .codes = &parts->state->authorization_codes(),
            .sessions = &parts->state->sessions(),
            .revocations = &parts->state->revocations(),
            .clock = oauth::SystemClock(),
            .session_ttl = cfg.login.session_ttl});
  if (!authorize) return "authorize service: " + authorize.error().debug;
  parts->authorize_service = std::move(*authorize);
  parts->authorize = std::make_unique<AuthorizeEndpoint>(*parts->authorize_service, cfg.issuer,
                                                         parts->metrics.get());
  auto logout = oauth::LogoutService::Create(
      cfg, {.registry = &parts->token_service->registry(),
            .keys = oauth::KeyRingSnapshots(parts->ring),
            .csrf = csrf_key,
            .sessions = &parts->state->sessions(),
            .refresh_tokens = &parts->state->refresh_tokens(),
            .clock = oauth::SystemClock()});
  if (!logout) return "logout service: " + logout.error().debug;
  parts->logout_service = std::move(*logout);
  parts->logout =
      std::make_unique<LogoutEndpoint>(*parts->logout_service, cfg.issuer, parts->metrics.get());

  LogClientsAndUsers(cfg);
  LogEvent(spdlog::level::info, "listening on " + parts->http->local_address(),
           {{"issuer", cfg.issuer}, {"store", parts->state->Describe()}});
  return std::unique_ptr<App>(new App(std::move(parts)));
}

std::uint16_t App::port() const noexcept { return parts_->http->port(); }
void App::Run() { parts_->http->Run(); }
void App::Stop() { parts_->http->Stop(); }

int Serve(const config::Config& config) {
  InitLogging(config);
  auto app = App::Create(config);
  if (!app) {
    LogEvent(spdlog::level::err, "start-up failed", {{"reason", app.error()}});
    return 1;
  }
  (*app)->Run();
  spdlog::default_logger_raw()->flush();
  return 0;
}

}  // namespace signet::server

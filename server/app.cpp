#include "server/app.hpp"

#include <chrono>
#include <exception>
#include <optional>
#include <string_view>
#include <utility>

#include <spdlog/spdlog.h>

#include "config/embedded_default.hpp"
#include "config/loader.hpp"
#include "keys/key_file_store.hpp"
#include "keys/key_ring.hpp"
#include "oauth/client_authenticator.hpp"
#include "oauth/client_registry.hpp"
#include "oauth/token_service.hpp"
#include "server/discovery_endpoint.hpp"
#include "server/health_endpoint.hpp"
#include "server/jwks_endpoint.hpp"
#include "server/logging.hpp"
#include "server/router.hpp"
#include "server/server.hpp"
#include "server/token_endpoint.hpp"

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

}  // namespace

struct App::Parts {
  config::Config config;
  keys::KeyRing ring;
  std::unique_ptr<oauth::TokenService> token_service;
  std::unique_ptr<JwksEndpoint> jwks;
  std::unique_ptr<DiscoveryEndpoint> discovery;
  std::unique_ptr<TokenEndpoint> token;
  std::unique_ptr<ReadinessEndpoint> readiness;
  std::unique_ptr<HttpServer> http;  // last member: stops referencing the others first

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
    router.Add(http::verb::post, std::string(kTokenPath), bind(token.get()));
    router.Add(http::verb::get, std::string(kHealthzPath), Healthz);
    router.Add(http::verb::get, std::string(kReadyzPath), bind(readiness.get()));
    return router;
  }
};

App::App(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
App::~App() = default;

Failure App::Create(const config::Config& config, const AppOptions& options) {
  auto parts = std::make_unique<Parts>();
  parts->config = config;
  const config::Config& cfg = parts->config;  // the copy every component refers to

  // Keys: load keys.dir, generate what is missing (RFC 7638 kids survive restarts).
  auto store = keys::FileKeyStore::Open(cfg.keys.dir);
  if (!store) return Describe("keys.dir " + cfg.keys.dir, store.error());
  keys::KeyGenerationPolicy policy;
  policy.lifetime = cfg.keys.rotate_every;
  auto entries =
      keys::EnsureActiveKeys(*store, cfg.keys.algorithms, std::chrono::system_clock::now(), policy);
  if (!entries) return Describe("loading keys from " + cfg.keys.dir, entries.error());
  if (auto replaced = parts->ring.Replace(std::move(*entries)); !replaced) {
    return Describe("key set", replaced.error());
  }
  const auto snapshot = parts->ring.Snapshot();
  for (const keys::KeyEntry& entry : snapshot->entries()) {
    LogEvent(spdlog::level::info, "key",
             {{"kid", entry.kid},
              {"alg", keys::JwaName(entry.alg)},
              {"state", keys::KeyStateName(entry.state)}});
  }

  parts->jwks = std::make_unique<JwksEndpoint>(JwksMaxAge(cfg.keys.publish_ahead));
  if (auto updated = parts->jwks->Update(snapshot->Verifiers()); !updated) {
    return Describe("building the JWKS", updated.error());
  }

  oauth::TokenServiceDeps deps;
  deps.active_signer = oauth::KeyRingSigners(parts->ring);
  deps.verify_hash = oauth::Argon2SecretVerifier();
  deps.clock = oauth::SystemClock();
  auto service = oauth::TokenService::Create(cfg, std::move(deps));
  if (!service) return "token service: " + service.error().debug;
  parts->token_service = std::move(*service);

  parts->discovery = std::make_unique<DiscoveryEndpoint>(cfg);
  parts->token = std::make_unique<TokenEndpoint>(*parts->token_service);
  Parts* raw = parts.get();
  parts->readiness = std::make_unique<ReadinessEndpoint>(
      std::vector<ReadinessCheck>{{"keys", [raw] { return raw->KeysReady(); }}});

  HttpServerOptions http_options = OptionsFromConfig(cfg);
  http_options.handle_signals = options.handle_signals;
  auto http_server = HttpServer::Create(std::move(http_options), parts->BuildRouter());
  if (!http_server) return Describe("listen " + cfg.listen, http_server.error());
  parts->http = std::move(*http_server);

  LogClientsAndUsers(cfg);
  LogEvent(spdlog::level::info, "listening on " + parts->http->local_address(),
           {{"issuer", cfg.issuer}});
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

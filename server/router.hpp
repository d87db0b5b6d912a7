#pragma once
// Method + path -> handler. Exact path matches only (signet has no path parameters).
//
//   - unknown path: 404 with a JSON body;
//   - known path, method not registered: 405 with `Allow` listing the registered methods
//     (RFC 9110 §15.5.6 requires Allow on 405);
//   - HEAD on a path with GET: the GET handler runs and the body is dropped, keeping the
//     Content-Length the GET would have had (RFC 9110 §9.3.2).
//   - CORS (server/cors.hpp) on the paths given to EnableCors(): the router answers their
//     preflights and adds the CORS headers to every response, so handlers know nothing of it;
//     other paths pay one null check.
// The query string is ignored for routing. Immutable once built; Handle() is thread-safe.
//
// Handle() is a coroutine for every route: a synchronous handler runs inside it without
// suspending (one pooled coroutine frame per request; callgrind counts the difference per
// request, see the report of issue 3), an asynchronous one is awaited.
//
// Usage:
//   server::Router router;
//   router.Add(http::verb::get, "/healthz", Healthz);
//   router.AddAsync(http::verb::post, "/oauth2/token", token_handler);
//   router.EnableCors("/oauth2/token", cors_policy);  // after the path's routes
//   server::Response response = co_await router.Handle(request, context);

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_types.hpp"

namespace signet::server {

class CorsPolicy;
class ServerMetrics;

class Router {
 public:
  // A second handler for the same method and path replaces the first.
  void Add(http::verb method, std::string path, Handler handler);
  void AddAsync(http::verb method, std::string path, AsyncHandler handler);

  // Applies `policy` (not null) to `path`, which must already have a route (else
  // std::invalid_argument: a wiring mistake, found at start-up). The policy is shared by the
  // paths given it and lives as long as the router.
  void EnableCors(std::string_view path, std::shared_ptr<const CorsPolicy> policy);

  // `request` and `context` must stay valid until the awaitable completes.
  boost::asio::awaitable<Response> Handle(const Request& request, RequestContext& context) const;
  // The same, also telling which endpoint answered: the index of the request's path in
  // EndpointNames(), or 0 ("unmatched") for a 404. Resolved by the routing lookup itself, so
  // metrics never look a path up again nor see the raw target.
  boost::asio::awaitable<Response> Handle(const Request& request, RequestContext& context,
                                          std::size_t& endpoint) const;

  // The registered paths by endpoint id, in registration order; [0] is "unmatched".
  const std::vector<std::string>& EndpointNames() const noexcept { return endpoint_names_; }

  // Where sessions record requests and connections (server/metrics.hpp); null: nowhere.
  // The metrics must outlive the router's use.
  void SetMetrics(ServerMetrics* metrics) noexcept { metrics_ = metrics; }
  ServerMetrics* metrics() const noexcept { return metrics_; }

  // "GET, HEAD" for a registered path, "" for an unknown one.
  std::string AllowedMethods(std::string_view path) const;

 private:
  struct Route {
    http::verb method;
    std::size_t endpoint;  // index in endpoint_names_, shared by the routes of a path
    Handler handler;       // exactly one of the two is set
    AsyncHandler async_handler;
  };
  // Everything the router knows about one path: found with one lookup per request.
  struct Path {
    std::vector<Route> routes;               // never empty once the path exists
    std::shared_ptr<const CorsPolicy> cors;  // null: no CORS (the common case)
  };
  void Put(http::verb method, std::string path, Handler handler, AsyncHandler async_handler);
  static std::string AllowedMethods(const std::vector<Route>& routes);
  static boost::asio::awaitable<Response> Run(const Route& route, const Request& request,
                                              RequestContext& context);
  std::map<std::string, Path, std::less<>> routes_;
  std::vector<std::string> endpoint_names_{"unmatched"};
  ServerMetrics* metrics_ = nullptr;
};

}  // namespace signet::server

#pragma once
// Method + path -> handler. Exact path matches only (signet has no path parameters).
//
//   - unknown path: 404 with a JSON body;
//   - known path, method not registered: 405 with `Allow` listing the registered methods
//     (RFC 9110 §15.5.6 requires Allow on 405);
//   - HEAD on a path with GET: the GET handler runs and the body is dropped, keeping the
//     Content-Length the GET would have had (RFC 9110 §9.3.2).
// The query string is ignored for routing. Immutable once built; Handle() is thread-safe.
//
// Usage:
//   server::Router router;
//   router.Add(http::verb::get, "/healthz", Healthz);
//   server::Response response = router.Handle(request, context);

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_types.hpp"

namespace signet::server {

class Router {
 public:
  // A second handler for the same method and path replaces the first.
  void Add(http::verb method, std::string path, Handler handler);

  Response Handle(const Request& request, RequestContext& context) const;

  // "GET, HEAD" for a registered path, "" for an unknown one.
  std::string AllowedMethods(std::string_view path) const;

 private:
  struct Route {
    http::verb method;
    Handler handler;
  };
  std::map<std::string, std::vector<Route>, std::less<>> routes_;
};

}  // namespace signet::server

#include "server/router.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "server/cors.hpp"

namespace signet::server {

void Router::Add(http::verb method, std::string path, Handler handler) {
  Put(method, std::move(path), std::move(handler), nullptr);
}

void Router::AddAsync(http::verb method, std::string path, AsyncHandler handler) {
  Put(method, std::move(path), nullptr, std::move(handler));
}

void Router::Put(http::verb method, std::string path, Handler handler, AsyncHandler async_handler) {
  const auto [it, inserted] = routes_.try_emplace(path);
  if (inserted) endpoint_names_.push_back(std::move(path));
  auto& routes = it->second.routes;
  const std::size_t endpoint =
      routes.empty() ? endpoint_names_.size() - 1 : routes.front().endpoint;
  const auto same = std::find_if(routes.begin(), routes.end(),
                                 [method](const Route& r) { return r.method == method; });
  if (same != routes.end()) {
    same->handler = std::move(handler);
    same->async_handler = std::move(async_handler);
    return;
  }
  routes.push_back(Route{method, endpoint, std::move(handler), std::move(async_handler)});
}

void Router::EnableCors(std::string_view path, std::shared_ptr<const CorsPolicy> policy) {
  const auto it = routes_.find(path);
  if (it == routes_.end()) {
    throw std::invalid_argument("EnableCors: no route for " + std::string(path));
  }
  if (policy == nullptr) throw std::invalid_argument("EnableCors: null policy");
  it->second.cors = std::move(policy);
}

std::string Router::AllowedMethods(std::string_view path) const {
  const auto it = routes_.find(path);
  if (it == routes_.end()) return {};
  return AllowedMethods(it->second.routes);
}

std::string Router::AllowedMethods(const std::vector<Route>& routes) {
  std::string allow;
  bool has_get = false;
  bool has_head = false;
  for (const Route& route : routes) {
    if (!allow.empty()) allow += ", ";
    allow.append(http::to_string(route.method));
    has_get = has_get || route.method == http::verb::get;
    has_head = has_head || route.method == http::verb::head;
  }
  if (has_get && !has_head) allow += ", HEAD";
  return allow;
}

boost::asio::awaitable<Response> Router::Run(const Route& route, const Request& request,
                                             RequestContext& context) {
  if (route.async_handler) co_return co_await route.async_handler(request, context);
  co_return route.handler(request, context);
}

boost::asio::awaitable<Response> Router::Handle(const Request& request,
                                                RequestContext& context) const {
  std::size_t endpoint = 0;
  co_return co_await Handle(request, context, endpoint);
}

boost::asio::awaitable<Response> Router::Handle(const Request& request, RequestContext& context,
                                                std::size_t& endpoint) const {
  endpoint = 0;
  const std::string_view target{request.target().data(), request.target().size()};
  const std::string_view path = TargetPath(target);
  const auto it = routes_.find(path);
  if (it == routes_.end()) {
    co_return JsonErrorResponse(request, http::status::not_found, "not_found",
                                "no resource at this path");
  }
  const std::vector<Route>& routes = it->second.routes;
  const CorsPolicy* cors = it->second.cors.get();
  endpoint = routes.front().endpoint;
  // Fetch, "CORS-preflight request": answered here, before any handler runs. An OPTIONS
  // that is not a preflight from an allowed origin falls through to the 405 below.
  if (cors != nullptr && request.method() == http::verb::options && cors->IsPreflight(request)) {
    co_return cors->PreflightResponse(request, AllowedMethods(routes));
  }
  const auto find = [&routes](http::verb method) -> const Route* {
    for (const Route& route : routes) {
      if (route.method == method) return &route;
    }
    return nullptr;
  };
  Response response;
  if (const Route* route = find(request.method())) {
    if (route->async_handler) {
      response = co_await route->async_handler(request, context);
    } else {
      response = route->handler(request, context);
    }
  } else if (const Route* get =
                 request.method() == http::verb::head ? find(http::verb::get) : nullptr) {
    // RFC 9110 §9.3.2: HEAD is GET without the content.
    response = co_await Run(*get, request, context);
    if (!response.body().empty()) {  // else e.g. 304: nothing to announce
      const auto length = response.body().size();
      response.body().clear();
      response.content_length(length);
    }
  } else {
    response = JsonErrorResponse(request, http::status::method_not_allowed, "method_not_allowed",
                                 "method not allowed on this path");
    response.set(http::field::allow, AllowedMethods(routes));
  }
  if (cors != nullptr) cors->Apply(request, response);
  co_return response;
}

}  // namespace signet::server

#include "server/health_endpoint.hpp"

namespace signet::server {
namespace {

Response NoStoreJson(const Request& request, http::status status, std::string body) {
  Response response = JsonResponse(request, status, std::move(body));
  response.set(http::field::cache_control, "no-store");
  return response;
}

}  // namespace

Response Healthz(const Request& request, RequestContext&) {
  return NoStoreJson(request, http::status::ok, R"({"status":"ok"})");
}

Response ReadinessEndpoint::Handle(const Request& request, RequestContext&) const {
  for (const ReadinessCheck& check : checks_) {
    if (!check.ready()) {
      // Check names are constants chosen by signet: JSON-safe.
      return NoStoreJson(request, http::status::service_unavailable,
                         R"({"status":"not ready","failing":")" + check.name + R"("})");
    }
  }
  return NoStoreJson(request, http::status::ok, R"({"status":"ready"})");
}

}  // namespace signet::server

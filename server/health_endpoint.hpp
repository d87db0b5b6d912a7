#pragma once
// GET /healthz: liveness, 200 whenever the process serves HTTP.
// GET /readyz: readiness, 200 when every check passes (keys loaded; later: the store
// reachable), else 503 with the failing check's name. Both are no-store: a cached "ready"
// would defeat the probe.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "server/http_types.hpp"

namespace signet::server {

inline constexpr std::string_view kHealthzPath = "/healthz";
inline constexpr std::string_view kReadyzPath = "/readyz";

struct ReadinessCheck {
  std::string name;             // "keys", "store"
  std::function<bool()> ready;  // thread-safe, cheap, non-blocking
};

Response Healthz(const Request& request, RequestContext& context);

class ReadinessEndpoint {
 public:
  explicit ReadinessEndpoint(std::vector<ReadinessCheck> checks) : checks_(std::move(checks)) {}
  Response Handle(const Request& request, RequestContext& context) const;

 private:
  std::vector<ReadinessCheck> checks_;
};

}  // namespace signet::server

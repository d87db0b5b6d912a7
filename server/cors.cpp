#include "server/cors.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <functional>
#include <iterator>
#include <utility>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace signet::server {
namespace {

namespace urls = boost::urls;

std::string_view View(boost::beast::string_view text) { return {text.data(), text.size()}; }

// A host name as the URL standard serialises it for ASCII names: lowercase. A name with a
// byte outside printable ASCII would be an IDN, which browsers send as its A-label
// (xn--...); rather than convert it we leave it out, so it matches nothing. Registering the
// A-label works.
std::optional<std::string> NameHost(const urls::url_view& url) {
  std::string host = url.host_name();
  if (host.empty()) return std::nullopt;
  for (char& c : host) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) return std::nullopt;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return host;
}

std::optional<std::string> Host(const urls::url_view& url) {
  switch (url.host_type()) {
    case urls::host_type::name: return NameHost(url);
    case urls::host_type::ipv4: return url.host_ipv4_address().to_string();
    // Boost prints the RFC 5952 form (lowercase, longest zero run as "::"), as browsers do.
    case urls::host_type::ipv6: return "[" + url.host_ipv6_address().to_string() + "]";
    default: return std::nullopt;  // no host, or an IPvFuture literal no browser produces
  }
}

// ":port" unless the port is absent, empty or the scheme's default (RFC 6454 §6.2 step 5 and
// the URL standard: "https://a.example:443" has the origin "https://a.example"); nullopt for a
// port over 65535, which no browser accepts either.
std::optional<std::string> PortSuffix(const urls::url_view& url, std::uint16_t default_port) {
  if (!url.has_port() || url.port().empty()) return std::string();
  const std::string_view digits = View(url.port());
  std::uint32_t port = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc{} || end != digits.data() + digits.size() || port > 65535) {
    return std::nullopt;
  }
  if (port == default_port) return std::string();
  return ":" + std::to_string(port);
}

// Appends Origin to Vary, keeping what the handler set.
void AddVaryOrigin(Response& response) {
  const auto it = response.find(http::field::vary);
  if (it == response.end()) {
    response.set(http::field::vary, "Origin");
    return;
  }
  std::string vary(View(it->value()));
  vary += ", Origin";
  response.set(http::field::vary, vary);
}

}  // namespace

std::optional<std::string> SerializedOrigin(std::string_view uri) {
  const auto parsed = urls::parse_absolute_uri(uri);
  if (!parsed) return std::nullopt;
  const urls::url_view& url = *parsed;
  // Only "special" schemes with a tuple origin; http and https are all a redirect URI
  // reaching a browser page can use (others, e.g. private-use schemes of native apps
  // (RFC 8252 §7.1), have an opaque origin that serialises as "null").
  std::string_view scheme;
  std::uint16_t default_port = 0;
  switch (url.scheme_id()) {
    case urls::scheme::http:
      scheme = "http";
      default_port = 80;
      break;
    case urls::scheme::https:
      scheme = "https";
      default_port = 443;
      break;
    default: return std::nullopt;
  }
  if (!url.has_authority()) return std::nullopt;
  auto host = Host(url);
  if (!host) return std::nullopt;
  auto port = PortSuffix(url, default_port);
  if (!port) return std::nullopt;
  std::string origin(scheme);
  origin += "://";
  origin += *host;
  origin += *port;
  return origin;
}

CorsPolicy::CorsPolicy(std::vector<std::string> origins) : origins_(std::move(origins)) {
  std::sort(origins_.begin(), origins_.end());
  origins_.erase(std::unique(origins_.begin(), origins_.end()), origins_.end());
}

CorsPolicy CorsPolicy::FromUris(const std::vector<std::string>& uris) {
  std::vector<std::string> origins;
  for (const std::string& uri : uris) {
    if (auto origin = SerializedOrigin(uri)) origins.push_back(std::move(*origin));
  }
  return CorsPolicy(std::move(origins));
}

CorsPolicy CorsPolicy::FromConfig(const config::Config& config) {
  std::vector<std::string> uris;
  for (const config::Client& client : config.clients) {
    uris.insert(uris.end(), client.redirect_uris.begin(), client.redirect_uris.end());
    uris.insert(uris.end(), client.post_logout_redirect_uris.begin(),
                client.post_logout_redirect_uris.end());
  }
  return FromUris(uris);
}

bool CorsPolicy::AllowsOrigin(std::string_view origin) const noexcept {
  // "null" cannot be in the set (SerializedOrigin never yields it); checked anyway so that
  // the rule does not depend on that.
  if (origin.empty() || origin == "null") return false;
  return std::binary_search(origins_.begin(), origins_.end(), origin, std::less<>{});
}

std::string_view CorsPolicy::AllowedOriginOf(const Request& request) const {
  const auto range = request.equal_range(http::field::origin);
  if (range.first == range.second) return {};
  // Two Origin fields: not something a browser sends; refuse rather than pick one.
  if (std::next(range.first) != range.second) return {};
  const std::string_view origin = View(range.first->value());
  return AllowsOrigin(origin) ? origin : std::string_view{};
}

bool CorsPolicy::IsPreflight(const Request& request) const {
  // Fetch, "CORS-preflight request": OPTIONS with Origin and Access-Control-Request-Method.
  return request.method() == http::verb::options &&
         !HeaderValue(request, http::field::access_control_request_method).empty() &&
         !AllowedOriginOf(request).empty();
}

Response CorsPolicy::PreflightResponse(const Request& request,
                                       std::string_view allowed_methods) const {
  // Fetch, "CORS-preflight fetch": any 2xx is ok; 204 as there is no content.
  Response response{http::status::no_content, request.version()};
  response.set(http::field::server, "signet");
  response.set(http::field::access_control_allow_origin, AllowedOriginOf(request));
  // The browser checks the requested method and headers against these lists itself; the
  // safelisted GET, HEAD and POST would pass without being listed, listing them is clearer.
  response.set(http::field::access_control_allow_methods, allowed_methods);
  response.set(http::field::access_control_allow_headers, kCorsAllowHeaders);
  response.set(http::field::access_control_max_age, kCorsMaxAge);
  AddVaryOrigin(response);
  return response;
}

void CorsPolicy::Apply(const Request& request, Response& response) const {
  // A shared cache must not hand the answer for one Origin (with or without Allow-Origin)
  // to another (Fetch, "CORS protocol and HTTP caches").
  AddVaryOrigin(response);
  const std::string_view origin = AllowedOriginOf(request);
  if (origin.empty()) return;
  response.set(http::field::access_control_allow_origin, origin);
  response.set(http::field::access_control_expose_headers, kCorsExposeHeaders);
}

}  // namespace signet::server

#pragma once
// The browser cookies of single sign-on (issue 6 point 3): reading them from the Cookie
// header (RFC 6265 §5.4) and writing Set-Cookie (§4.1).
//
// Two cookies, both opaque random values, HttpOnly, SameSite=Lax, Path=/:
//   - the session cookie: the login session's id (store::SessionStore keeps its SHA-256);
//   - the binding cookie: what the login form's CSRF token is bound to (oauth/login_csrf.hpp).
// Over HTTPS (an https issuer) they are Secure and carry the `__Host-` prefix (RFC 6265bis
// §4.1.3.2): the browser then refuses them from a sibling domain or over plain HTTP, so
// another host under the same parent domain cannot plant or overwrite them. Over plain HTTP
// (development) neither is possible and the plain names are used.
// SameSite=Lax, not Strict: the session must ride the top-level navigation from the client's
// site to /oauth2/authorize (that is the single sign-on), which Strict would drop.
//
// Usage:
//   server::SsoCookies cookies(config.issuer);
//   auto values = cookies.Read(request);                    // oauth::BrowserCookies
//   cookies.SetSession(response, value, max_age);  cookies.ClearSession(response);

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "oauth/authorize_service.hpp"
#include "server/http_types.hpp"

namespace signet::server {

// The value of cookie `name` in the request's Cookie header(s), nullopt when absent. A name
// sent twice (a sibling domain's cookie next to ours, without __Host-) yields the first one,
// as browsers order the more specific path and older cookie first (RFC 6265 §5.4 step 2).
std::optional<std::string_view> CookieValue(const Request& request, std::string_view name);

class SsoCookies {
 public:
  explicit SsoCookies(std::string_view issuer);

  oauth::BrowserCookies Read(const Request& request) const;

  void SetSession(Response& response, std::string_view value, std::chrono::seconds max_age) const;
  void ClearSession(Response& response) const;
  void SetBinding(Response& response, std::string_view value) const;

  const std::string& session_name() const noexcept { return session_name_; }
  const std::string& binding_name() const noexcept { return binding_name_; }

 private:
  void Set(Response& response, std::string_view name, std::string_view value,
           std::chrono::seconds max_age) const;

  bool secure_;
  std::string session_name_;  // "__Host-signet_session" or "signet_session"
  std::string binding_name_;  // "__Host-signet_login" or "signet_login"
};

// How long the binding cookie lives: a bit longer than a login form (oauth/pending_login.hpp).
inline constexpr std::chrono::seconds kBindingCookieMaxAge{3600};

}  // namespace signet::server

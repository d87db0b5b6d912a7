#include "server/login_page.hpp"

#include <algorithm>

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace signet::server {
namespace {

// The only style of both pages. Its hash goes into style-src, so an injected <style> or style
// attribute would not apply even if escaping ever failed. 16px inputs keep mobile browsers from
// zooming on focus.
constexpr std::string_view kStyle =
    "*{box-sizing:border-box}"
    "body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "background:#f4f5f7;color:#1d2330}"
    "main{max-width:24rem;margin:10vh auto;padding:2rem 1.5rem;background:#fff;"
    "border-radius:.75rem;box-shadow:0 1px 4px rgba(0,0,0,.12)}"
    "h1{font-size:1.4rem;margin:0 0 .25rem}"
    "p{margin:0 0 1rem;color:#4a5263;overflow-wrap:anywhere}"
    "label{display:block;margin:.75rem 0 .25rem;font-weight:600}"
    "input{width:100%;padding:.65rem .75rem;font:inherit;border:1px solid #b8bfcc;"
    "border-radius:.4rem}"
    "button{width:100%;margin-top:1.25rem;padding:.7rem;font:inherit;font-weight:600;"
    "color:#fff;background:#2454d6;border:0;border-radius:.4rem;cursor:pointer}"
    ".message{padding:.6rem .75rem;border-radius:.4rem;background:#fdecec;color:#8a1c1c}"
    "@media (max-width:30rem){main{max-width:none;margin:0;min-height:100vh;border-radius:0;"
    "box-shadow:none}}";

// CSP hash-source (CSP3 §2.3.1): 'sha256-' + standard base64 of the digest of the element's text.
std::string StyleHashSource() {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  unsigned int length = 0;
  if (EVP_Digest(kStyle.data(), kStyle.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return "'none'";  // fails closed: the page renders unstyled, still usable
  }
  unsigned char encoded[4 * ((SHA256_DIGEST_LENGTH + 2) / 3) + 1];
  const int size = EVP_EncodeBlock(encoded, digest, static_cast<int>(length));
  return "'sha256-" +
         std::string(reinterpret_cast<const char*>(encoded), static_cast<std::size_t>(size)) + "'";
}

const std::string& StyleSource() {
  static const std::string source = StyleHashSource();  // thread-safe initialisation
  return source;
}

std::string PageHead(std::string_view title) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n<title>";
  html += HtmlEscape(title);
  html += "</title>\n<style>";
  html += kStyle;
  html += "</style>\n</head>\n<body>\n<main>\n";
  return html;
}

constexpr std::string_view kPageTail = "</main>\n</body>\n</html>\n";

bool IsSchemeChar(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '-' || c == '.';
}

// Host and port characters a CSP host-source may hold (CSP3 §2.3.1 host-char, port-part).
bool IsAuthorityChar(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == ':' || c == '[' || c == ']';
}

Response PageResponse(const Request& request, http::status status, std::string body,
                      std::string_view extra_form_action) {
  Response response = MakeResponse(request, status, "text/html; charset=utf-8", std::move(body));
  SetPageSecurityHeaders(response, extra_form_action);
  return response;
}

}  // namespace

std::string TooManyAttemptsMessage(std::chrono::seconds retry_after) {
  const auto seconds = std::max<std::chrono::seconds::rep>(retry_after.count(), 1);
  return "Too many attempts, try again in " + std::to_string(seconds) + " s.";
}

std::string HtmlEscape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&#39;"; break;
      default: escaped.push_back(c);
    }
  }
  return escaped;
}

std::string RenderLoginPage(const LoginPage& page) {
  std::string html = PageHead("Sign in");
  html += "<h1>Sign in</h1>\n";
  if (!page.client_id.empty()) {
    html += "<p>to continue to " + HtmlEscape(page.client_id) + "</p>\n";
  }
  if (!page.message.empty()) {
    // role=alert: screen readers announce the failure when the page comes back.
    html += "<p class=\"message\" role=\"alert\">" + HtmlEscape(page.message) + "</p>\n";
  }
  html += "<form method=\"post\" action=\"" + HtmlEscape(page.action) + "\">\n";
  html += "<input type=\"hidden\" name=\"" + std::string(kLoginRequestIdField) + "\" value=\"" +
          HtmlEscape(page.request_id) + "\">\n";
  html += "<input type=\"hidden\" name=\"" + std::string(kLoginCsrfField) + "\" value=\"" +
          HtmlEscape(page.csrf_token) + "\">\n";
  html +=
      "<label for=\"username\">Username</label>\n"
      "<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" "
      "autocapitalize=\"none\" spellcheck=\"false\" required";
  if (page.username.empty()) {
    html += " autofocus>\n";
  } else {
    html += " value=\"" + HtmlEscape(page.username) + "\">\n";
  }
  html +=
      "<label for=\"password\">Password</label>\n"
      "<input id=\"password\" name=\"password\" type=\"password\" "
      "autocomplete=\"current-password\" required";
  html += page.username.empty() ? ">\n" : " autofocus>\n";
  html += "<button type=\"submit\">Sign in</button>\n</form>\n";
  html += kPageTail;
  return html;
}

std::string RenderErrorPage(std::string_view title, std::string_view message) {
  std::string html = PageHead(title);
  html += "<h1>" + HtmlEscape(title) + "</h1>\n";
  html += "<p class=\"message\" role=\"alert\">" + HtmlEscape(message) + "</p>\n";
  html += kPageTail;
  return html;
}

std::string RenderLogoutConfirmPage(const LogoutConfirmPage& page) {
  std::string html = PageHead("Sign out");
  html += "<h1>Sign out</h1>\n<p>Do you want to sign out of every application that uses this "
          "sign-in?</p>\n";
  html += "<form method=\"post\" action=\"" + HtmlEscape(page.action) + "\">\n";
  const auto hidden = [&html](std::string_view name, std::string_view value) {
    if (value.empty()) return;
    html += "<input type=\"hidden\" name=\"" + std::string(name) + "\" value=\"" +
            HtmlEscape(value) + "\">\n";
  };
  hidden("csrf_token", page.csrf_token);
  hidden("client_id", page.client_id);
  hidden("post_logout_redirect_uri", page.post_logout_redirect_uri);
  hidden("state", page.state);
  html += "<button type=\"submit\">Sign out</button>\n</form>\n";
  html += kPageTail;
  return html;
}

std::string PageContentSecurityPolicy(std::string_view extra_form_action) {
  std::string policy = "default-src 'none'; style-src " + StyleSource() + "; form-action 'self'";
  // Only a value shaped like FormActionSource's output: nothing that could end the directive
  // or add another (';', ',', spaces, quotes).
  const bool extra_ok = std::all_of(extra_form_action.begin(), extra_form_action.end(), [](char c) {
    return IsSchemeChar(c) || IsAuthorityChar(c) || c == '/';
  });
  if (!extra_form_action.empty() && extra_ok) {
    policy.push_back(' ');
    policy += extra_form_action;
  }
  policy += "; frame-ancestors 'none'; base-uri 'none'";
  return policy;
}

std::optional<std::string> FormActionSource(std::string_view redirect_uri) {
  const std::size_t colon = redirect_uri.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const std::string_view scheme = redirect_uri.substr(0, colon);
  if (!std::all_of(scheme.begin(), scheme.end(), IsSchemeChar)) return std::nullopt;
  if (scheme != "http" && scheme != "https") {
    return std::string(scheme) + ":";  // private-use scheme: a scheme-source
  }
  const std::string_view rest = redirect_uri.substr(colon + 1);
  if (rest.substr(0, 2) != "//") return std::nullopt;
  const std::string_view after = rest.substr(2);
  const std::string_view authority = after.substr(0, after.find_first_of("/?#"));
  // No userinfo ('@' is not an authority char here) and nothing that could end the directive.
  if (authority.empty() || !std::all_of(authority.begin(), authority.end(), IsAuthorityChar)) {
    return std::nullopt;
  }
  return std::string(scheme) + "://" + std::string(authority);
}

void SetPageSecurityHeaders(Response& response, std::string_view extra_form_action) {
  response.set("Content-Security-Policy", PageContentSecurityPolicy(extra_form_action));
  response.set(http::field::x_frame_options, "DENY");  // for browsers without frame-ancestors
  response.set(http::field::cache_control, "no-store");
  response.set(http::field::pragma, "no-cache");
  response.set("Referrer-Policy", "no-referrer");
  response.set("X-Content-Type-Options", "nosniff");
}

Response LoginPageResponse(const Request& request, const LoginPage& page, http::status status) {
  return PageResponse(request, status, RenderLoginPage(page), page.redirect_origin);
}

Response LogoutConfirmPageResponse(const Request& request, const LogoutConfirmPage& page) {
  return PageResponse(request, http::status::ok, RenderLogoutConfirmPage(page),
                      page.redirect_origin);
}

Response SignedOutPageResponse(const Request& request) {
  std::string html = PageHead("Signed out");
  html += "<h1>Signed out</h1>\n<p>You are signed out. You can close this window.</p>\n";
  html += kPageTail;
  return PageResponse(request, http::status::ok, std::move(html), {});
}

Response ErrorPageResponse(const Request& request, http::status status, std::string_view title,
                           std::string_view message) {
  return PageResponse(request, status, RenderErrorPage(title, message), {});
}

}  // namespace signet::server

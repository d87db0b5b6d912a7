#include "server/jwks_endpoint.hpp"

#include <algorithm>

#include <openssl/evp.h>

#include "jwks/jwk_set.hpp"
#include "keys/base64url.hpp"

namespace signet::server {
namespace {

constexpr std::string_view kJwkSetContentType = "application/jwk-set+json";
constexpr std::chrono::seconds kMaxAgeCap{3600};

std::string_view TrimOws(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string StrongEtag(std::string_view body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(body.data(), body.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    // Cannot happen for SHA-256 short of a broken OpenSSL; fall back to the length so the
    // tag still changes with most documents. (No exception across the server.)
    return "\"len-" + std::to_string(body.size()) + "\"";
  }
  const std::string_view bytes(reinterpret_cast<const char*>(digest), length);
  return "\"" + keys::Base64UrlEncode(bytes) + "\"";
}

bool IfNoneMatchMatches(std::string_view if_none_match, std::string_view etag) noexcept {
  // If-None-Match = "*" / #entity-tag ; entity-tag = [ "W/" ] opaque-tag
  const std::string_view wanted = etag.substr(0, 2) == "W/" ? etag.substr(2) : etag;
  while (!if_none_match.empty()) {
    const auto comma = if_none_match.find(',');
    std::string_view tag = TrimOws(if_none_match.substr(0, comma));
    if (tag == "*") return true;
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (!tag.empty() && tag == wanted) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

JwksEndpoint::JwksEndpoint(std::chrono::seconds max_age)
    : cache_control_("public, max-age=" + std::to_string(max_age.count())) {}

boost::system::result<void> JwksEndpoint::Update(std::span<const keys::Verifier> verifiers) {
  auto body = jwks::BuildJwksDocument(verifiers);
  if (!body) return body.error();
  auto document = std::make_shared<Document>();
  document->etag = StrongEtag(*body);
  document->body = std::move(*body);
  document_.store(std::move(document));
  return {};
}

bool JwksEndpoint::loaded() const noexcept { return document_.load() != nullptr; }

Response JwksEndpoint::Handle(const Request& request, RequestContext&) const {
  const std::shared_ptr<const Document> document = document_.load();
  if (!document) {
    Response response = JsonErrorResponse(request, http::status::service_unavailable,
                                          "temporarily_unavailable", "keys not loaded yet");
    response.set(http::field::retry_after, "1");
    return response;
  }
  const auto if_none_match = HeaderValue(request, http::field::if_none_match);
  const bool not_modified =
      !if_none_match.empty() && IfNoneMatchMatches(if_none_match, document->etag);
  Response response =
      not_modified ? MakeResponse(request, http::status::not_modified, {}, {})
                   : MakeResponse(request, http::status::ok, kJwkSetContentType, document->body);
  response.set(http::field::etag, document->etag);
  response.set(http::field::cache_control, cache_control_);
  return response;
}

}  // namespace signet::server

#pragma once
// GET /.well-known/jwks.json: the issuer's public keys (RFC 7517 §5), served from a document
// serialised once per key-set change.
//
// Caching (RFC 9111, RFC 9110 §13):
//   - ETag: strong, the quoted base64url SHA-256 of the body, so every replica serving the
//     same keys sends the same tag;
//   - If-None-Match listing that tag (or "*") -> 304 without a body, with ETag and
//     Cache-Control (RFC 9110 §13.1.2 uses weak comparison, so W/ prefixes also match);
//   - Cache-Control: public, max-age = min(keys.publish_ahead, 1 h) / 2 (config::JwksMaxAge,
//     config/key_timing.hpp, which explains the choice). A next key appears
//     in the JWKS publish_ahead before it signs; a verifier whose copy is at most max-age old
//     has fetched it before first use even through one intermediate cache (two stacked
//     caches can each add max-age, hence the halving). The 1 h cap bounds how long a
//     removed (compromised) key stays trusted by well-behaved caches.
//   - Content-Type: application/jwk-set+json (RFC 7517 §8.5.1).
//
// Usage:
//   server::JwksEndpoint jwks(config::JwksMaxAge(config.keys.publish_ahead));
//   if (auto ok = jwks.Update(snapshot->Verifiers()); !ok) ...;   // at start and on rotation
//   router.Add(http::verb::get, "/.well-known/jwks.json", ...jwks.Handle...);

#include <atomic>
#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

#include "keys/verifier.hpp"
#include "server/http_types.hpp"

namespace signet::server {

inline constexpr std::string_view kJwksPath = "/.well-known/jwks.json";

// "\"" + base64url(SHA-256(body)) + "\""
std::string StrongEtag(std::string_view body);

// True when an If-None-Match field value matches `etag` (RFC 9110 §13.1.2, weak comparison).
bool IfNoneMatchMatches(std::string_view if_none_match, std::string_view etag) noexcept;

class JwksEndpoint {
 public:
  explicit JwksEndpoint(std::chrono::seconds max_age);

  // Rebuilds the document from these verifiers; thread-safe against concurrent Handle().
  // Fails (and keeps the previous document) when jwks::BuildJwksDocument fails.
  [[nodiscard]] boost::system::result<void> Update(std::span<const keys::Verifier> verifiers);

  Response Handle(const Request& request, RequestContext& context) const;

  // True once Update succeeded (readiness).
  bool loaded() const noexcept;

 private:
  struct Document {
    std::string body;
    std::string etag;
  };
  std::string cache_control_;
  std::atomic<std::shared_ptr<const Document>> document_;
};

}  // namespace signet::server

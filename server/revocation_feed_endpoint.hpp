#pragma once
// GET /oauth2/revocations: signet's revocation feed (oauth/revocation_feed.hpp for what it
// holds and how it is signed, oauth/revocation_list.hpp for its claims), for resource servers
// that verify tokens offline and pull it beside the JWKS.
//
//   200  Content-Type: application/jwt (RFC 7519 §10.3.1), the JWT as the body;
//        Cache-Control: public, max-age=10 (oauth::RevocationFeed::kMaxAge: a revocation
//        reaches a polling verifier within about 15 s, and a burst of pulls costs one store
//        round trip each); ETag: strong, derived from the store revision, the signing kid and
//        the feed's iat (equal on every replica for the same list);
//   304  when If-None-Match names the current ETag (or "*"; RFC 9110 §13.1.2), with ETag and
//        Cache-Control, no body;
//   503  temporarily_unavailable + Retry-After: 1 when the revocation store cannot be asked
//        (never an empty list); 500 server_error without an active signing key. Errors are
//        the RFC 6749-style JSON of server/oauth_error_response.hpp, with no-store.
// The query string (e.g. `since=REV`) is ignored: the answer is always the full list.
// No authentication: the feed lists only jti values and subjects of revoked tokens, the same
// kind of public data as the JWKS.
//
// Usage:
//   server::RevocationFeedEndpoint endpoint(*feed);
//   router.AddAsync(http::verb::get, std::string(kRevocationFeedPath), ...endpoint.Handle...);

#include <string>
#include <string_view>

#include "oauth/revocation_feed.hpp"
#include "server/http_types.hpp"

namespace signet::server {

inline constexpr std::string_view kRevocationFeedPath = "/oauth2/revocations";
inline constexpr std::string_view kJwtContentType = "application/jwt";

class RevocationFeedEndpoint {
 public:
  // `feed` must outlive the endpoint.
  explicit RevocationFeedEndpoint(const oauth::RevocationFeed& feed);

  // `request` must stay valid until the awaitable completes.
  boost::asio::awaitable<Response> Handle(const Request& request, RequestContext& context) const;

 private:
  const oauth::RevocationFeed& feed_;
  std::string cache_control_;
};

}  // namespace signet::server

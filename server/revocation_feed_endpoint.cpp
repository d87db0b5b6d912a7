#include "server/revocation_feed_endpoint.hpp"

#include <utility>

#include <spdlog/spdlog.h>

#include "server/jwks_endpoint.hpp"
#include "server/logging.hpp"
#include "server/oauth_error_response.hpp"

namespace signet::server {

RevocationFeedEndpoint::RevocationFeedEndpoint(const oauth::RevocationFeed& feed)
    : feed_(feed),
      cache_control_("public, max-age=" + std::to_string(oauth::RevocationFeed::kMaxAge.count())) {}

boost::asio::awaitable<Response> RevocationFeedEndpoint::Handle(const Request& request,
                                                                RequestContext&) const {
  // A named operation, not a temporary in the co_await expression (GCC 12; see
  // server/token_endpoint.cpp).
  auto current = feed_.Current();
  oauth::Expected<oauth::RevocationFeedDocumentPtr> document = co_await std::move(current);
  if (!document) {
    const oauth::Error& error = document.error();
    LogEvent(spdlog::level::warn, "revocation feed unavailable",
             {{"error", oauth::ErrorName(error.code)}, {"debug", error.debug}});
    co_return OAuthErrorResponse(request, error);
  }
  const oauth::RevocationFeedDocument& feed = **document;
  const std::string etag = "\"" + feed.tag + "\"";
  const auto if_none_match = HeaderValue(request, http::field::if_none_match);
  // RFC 9110 §13.1.2: If-None-Match uses the weak comparison (IfNoneMatchMatches).
  const bool not_modified = !if_none_match.empty() && IfNoneMatchMatches(if_none_match, etag);
  Response response = not_modified
                          ? MakeResponse(request, http::status::not_modified, {}, {})
                          : MakeResponse(request, http::status::ok, kJwtContentType, feed.jwt);
  response.set(http::field::etag, etag);
  response.set(http::field::cache_control, cache_control_);
  co_return response;
}

}  // namespace signet::server

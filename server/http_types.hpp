#pragma once
// The HTTP vocabulary of signet's handlers: a parsed request in, a response out.
//
// Handlers are plain functions of (Request, RequestContext&) -> Response, so that every
// endpoint is unit-testable without sockets (Beast's handle_request in the examples). A
// handler that must wait (for a worker pool, a store) is an AsyncHandler returning an Asio
// awaitable; it runs on the connection's strand and suspends without blocking the I/O thread.
// The session owns keep-alive, Content-Length and limits; handlers only set status, headers
// and body.
//
// Usage:
//   server::Response Hello(const server::Request& request, server::RequestContext&) {
//     return server::JsonResponse(request, http::status::ok, R"({"hello":"world"})");
//   }

#include <functional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace signet::server {

namespace http = boost::beast::http;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// What a handler tells the access log, and what it knows about the connection.
struct RequestContext {
  std::string peer_ip;    // the TCP peer, for the oauth layer (never trusted for auth)
  std::string client_id;  // set by handlers once the client is known (registered ids only)
};

using Handler = std::function<Response(const Request&, RequestContext&)>;
// The request and context stay valid until the awaitable completes.
using AsyncHandler =
    std::function<boost::asio::awaitable<Response>(const Request&, RequestContext&)>;

// A response with `status`, Content-Type `content_type` and `body`, HTTP version copied from
// the request. Also sets `Server: signet`.
Response MakeResponse(const Request& request, http::status status, std::string_view content_type,
                      std::string body);

// application/json
Response JsonResponse(const Request& request, http::status status, std::string body);

// {"error":"<error>","error_description":"<description>"} for non-OAuth failures (404, 405,
// 413, 431, ...). `error` and `description` must be JSON-safe ASCII (they are constants).
Response JsonErrorResponse(const Request& request, http::status status, std::string_view error,
                           std::string_view description);

// The path of a request target without its query string ("/a?b=c" -> "/a"), for routing and
// the access log (query strings may carry codes or tokens and are never logged).
std::string_view TargetPath(std::string_view target) noexcept;

// The query of a request target ("/a?b=c" -> "b=c"; "" when there is none).
std::string_view TargetQuery(std::string_view target) noexcept;

// True when the Content-Type is application/x-www-form-urlencoded (case-insensitive, any
// parameters such as charset ignored; RFC 9110 §8.3.1).
bool IsFormUrlEncoded(std::string_view content_type) noexcept;

// The value of a header with this name, or "" (Beast field lookup without the enum).
std::string_view HeaderValue(const Request& request, http::field field);

}  // namespace signet::server

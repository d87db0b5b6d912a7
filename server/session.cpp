#include "server/session.hpp"

#include <exception>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include "server/logging.hpp"

namespace signet::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
using Clock = std::chrono::steady_clock;

constexpr auto kUseTuple = net::as_tuple(net::use_awaitable);
// Lingering close after an error answer: at most this long and this much discarded input.
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr std::size_t kLingerBytes = 1024 * 1024;

std::string_view View(beast::string_view text) { return {text.data(), text.size()}; }

// The answer to a request that could not be read, or nullopt to close silently.
std::optional<Response> ReadErrorResponse(const beast::error_code& ec) {
  Request request;  // no request was read: answer HTTP/1.1
  request.version(11);
  if (ec == beast::http::error::header_limit) {
    return JsonErrorResponse(request, http::status::request_header_fields_too_large,
                             "invalid_request", "request header fields too large");
  }
  if (ec == beast::http::error::body_limit) {
    return JsonErrorResponse(request, http::status::payload_too_large, "invalid_request",
                             "request body too large");
  }
  if (ec.category() == beast::http::make_error_code(beast::http::error::bad_target).category() &&
      ec != beast::http::error::end_of_stream && ec != beast::http::error::partial_message) {
    return JsonErrorResponse(request, http::status::bad_request, "invalid_request",
                             "malformed HTTP request");
  }
  return std::nullopt;  // timeout, reset, cancellation, EOF mid-request: nobody to answer
}

Response HandleSafely(const Router& router, const Request& request, RequestContext& context) {
  try {
    return router.Handle(request, context);
  } catch (const std::exception& e) {
    // The text stays in the log; the client gets a generic 500.
    LogEvent(spdlog::level::err, "handler failed", {{"error", e.what()}});
  } catch (...) {
    LogEvent(spdlog::level::err, "handler failed", {{"error", "unknown exception"}});
  }
  return JsonErrorResponse(request, http::status::internal_server_error, "server_error",
                           "internal error");
}

// Stops sending, then reads and discards input until EOF, kLingerBytes or kLingerTime.
net::awaitable<void> LingeringClose(beast::tcp_stream& stream) {
  beast::error_code ignored;
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  stream.expires_after(kLingerTime);
  std::size_t discarded = 0;
  char sink[16 * 1024];
  while (discarded < kLingerBytes) {
    auto [ec, n] = co_await stream.async_read_some(net::buffer(sink), kUseTuple);
    if (ec) break;
    discarded += n;
  }
  stream.socket().close(ignored);
}

// The response as one contiguous HTTP/1.1 message (RFC 9112 §4, §5): status line, fields as
// Beast holds them, empty line, body. Beast's generic serializer cost about 9% of the CPU
// of a JWKS GET (perf); one buffer and one send is all a Content-Length response needs.
std::string SerializeResponse(const Response& response) {
  std::string wire;
  wire.reserve(256 + response.body().size());
  wire += response.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  wire += std::to_string(response.result_int());
  wire.push_back(' ');
  wire += View(response.reason());
  wire += "\r\n";
  for (const auto& field : response) {
    wire += View(field.name_string());
    wire += ": ";
    wire += View(field.value());
    wire += "\r\n";
  }
  wire += "\r\n";
  wire += response.body();
  return wire;
}

net::awaitable<void> WriteResponse(beast::tcp_stream& stream, Response& response,
                                   const SessionOptions& options, beast::error_code& ec) {
  // 1xx, 204 and 304 carry no content and no Content-Length (RFC 9110 §8.6: a 304 may only
  // repeat the 200's length, which we do not track); prepare_payload would add "0".
  const bool bodiless = response.result() == http::status::not_modified ||
                        response.result() == http::status::no_content ||
                        response.result_int() < 200;
  if (!bodiless && !response.has_content_length() && !response.chunked()) {
    response.prepare_payload();
  }
  stream.expires_after(options.write_timeout);
  if (response.chunked()) {  // not produced by our handlers; Beast knows the framing
    auto [write_ec, n] = co_await http::async_write(stream, response, kUseTuple);
    (void)n;
    ec = write_ec;
    co_return;
  }
  const std::string wire = SerializeResponse(response);
  auto [write_ec, n] = co_await net::async_write(stream, net::buffer(wire), kUseTuple);
  (void)n;
  ec = write_ec;
}

// Reads the header, answers "Expect: 100-continue" (RFC 9110 §10.1.1; curl sends it for
// bodies over 1 KiB and would otherwise wait a second), then reads the body. Limits are
// checked on the header first, so an oversized Content-Length gets 413 before any 100.
net::awaitable<beast::error_code> ReadRequest(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                              http::request_parser<http::string_body>& parser,
                                              const SessionOptions& options) {
  auto [header_ec, header_n] = co_await http::async_read_header(stream, buffer, parser, kUseTuple);
  (void)header_n;
  if (header_ec) co_return header_ec;
  const auto expect = parser.get().find(http::field::expect);
  if (expect != parser.get().end() && !parser.is_done() &&
      beast::iequals(View(expect->value()), "100-continue")) {
    http::response<http::empty_body> proceed{http::status::continue_, 11};
    stream.expires_after(options.write_timeout);
    auto [write_ec, write_n] = co_await http::async_write(stream, proceed, kUseTuple);
    (void)write_n;
    if (write_ec) co_return write_ec;
    stream.expires_after(options.read_timeout);
  }
  auto [body_ec, body_n] = co_await http::async_read(stream, buffer, parser, kUseTuple);
  (void)body_n;
  co_return body_ec;
}

std::string PeerIp(const net::ip::tcp::socket& socket) {
  beast::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  return ec ? std::string() : endpoint.address().to_string();
}

net::awaitable<void> Serve(beast::tcp_stream& stream, const Router& router,
                           const SessionOptions& options, ConnectionTracker& tracker,
                           ConnectionTracker::Entry& entry) {
  const std::string peer_ip = PeerIp(stream.socket());
  beast::flat_buffer buffer;
  for (;;) {
    // Idle: nothing of the next request has arrived. Shutdown may cancel this read.
    if (buffer.size() == 0) {
      if (tracker.stopping()) co_return;
      entry.idle = true;
      stream.expires_after(options.read_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), kUseTuple);
      entry.idle = false;
      if (ec) co_return;  // EOF, idle timeout, reset, shutdown
      buffer.commit(n);
    }

    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(kHeaderLimit));
    parser.body_limit(kBodyLimit);
    stream.expires_after(options.read_timeout);
    beast::error_code read_ec = co_await ReadRequest(stream, buffer, parser, options);
    if (read_ec) {
      std::optional<Response> answer = ReadErrorResponse(read_ec);
      if (!answer) co_return;
      answer->keep_alive(false);
      beast::error_code write_ec;
      co_await WriteResponse(stream, *answer, options, write_ec);
      LogAccess({.method = "-",
                 .path = "-",
                 .status = answer->result_int(),
                 .duration = {},
                 .client_id = {},
                 .peer_ip = peer_ip});
      if (!write_ec) co_await LingeringClose(stream);
      co_return;
    }

    const auto started = Clock::now();
    Request request = parser.release();
    RequestContext context{peer_ip, {}};
    Response response = HandleSafely(router, request, context);
    const bool keep_alive = request.keep_alive() && !tracker.stopping();
    response.keep_alive(keep_alive);
    beast::error_code write_ec;
    co_await WriteResponse(stream, response, options, write_ec);
    LogAccess(
        {.method = View(request.method_string()),
         .path = TargetPath(View(request.target())),
         .status = response.result_int(),
         .duration = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started),
         .client_id = context.client_id,
         .peer_ip = peer_ip});
    if (write_ec || !keep_alive) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
}

}  // namespace

net::awaitable<void> RunSession(net::ip::tcp::socket socket, const Router& router,
                                SessionOptions options, ConnectionTracker& tracker,
                                std::shared_ptr<ConnectionTracker::Entry> entry) {
  beast::tcp_stream stream(std::move(socket));
  entry->socket = &stream.socket();
  try {
    co_await Serve(stream, router, options, tracker, *entry);
  } catch (const std::exception& e) {
    LogEvent(spdlog::level::err, "session failed", {{"error", e.what()}});
  } catch (...) {
    LogEvent(spdlog::level::err, "session failed", {{"error", "unknown exception"}});
  }
  entry->socket = nullptr;
  tracker.Release(entry);
}

}  // namespace signet::server

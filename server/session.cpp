#include "server/session.hpp"

#include <exception>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include "server/logging.hpp"
#include "server/metrics.hpp"
#include "server/session_connection.hpp"

namespace signet::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace ssl = net::ssl;
using Clock = std::chrono::steady_clock;
using tcp = net::ip::tcp;
using internal::Connection;
using internal::kIsTls;
using internal::TlsStream;

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

net::awaitable<Response> HandleSafely(const Router& router, const Request& request,
                                      RequestContext& context, std::size_t& endpoint) {
  try {
    co_return co_await router.Handle(request, context, endpoint);
  } catch (const std::exception& e) {
    // The text stays in the log; the client gets a generic 500.
    LogEvent(spdlog::level::err, "handler failed", {{"error", e.what()}});
  } catch (...) {
    LogEvent(spdlog::level::err, "handler failed", {{"error", "unknown exception"}});
  }
  co_return JsonErrorResponse(request, http::status::internal_server_error, "server_error",
                              "internal error");
}

// TLS: sends close_notify and waits up to kLingerTime for the client's (RFC 8446 §6.1), so
// that the client can tell the end of the answer from a truncation.
net::awaitable<void> CloseTls(Connection<TlsStream>& connection) {
  connection.ExpiresAfter(kLingerTime);
  auto [ec] = co_await connection.stream().async_shutdown(kUseTuple);
  (void)ec;  // the client may just close: nothing left to do either way
  beast::error_code ignored;
  connection.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

// Stops sending, then reads and discards input until EOF, kLingerBytes or kLingerTime.
// (TLS: the close_notify exchange instead, which also bounds what is read.)
template <class Stream>
net::awaitable<void> LingeringClose(Connection<Stream>& connection) {
  if constexpr (kIsTls<Stream>) {
    co_await CloseTls(connection);
  } else {
    beast::error_code ignored;
    connection.socket().shutdown(tcp::socket::shutdown_send, ignored);
    connection.ExpiresAfter(kLingerTime);
    std::size_t discarded = 0;
    char sink[16 * 1024];
    while (discarded < kLingerBytes) {
      auto [ec, n] = co_await connection.socket().async_read_some(net::buffer(sink), kUseTuple);
      if (ec) break;
      discarded += n;
    }
    connection.socket().close(ignored);
  }
}

// The response as one contiguous HTTP/1.1 message (RFC 9112 §4, §5): status line, fields as
// Beast holds them, empty line, body. Beast's generic serializer cost about 9% of the CPU
// of a JWKS GET (perf); one buffer and one send is all a Content-Length response needs.
// `wire` is the connection's buffer: cleared, its capacity reused for every response.
void SerializeResponse(const Response& response, std::string& wire) {
  wire.clear();
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
}

template <class Stream>
net::awaitable<void> WriteResponse(Connection<Stream>& connection, Response& response,
                                   const SessionOptions& options, std::string& wire,
                                   beast::error_code& ec) {
  // 1xx, 204 and 304 carry no content and no Content-Length (RFC 9110 §8.6: a 304 may only
  // repeat the 200's length, which we do not track); prepare_payload would add "0".
  const bool bodiless = response.result() == http::status::not_modified ||
                        response.result() == http::status::no_content ||
                        response.result_int() < 200;
  if (!bodiless && !response.has_content_length() && !response.chunked()) {
    response.prepare_payload();
  }
  connection.ExpiresAfter(options.write_timeout);
  if (response.chunked()) {  // not produced by our handlers; Beast knows the framing
    auto [write_ec, n] = co_await http::async_write(connection.stream(), response, kUseTuple);
    (void)n;
    ec = write_ec;
    co_return;
  }
  SerializeResponse(response, wire);
  auto [write_ec, n] = co_await net::async_write(connection.stream(), net::buffer(wire), kUseTuple);
  (void)n;
  ec = write_ec;
}

// Reads the header, answers "Expect: 100-continue" (RFC 9110 §10.1.1; curl sends it for
// bodies over 1 KiB and would otherwise wait a second), then reads the body. Limits are
// checked on the header first, so an oversized Content-Length gets 413 before any 100.
template <class Stream>
net::awaitable<beast::error_code> ReadRequest(Connection<Stream>& connection,
                                              beast::flat_buffer& buffer,
                                              http::request_parser<http::string_body>& parser,
                                              const SessionOptions& options) {
  auto [header_ec, header_n] =
      co_await http::async_read_header(connection.stream(), buffer, parser, kUseTuple);
  (void)header_n;
  if (header_ec) co_return header_ec;
  const auto expect = parser.get().find(http::field::expect);
  if (expect != parser.get().end() && !parser.is_done() &&
      beast::iequals(View(expect->value()), "100-continue")) {
    http::response<http::empty_body> proceed{http::status::continue_, 11};
    connection.ExpiresAfter(options.write_timeout);
    auto [write_ec, write_n] = co_await http::async_write(connection.stream(), proceed, kUseTuple);
    (void)write_n;
    if (write_ec) co_return write_ec;
    connection.ExpiresAfter(options.read_timeout);
  }
  auto [body_ec, body_n] =
      co_await http::async_read(connection.stream(), buffer, parser, kUseTuple);
  (void)body_n;
  co_return body_ec;
}

std::string PeerIp(const net::ip::tcp::socket& socket) {
  beast::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  return ec ? std::string() : endpoint.address().to_string();
}

template <class Stream>
net::awaitable<void> Serve(Connection<Stream>& connection, const Router& router,
                           const SessionOptions& options, ConnectionTracker& tracker,
                           ConnectionTracker::Entry& entry) {
  const std::string peer_ip = PeerIp(connection.socket());
  const net::any_io_executor executor = co_await net::this_coro::executor;  // the strand
  beast::flat_buffer buffer;
  std::string wire;  // response bytes, reused: one allocation per connection, not per response
  for (;;) {
    // Idle: nothing of the next request has arrived. Shutdown may cancel this read.
    if (buffer.size() == 0) {
      if (tracker.stopping()) co_return;
      entry.idle = true;
      connection.ExpiresAfter(options.read_timeout);
      auto [ec, n] = co_await connection.stream().async_read_some(buffer.prepare(4096), kUseTuple);
      entry.idle = false;
      if (ec) co_return;  // EOF, idle timeout, reset, shutdown
      buffer.commit(n);
    }

    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(kHeaderLimit));
    parser.body_limit(kBodyLimit);
    connection.ExpiresAfter(options.read_timeout);
    beast::error_code read_ec = co_await ReadRequest(connection, buffer, parser, options);
    if (read_ec) {
      std::optional<Response> answer = ReadErrorResponse(read_ec);
      if (!answer) co_return;
      answer->keep_alive(false);
      beast::error_code write_ec;
      co_await WriteResponse(connection, *answer, options, wire, write_ec);
      LogAccess({.method = "-",
                 .path = "-",
                 .status = answer->result_int(),
                 .duration = {},
                 .client_id = {},
                 .peer_ip = peer_ip});
      if (!write_ec) co_await LingeringClose(connection);
      co_return;
    }

    const auto started = Clock::now();
    connection.ExpiresNever();
    Request request = parser.release();
    RequestContext context{peer_ip, {}};
    std::size_t endpoint = kUnmatchedEndpoint;
    Response response = co_await HandleSafely(router, request, context, endpoint);
    const bool keep_alive = request.keep_alive() && !tracker.stopping();
    response.keep_alive(keep_alive);
    // Let the other connections whose requests are already read take their turn first, so
    // that under load the responses of one event-loop pass leave back to back: the client's
    // side is then woken once per burst instead of once per response (perf: the wake-up in
    // sock_def_readable fell from 9% to 3% of the server core; Redis batches its replies
    // for the same reason). Idle, the queue is empty and this costs one post.
    co_await net::post(executor, net::use_awaitable);
    beast::error_code write_ec;
    co_await WriteResponse(connection, response, options, wire, write_ec);
    const auto elapsed = Clock::now() - started;
    if (ServerMetrics* metrics = router.metrics()) {
      metrics->RecordRequest(endpoint, response.result_int(), elapsed);
    }
    LogAccess({.method = View(request.method_string()),
               .path = TargetPath(View(request.target())),
               .status = response.result_int(),
               .duration = std::chrono::duration_cast<std::chrono::microseconds>(elapsed),
               .client_id = context.client_id,
               .peer_ip = peer_ip});
    if (write_ec || !keep_alive) break;
  }
  if constexpr (kIsTls<Stream>) {
    co_await CloseTls(connection);
  } else {
    beast::error_code ignored;
    connection.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }
}

// The TLS handshake, bounded by read_timeout and cancelled by the shutdown like an idle read.
// A failure (plain HTTP, TLS 1.1, no shared cipher, a port scanner) is the client's problem:
// debug level, with OpenSSL's reason, never anything of the key.
net::awaitable<bool> Handshake(Connection<TlsStream>& connection, const SessionOptions& options,
                               ConnectionTracker& tracker, ConnectionTracker::Entry& entry) {
  if (tracker.stopping()) co_return false;
  entry.idle = true;
  connection.ExpiresAfter(options.read_timeout);
  auto [ec] = co_await connection.stream().async_handshake(ssl::stream_base::server, kUseTuple);
  entry.idle = false;
  if (!ec) co_return true;
  if (spdlog::should_log(spdlog::level::debug)) {
    LogEvent(spdlog::level::debug, "TLS handshake failed",
             {{"peer_ip", PeerIp(connection.socket())}, {"error", ec.message()}});
  }
  co_return false;
}

// Connection set-up and tear-down shared by both session kinds.
template <class Stream, class... Args>
net::awaitable<void> RunConnection(tcp::socket socket, const Router& router, SessionOptions options,
                                   ConnectionTracker& tracker,
                                   std::shared_ptr<ConnectionTracker::Entry> entry,
                                   Args&... stream_args) {
  Connection<Stream> connection(std::move(socket), stream_args...);
  entry->socket = &connection.socket();
  ServerMetrics* metrics = router.metrics();
  if (metrics != nullptr) metrics->ConnectionOpened();
  try {
    bool ready = true;
    if constexpr (kIsTls<Stream>) ready = co_await Handshake(connection, options, tracker, *entry);
    if (ready) co_await Serve(connection, router, options, tracker, *entry);
  } catch (const std::exception& e) {
    LogEvent(spdlog::level::err, "session failed", {{"error", e.what()}});
  } catch (...) {
    LogEvent(spdlog::level::err, "session failed", {{"error", "unknown exception"}});
  }
  if (metrics != nullptr) metrics->ConnectionClosed();
  entry->socket = nullptr;
  tracker.Release(entry);
}

}  // namespace

net::awaitable<void> RunSession(tcp::socket socket, const Router& router, SessionOptions options,
                                ConnectionTracker& tracker,
                                std::shared_ptr<ConnectionTracker::Entry> entry) {
  return RunConnection<tcp::socket>(std::move(socket), router, options, tracker, std::move(entry));
}

net::awaitable<void> RunTlsSession(tcp::socket socket, std::shared_ptr<ssl::context> context,
                                   const Router& router, SessionOptions options,
                                   ConnectionTracker& tracker,
                                   std::shared_ptr<ConnectionTracker::Entry> entry) {
  // The frame keeps `context` alive; the stream refers to it.
  co_await RunConnection<TlsStream>(std::move(socket), router, options, tracker, std::move(entry),
                                    *context);
}

}  // namespace signet::server

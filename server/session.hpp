#pragma once
// One HTTP/1.1 connection: read a request, route it, write the response, repeat while
// keep-alive holds (RFC 9112 §9.3).
//
// Limits (each ends the connection after the answer):
//   - request line + header fields over kHeaderLimit: 431 (RFC 6585 §5);
//   - body over kBodyLimit: 413 (RFC 9110 §15.5.14);
//   - malformed request: 400;
//   - a request not complete within read_timeout of its first byte, or no request within
//     read_timeout on an idle keep-alive connection: closed (slow clients cannot hold a
//     connection slot forever); writes have write_timeout.
// After an error answer the session stops sending and discards what the client still sends
// for a moment (a "lingering close"), so that the client reads the answer instead of a reset.
//
// HTTPS (RunTlsSession) is the same code over boost::asio::ssl::stream, compiled as a second
// instantiation so that the plain path keeps its direct socket calls. The TLS handshake runs
// under read_timeout (a client that connects and sends nothing is cut off); a failed handshake
// is logged at debug level and ends the connection; the end of a connection sends close_notify
// (RFC 8446 §6.1), waiting at most a second for the client's.

#include <chrono>
#include <cstddef>
#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "server/connection_tracker.hpp"
#include "server/router.hpp"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace signet::server {

inline constexpr std::size_t kHeaderLimit = 8 * 1024;
inline constexpr std::size_t kBodyLimit = 64 * 1024;

struct SessionOptions {
  std::chrono::steady_clock::duration read_timeout = std::chrono::seconds(30);
  std::chrono::steady_clock::duration write_timeout = std::chrono::seconds(30);
};

// Runs on the socket's executor (a strand) until the connection ends; never throws.
boost::asio::awaitable<void> RunSession(boost::asio::ip::tcp::socket socket, const Router& router,
                                        SessionOptions options, ConnectionTracker& tracker,
                                        std::shared_ptr<ConnectionTracker::Entry> entry);

// The same over TLS with `context` (kept alive for the connection's whole life).
boost::asio::awaitable<void> RunTlsSession(boost::asio::ip::tcp::socket socket,
                                           std::shared_ptr<boost::asio::ssl::context> context,
                                           const Router& router, SessionOptions options,
                                           ConnectionTracker& tracker,
                                           std::shared_ptr<ConnectionTracker::Entry> entry);

}  // namespace signet::server

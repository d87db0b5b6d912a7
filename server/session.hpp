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

#include <chrono>
#include <cstddef>
#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "server/connection_tracker.hpp"
#include "server/router.hpp"

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

}  // namespace signet::server

#pragma once
// The accept loop: one coroutine per listening socket. Every accepted connection gets its
// own strand (unless a single thread runs the io_context) and a session coroutine; past
// server.max_connections a connection is answered with a canned 503 and closed at once, so memory
// stays bounded under a connection flood. With TLS, each connection takes the certificate that
// is current when it is accepted (TlsReloader) and does its handshake in its session.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "server/connection_tracker.hpp"
#include "server/router.hpp"
#include "server/session.hpp"
#include "server/tls_reloader.hpp"

namespace signet::server {

// What a connection's handlers run on. With one I/O thread the io_context already runs one
// handler at a time, so a strand per connection only adds its queue and locking (about 3% of
// a token request's CPU, perf); with several I/O threads each connection needs its strand.
enum class ConnectionExecutor { kStrand, kIoContext };

// Accepts until the acceptor is closed. Never throws. kIoContext only when exactly one thread
// runs `io`. `tls`: nullptr serves plain HTTP, else HTTPS only.
boost::asio::awaitable<void> AcceptLoop(boost::asio::io_context& io,
                                        boost::asio::ip::tcp::acceptor& acceptor,
                                        const Router& router, SessionOptions options,
                                        ConnectionTracker& tracker,
                                        ConnectionExecutor connection_executor,
                                        const TlsReloader* tls = nullptr);

}  // namespace signet::server

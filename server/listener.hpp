#pragma once
// The accept loop: one coroutine per listening socket. Every accepted connection gets its
// own strand and a session coroutine; past server.max_connections a connection is answered
// with a canned 503 and closed at once, so memory stays bounded under a connection flood.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "server/connection_tracker.hpp"
#include "server/router.hpp"
#include "server/session.hpp"

namespace signet::server {

// Accepts until the acceptor is closed. Never throws.
boost::asio::awaitable<void> AcceptLoop(boost::asio::io_context& io,
                                        boost::asio::ip::tcp::acceptor& acceptor,
                                        const Router& router, SessionOptions options,
                                        ConnectionTracker& tracker);

}  // namespace signet::server

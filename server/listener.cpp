#include "server/listener.hpp"

#include <chrono>
#include <string_view>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include "server/logging.hpp"

namespace signet::server {
namespace {

namespace net = boost::asio;
using net::ip::tcp;

constexpr auto kUseTuple = net::as_tuple(net::use_awaitable);

// Sent without waiting to a connection over the limit; it fits any socket send buffer.
constexpr std::string_view kOverloaded =
    "HTTP/1.1 503 Service Unavailable\r\n"
    "Content-Type: application/json\r\n"
    "Retry-After: 1\r\n"
    "Connection: close\r\n"
    "Content-Length: 78\r\n"
    "\r\n"
    R"({"error":"temporarily_unavailable","error_description":"too many connections"})";

// Over TLS the canned text would be garbage before a handshake: the connection is just closed.
void Refuse(tcp::socket& socket, bool send_503) {
  boost::system::error_code ignored;
  socket.non_blocking(true, ignored);
  if (send_503) net::write(socket, net::buffer(kOverloaded), ignored);  // EAGAIN: text lost
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

}  // namespace

net::awaitable<void> AcceptLoop(net::io_context& io, tcp::acceptor& acceptor, const Router& router,
                                SessionOptions options, ConnectionTracker& tracker,
                                ConnectionExecutor connection_executor, const TlsReloader* tls) {
  net::steady_timer backoff(io);
  std::size_t refused = 0;
  for (;;) {
    const net::any_io_executor executor_for_socket =
        connection_executor == ConnectionExecutor::kStrand
            ? net::any_io_executor(net::make_strand(io))
            : net::any_io_executor(io.get_executor());
    auto [ec, accepted] = co_await acceptor.async_accept(executor_for_socket, kUseTuple);
    if (ec == net::error::operation_aborted || !acceptor.is_open()) break;
    if (ec) {
      // EMFILE/ENFILE and friends: the connection waits in the backlog; do not spin.
      LogEvent(spdlog::level::warn, "accept failed", {{"error", ec.message()}});
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(kUseTuple);
      continue;
    }
    // The socket keeps its strand (or the io_context) as executor (any_io_executor holds it).
    tcp::socket socket(std::move(accepted));
    auto entry = tracker.TryAdmit(socket.get_executor());
    if (!entry) {
      Refuse(socket, tls == nullptr);
      // One warning per 1000 refusals keeps a flood from flooding the log too.
      if (refused++ % 1000 == 0) {
        LogEvent(spdlog::level::warn, "connection refused: server.max_connections reached",
                 {{"refused_total", std::to_string(refused)}});
      }
      continue;
    }
    auto executor = socket.get_executor();
    if (tls != nullptr) {
      net::co_spawn(executor,
                    RunTlsSession(std::move(socket), tls->Current(), router, options, tracker,
                                  std::move(entry)),
                    net::detached);
      continue;
    }
    net::co_spawn(executor,
                  RunSession(std::move(socket), router, options, tracker, std::move(entry)),
                  net::detached);
  }
}

}  // namespace signet::server

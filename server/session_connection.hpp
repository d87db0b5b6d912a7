#pragma once
// A session's connection: the stream HTTP reads and writes (the TCP socket, or the TLS stream
// over it) and its one deadline, enforced by a watchdog coroutine. Only session.cpp includes
// this (it pulls in Asio's SSL headers); both instantiations live there.

#include <chrono>
#include <memory>
#include <type_traits>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/error_code.hpp>

namespace signet::server::internal {

using TlsStream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

template <class Stream>
inline constexpr bool kIsTls = std::is_same_v<Stream, TlsStream>;

// The TCP socket under a stream: for deadlines, the peer address and the tracker.
inline boost::asio::ip::tcp::socket& TcpSocket(boost::asio::ip::tcp::socket& stream) noexcept {
  return stream;
}
inline boost::asio::ip::tcp::socket& TcpSocket(TlsStream& stream) noexcept {
  return stream.next_layer();
}

// The connection's socket and its one deadline. beast::tcp_stream re-arms a timer around every
// read and write (a timer-queue insert and cancel under a mutex, and wrapped handlers: about
// 10k instructions per request, callgrind). Here an operation only stores its deadline, and
// one watchdog coroutine per connection sleeps until the deadline it last saw: when it wakes
// and the deadline has passed, it closes the socket (the pending operation fails); when the
// deadline moved later meanwhile, it sleeps again. Only a deadline moved earlier than the
// watchdog's wake-up time touches the timer. Everything runs on the connection's strand.
template <class Stream>
class Connection {
  using Clock = std::chrono::steady_clock;
  using tcp = boost::asio::ip::tcp;

 public:
  // `args`: the accepted socket, and for TLS the ssl::context.
  template <class... Args>
  explicit Connection(tcp::socket socket, Args&... args)
      : stream_(std::move(socket), args...),
        watch_(std::make_shared<Watch>(stream_.get_executor())) {
    watch_->socket = &TcpSocket(stream_);
    boost::asio::co_spawn(stream_.get_executor(), RunWatchdog(watch_), boost::asio::detached);
  }
  ~Connection() {
    watch_->socket = nullptr;  // the watchdog wakes, sees it and ends
    watch_->timer.cancel();
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  tcp::socket& socket() noexcept { return TcpSocket(stream_); }
  // What HTTP reads and writes: the socket itself, or the TLS stream over it.
  Stream& stream() noexcept { return stream_; }

  // The next operations must complete within `timeout` from now, or the socket is closed.
  void ExpiresAfter(Clock::duration timeout) {
    watch_->deadline = Clock::now() + timeout;
    if (watch_->deadline < watch_->armed) watch_->timer.cancel();  // wake it to re-arm earlier
  }
  // No deadline (while a handler runs: only I/O is timed, as with beast::tcp_stream).
  void ExpiresNever() noexcept { watch_->deadline = Clock::time_point::max(); }

 private:
  struct Watch {
    explicit Watch(const boost::asio::any_io_executor& executor) : timer(executor) {}
    boost::asio::steady_timer timer;
    Clock::time_point deadline = Clock::time_point::max();
    Clock::time_point armed = Clock::time_point::max();
    boost::asio::ip::tcp::socket* socket = nullptr;  // null once the connection is gone
  };

  static boost::asio::awaitable<void> RunWatchdog(std::shared_ptr<Watch> watch) {
    for (;;) {
      if (watch->socket == nullptr) co_return;
      if (Clock::now() >= watch->deadline) {
        boost::system::error_code ignored;
        watch->socket->close(ignored);  // the pending read or write fails at once
        watch->deadline = Clock::time_point::max();
      }
      watch->armed = watch->deadline;
      watch->timer.expires_at(watch->armed);
      auto [ec] =
          co_await watch->timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
      (void)ec;  // expired or cancelled: the loop re-reads the state either way
    }
  }

  Stream stream_;
  std::shared_ptr<Watch> watch_;
};

}  // namespace signet::server::internal

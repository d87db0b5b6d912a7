#include "server/server.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "server/connection_tracker.hpp"
#include "server/listener.hpp"
#include "server/logging.hpp"
#include "server/session.hpp"
#include "server/tls_reloader.hpp"

namespace signet::server {
namespace {

namespace net = boost::asio;
using net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto kUseTuple = net::as_tuple(net::use_awaitable);
constexpr auto kShutdownPoll = std::chrono::milliseconds(10);
// After the grace period, cancelled sessions get this long to unwind before the stop.
constexpr auto kCancelUnwind = std::chrono::seconds(1);

struct HostPort {
  std::string host;
  std::string port;
};

// "host:port" or "[v6]:port" (validated by the config loader; re-checked here).
boost::system::result<HostPort> SplitListen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) {
    return boost::system::errc::make_error_code(boost::system::errc::invalid_argument);
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return HostPort{std::move(host), listen.substr(colon + 1)};
}

}  // namespace

HttpServerOptions OptionsFromConfig(const config::Config& config) {
  HttpServerOptions options;
  options.listen = config.listen;
  options.threads = config.threads;
  options.max_connections = config.server.max_connections;
  options.read_timeout = config.server.read_timeout;
  // No separate key: a write that cannot make progress for read_timeout is as stuck.
  options.write_timeout = config.server.read_timeout;
  options.shutdown_grace = config.server.shutdown_grace;
  return options;
}

struct HttpServer::Impl {
  Impl(HttpServerOptions opts, Router r)
      : options(std::move(opts)),
        router(std::move(r)),
        tracker(options.max_connections),
        io(options.threads == 1 ? 1 : BOOST_ASIO_CONCURRENCY_HINT_DEFAULT),
        control(net::make_strand(io)),
        acceptor(control),
        signals(control),
        stop_trigger(control, Clock::time_point::max()),
        tls_timer(control),
        hup_signals(control) {}

  net::awaitable<void> WaitForSignal() {
    auto [ec, signal_number] = co_await signals.async_wait(kUseTuple);
    if (ec) co_return;  // cancelled by the shutdown
    LogEvent(spdlog::level::info, "signal received, shutting down",
             {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"}});
    stop_requested.store(true);
    stop_trigger.cancel();
  }

  // Certificate rotation: cert-manager replaces the files in place; a stat() a second is cheap.
  net::awaitable<void> WatchTlsFiles() {
    for (;;) {
      tls_timer.expires_after(options.tls_check_interval);
      auto [ec] = co_await tls_timer.async_wait(kUseTuple);
      if (ec || stop_requested.load()) co_return;
      (void)options.tls->CheckFiles();  // logs its outcome
    }
  }

  net::awaitable<void> ReloadTlsOnSighup() {
    for (;;) {
      auto [ec, signal_number] = co_await hup_signals.async_wait(kUseTuple);
      (void)signal_number;
      if (ec) co_return;  // cancelled by the shutdown
      (void)options.tls->Reload("SIGHUP");
    }
  }

  net::awaitable<void> ShutdownWhenTriggered() {
    // Ends by cancel(): Stop() or a signal. Stop() before Run() only sets the flag.
    if (!stop_requested.load()) co_await stop_trigger.async_wait(kUseTuple);
    boost::system::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    hup_signals.cancel(ignored);
    tls_timer.cancel();
    tracker.BeginShutdown();
    net::steady_timer poll(control);
    const auto grace_end = Clock::now() + options.shutdown_grace;
    while (tracker.size() > 0 && Clock::now() < grace_end) {
      poll.expires_after(kShutdownPoll);
      co_await poll.async_wait(kUseTuple);
    }
    if (tracker.size() > 0) {
      LogEvent(spdlog::level::warn, "shutdown grace elapsed, closing connections",
               {{"open", std::to_string(tracker.size())}});
      tracker.CancelAll();
      const auto unwind_end = Clock::now() + kCancelUnwind;
      while (tracker.size() > 0 && Clock::now() < unwind_end) {
        poll.expires_after(kShutdownPoll);
        co_await poll.async_wait(kUseTuple);
      }
    }
    LogEvent(spdlog::level::info, "stopped", {});
    io.stop();
  }

  // Members that sessions reference come before the io_context: it is destroyed first and
  // destroys any coroutine frame still queued in it.
  HttpServerOptions options;
  Router router;
  ConnectionTracker tracker;
  // Hint 1 with one I/O thread: Asio's scheduler then skips waking other threads (still
  // locked: the secret-verifier pool posts completions from its own threads).
  net::io_context io;
  net::strand<net::io_context::executor_type> control;  // acceptor, signals, shutdown
  tcp::acceptor acceptor;
  net::signal_set signals;
  net::steady_timer stop_trigger;
  net::steady_timer tls_timer;  // WatchTlsFiles
  net::signal_set hup_signals;  // SIGHUP: reload the TLS files (only with TLS)
  std::atomic<bool> started{false};
  std::atomic<bool> stop_requested{false};
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() = default;

boost::system::result<std::unique_ptr<HttpServer>> HttpServer::Create(HttpServerOptions options,
                                                                      Router router) {
  auto host_port = SplitListen(options.listen);
  if (!host_port) return host_port.error();
  auto impl = std::make_unique<Impl>(std::move(options), std::move(router));

  boost::system::error_code ec;
  tcp::resolver resolver(impl->io);
  const auto endpoints =
      resolver.resolve(host_port->host, host_port->port, tcp::resolver::numeric_service, ec);
  if (ec) return ec;
  if (endpoints.empty()) {
    return boost::system::errc::make_error_code(boost::system::errc::address_not_available);
  }
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  auto& acceptor = impl->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (ec) return ec;
  acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) return ec;
  acceptor.bind(endpoint, ec);
  if (ec) return ec;
  acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return ec;
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

std::uint16_t HttpServer::port() const noexcept {
  boost::system::error_code ec;
  const auto endpoint = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

std::string HttpServer::local_address() const {
  boost::system::error_code ec;
  const auto endpoint = impl_->acceptor.local_endpoint(ec);
  if (ec) return {};
  const auto address = endpoint.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

boost::asio::any_io_executor HttpServer::executor() const { return impl_->io.get_executor(); }

void HttpServer::Run() {
  Impl& impl = *impl_;
  if (impl.started.exchange(true)) return;
  if (impl.options.handle_signals) {
    impl.signals.add(SIGTERM);
    impl.signals.add(SIGINT);
    net::co_spawn(impl.control, impl.WaitForSignal(), net::detached);
  }
  net::co_spawn(impl.control, impl.ShutdownWhenTriggered(), net::detached);
  if (impl.options.tls) {
    net::co_spawn(impl.control, impl.WatchTlsFiles(), net::detached);
    if (impl.options.handle_signals) {
      impl.hup_signals.add(SIGHUP);
      net::co_spawn(impl.control, impl.ReloadTlsOnSighup(), net::detached);
    }
  }
  unsigned threads = impl.options.threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  SessionOptions session_options{impl.options.read_timeout, impl.options.write_timeout};
  const ConnectionExecutor connection_executor =
      threads == 1 ? ConnectionExecutor::kIoContext : ConnectionExecutor::kStrand;
  net::co_spawn(impl.control,
                AcceptLoop(impl.io, impl.acceptor, impl.router, session_options, impl.tracker,
                           connection_executor, impl.options.tls.get()),
                net::detached);

  std::vector<std::thread> workers;
  workers.reserve(threads - 1);
  for (unsigned i = 1; i < threads; ++i) workers.emplace_back([&impl] { impl.io.run(); });
  impl.io.run();
  for (auto& worker : workers) worker.join();
}

void HttpServer::Stop() {
  Impl* impl = impl_.get();
  impl->stop_requested.store(true);
  // At once, not via the strand: a response finished after Stop() returns must already say
  // Connection: close.
  impl->tracker.BeginShutdown();
  net::post(impl->control, [impl] { impl->stop_trigger.cancel(); });
}

}  // namespace signet::server

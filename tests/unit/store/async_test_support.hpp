#pragma once
// Runs coroutines for the store tests on a real multi-threaded io_context, as the server does.
//
//   IoThreads io(2);
//   auto reply = io.Run(client.Command("PING"));  // blocks the test thread, not an I/O thread

#include <chrono>
#include <functional>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace signet::store {

class IoThreads {
 public:
  explicit IoThreads(int threads) : work_(io_.get_executor()) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~IoThreads() { Join(); }
  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;

  boost::asio::io_context& io() noexcept { return io_; }
  boost::asio::any_io_executor executor() { return io_.get_executor(); }

  // Runs one awaitable to completion on the pool and returns its result.
  template <class T>
  T Run(boost::asio::awaitable<T> awaitable) {
    return boost::asio::co_spawn(io_, std::move(awaitable), boost::asio::use_future).get();
  }

  // Lets the pool finish the remaining work, then joins the threads.
  void Join() {
    work_.reset();
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

// Polls `condition` (a readiness probe, not a timing assumption); false after `limit`.
inline bool Eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace signet::store

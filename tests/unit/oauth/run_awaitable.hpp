#pragma once
// Test helper: runs one Asio awaitable to completion on a private io_context and returns its
// value (rethrowing its exception), so that coroutine APIs read like calls in tests.
//
// Usage:
//   Expected<AuthenticatedClient> client = testing::RunAwaitable(auth.Authenticate(request));

#include <exception>
#include <optional>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

namespace signet::testing {

template <class T>
T RunAwaitable(boost::asio::awaitable<T> operation) {
  boost::asio::io_context io;
  std::optional<T> result;
  std::exception_ptr failure;
  boost::asio::co_spawn(
      io,
      [&result, op = std::move(operation)]() mutable -> boost::asio::awaitable<void> {
        result.emplace(co_await std::move(op));
      },
      [&failure](std::exception_ptr error) { failure = error; });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

}  // namespace signet::testing

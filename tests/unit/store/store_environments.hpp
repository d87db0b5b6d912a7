#pragma once
// The two environments every store contract suite runs in: the in-memory twin, and the
// Redis implementation on a real redis-server (started on a free loopback port) through the
// async client. A typed test suite instantiates its tests for both:
//
//   using MemoryEnvironment = MemoryStoreEnvironment<RevocationStore, MemoryRevocationStore>;
//   using RedisEnvironment = RedisStoreEnvironment<RevocationStore, RedisRevocationStore>;
//   using Environments = ::testing::Types<MemoryEnvironment, RedisEnvironment>;

#include <chrono>
#include <stdexcept>

#include "store/redis_async_client.hpp"
#include "store/redis_url.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/unit/store/async_test_support.hpp"

namespace signet::store {

template <class Interface, class Memory>
class MemoryStoreEnvironment {
 public:
  explicit MemoryStoreEnvironment(IoThreads& /*io*/) {}
  Interface& store() { return store_; }

 private:
  Memory store_;
};

template <class Interface, class Redis>
class RedisStoreEnvironment {
 public:
  explicit RedisStoreEnvironment(IoThreads& io)
      : client_(io.executor(), ParseRedisUrl(redis_.url()).value(),
                {.command_timeout = std::chrono::seconds(5)}),
        store_(client_) {
    if (!Eventually([this] { return client_.connected(); })) {
      throw std::runtime_error("no connection to the test redis-server");
    }
  }
  Interface& store() { return store_; }

 private:
  test_support::RedisServer redis_;
  RedisAsyncClient client_;
  Redis store_;
};

}  // namespace signet::store

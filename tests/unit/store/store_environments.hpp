#pragma once
// The two environments every store contract suite runs in: the in-memory twin, and the
// Redis implementation on a real redis-server (started on a free loopback port) through the
// async client. A typed test suite instantiates its tests for both:
//
//   using MemoryEnvironment = MemoryStoreEnvironment<RevocationStore, MemoryRevocationStore>;
//   using RedisEnvironment = RedisStoreEnvironment<RevocationStore, RedisRevocationStore>;
//   using Environments = ::testing::Types<MemoryEnvironment, RedisEnvironment>;

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/redis_async_client.hpp"
#include "store/redis_sync_client.hpp"
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

// The fixture of a Redis store's own tests (what the contract cannot say: TTLs, key names):
// a redis-server, the store on an async client, and a blocking client to look at the keys.
//   class RedisSessionStoreTest : public RedisStoreTest<RedisSessionStore> {};
template <class Redis>
class RedisStoreTest : public ::testing::Test {
 protected:
  RedisStoreTest()
      : client_(io_.executor(), ParseRedisUrl(redis_.url()).value(),
                {.command_timeout = std::chrono::seconds(5)}),
        store_(client_),
        sync_(ParseRedisUrl(redis_.url()).value()) {
    if (!Eventually([this] { return client_.connected(); })) {
      throw std::runtime_error("no connection to the test redis-server");
    }
  }

  // PTTL of `key` in ms (-1: no TTL, -2: no key).
  std::int64_t Pttl(const std::string& key) {
    auto reply = sync_.Command("PTTL", key);
    EXPECT_TRUE(reply);
    return reply ? reply->integer() : -3;
  }
  std::vector<std::string> AllKeys() {
    std::vector<std::string> keys;
    auto reply = sync_.Command("KEYS", "*");
    EXPECT_TRUE(reply);
    if (reply) {
      for (const auto& item : reply->elements()) keys.push_back(item.str());
    }
    return keys;
  }

  test_support::RedisServer redis_;
  IoThreads io_{2};
  RedisAsyncClient client_;
  Redis store_;
  RedisSyncClient sync_;
};

}  // namespace signet::store

#pragma once
// Binds one hiredis async context (redisAsyncContext, hiredis 0.14 API) to Boost.Asio: the
// context's socket is wrapped in a posix::stream_descriptor and hiredis's event hooks
// (ev.addRead/delRead/addWrite/delWrite/cleanup) become async_wait(wait_read/wait_write) on
// a strand, which then calls redisAsyncHandleRead/Write. hiredis is not thread-safe, so every
// call into it for this context happens on that strand.
//
// Lifetimes (the hard part):
//  * hiredis frees the context itself on a read/write error or EOF, and we free it with
//    Close() on a timeout or shutdown. Either way it calls every pending reply callback with
//    a NULL reply and the `cleanup` hook (in an order that differs between hiredis versions,
//    and possibly twice). Cleanup is idempotent: it forgets the context, releases the fd
//    from the descriptor WITHOUT closing it (hiredis closes it right after) and tells the
//    listener.
//  * Pending async_waits hold a shared_ptr to this object and do nothing once the context is
//    gone, so a wait that completes after the fd was released (or reused) touches nothing.
//  * Close() must not run inside a hiredis callback: the owner posts it to the strand.

#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/strand.hpp>

#include "store/errc.hpp"

struct redisAsyncContext;  // hiredis/async.h

namespace signet::store::internal {

class AsioRedisConnection;

class RedisConnectionListener {
 public:
  // The context is being freed (connection lost or closed). Runs on the strand, inside
  // hiredis: it must not call back into hiredis for this context.
  virtual void OnConnectionClosed(AsioRedisConnection& connection) noexcept = 0;

 protected:
  ~RedisConnectionListener() = default;
};

using Strand = boost::asio::strand<boost::asio::any_io_executor>;

class AsioRedisConnection : public std::enable_shared_from_this<AsioRedisConnection> {
 public:
  // Takes ownership of `context` (a redisAsyncConnect result without error) and installs the
  // hooks. On failure the context is freed and kUnavailable returned. Call on the strand.
  [[nodiscard]] static Result<std::shared_ptr<AsioRedisConnection>> Attach(
      const Strand& strand, redisAsyncContext* context, RedisConnectionListener& listener);

  ~AsioRedisConnection();
  AsioRedisConnection(const AsioRedisConnection&) = delete;
  AsioRedisConnection& operator=(const AsioRedisConnection&) = delete;

  // The live context, or nullptr once hiredis freed it. Use only on the strand.
  redisAsyncContext* context() const noexcept { return context_; }
  // Frees the context now (pending callbacks get NULL replies). On the strand, never from
  // inside a hiredis callback.
  void Close() noexcept;

 private:
  enum class Direction { kRead, kWrite };

  AsioRedisConnection(const Strand& strand, RedisConnectionListener& listener);

  static void AddRead(void* self);
  static void DelRead(void* self);
  static void AddWrite(void* self);
  static void DelWrite(void* self);
  static void Cleanup(void* self);

  void Want(Direction direction, bool wanted);
  void Wait(Direction direction);
  void OnReady(Direction direction);

  redisAsyncContext* context_ = nullptr;
  boost::asio::posix::stream_descriptor socket_;
  RedisConnectionListener& listener_;
  bool want_read_ = false;
  bool want_write_ = false;
  bool reading_ = false;  // an async_wait(wait_read) is in flight
  bool writing_ = false;
};

}  // namespace signet::store::internal

#include "store/internal/asio_redis_connection.hpp"

#include <utility>

#include <hiredis/async.h>

namespace signet::store::internal {

namespace net = boost::asio;

AsioRedisConnection::AsioRedisConnection(const Strand& strand, RedisConnectionListener& listener)
    : socket_(strand), listener_(listener) {}

AsioRedisConnection::~AsioRedisConnection() {
  // The owner closes the context first; this only guards against a leak on odd shutdowns.
  Close();
}

Result<std::shared_ptr<AsioRedisConnection>> AsioRedisConnection::Attach(
    const Strand& strand, redisAsyncContext* context, RedisConnectionListener& listener) {
  std::shared_ptr<AsioRedisConnection> self(new AsioRedisConnection(strand, listener));
  boost::system::error_code ec;
  self->socket_.assign(context->c.fd, ec);
  if (ec) {
    redisAsyncFree(context);  // no hooks installed yet: frees and closes the fd
    return Errc::kUnavailable;
  }
  self->context_ = context;
  context->ev.data = self.get();
  context->ev.addRead = &AddRead;
  context->ev.delRead = &DelRead;
  context->ev.addWrite = &AddWrite;
  context->ev.delWrite = &DelWrite;
  context->ev.cleanup = &Cleanup;
  return self;
}

void AsioRedisConnection::Close() noexcept {
  if (context_ != nullptr) redisAsyncFree(context_);  // calls Cleanup
}

void AsioRedisConnection::AddRead(void* self) {
  static_cast<AsioRedisConnection*>(self)->Want(Direction::kRead, true);
}
void AsioRedisConnection::DelRead(void* self) {
  static_cast<AsioRedisConnection*>(self)->Want(Direction::kRead, false);
}
void AsioRedisConnection::AddWrite(void* self) {
  static_cast<AsioRedisConnection*>(self)->Want(Direction::kWrite, true);
}
void AsioRedisConnection::DelWrite(void* self) {
  static_cast<AsioRedisConnection*>(self)->Want(Direction::kWrite, false);
}

// hiredis is done with the context: forget it and hand the fd back without closing it
// (redisFree closes it after this hook). release() also cancels our waits and removes the fd
// from the reactor before it can be closed and reused.
void AsioRedisConnection::Cleanup(void* data) {
  auto* self = static_cast<AsioRedisConnection*>(data);
  if (self->context_ == nullptr) return;  // hiredis may call the hook twice
  self->context_ = nullptr;
  self->want_read_ = false;
  self->want_write_ = false;
  if (self->socket_.is_open()) static_cast<void>(self->socket_.release());
  self->listener_.OnConnectionClosed(*self);
}

// The hooks are idempotent requests ("keep telling me when readable"); a wait already in
// flight serves a repeated request, and a withdrawn one simply ignores its completion.
void AsioRedisConnection::Want(Direction direction, bool wanted) {
  (direction == Direction::kRead ? want_read_ : want_write_) = wanted;
  if (wanted) Wait(direction);
}

void AsioRedisConnection::Wait(Direction direction) {
  const bool read = direction == Direction::kRead;
  bool& in_flight = read ? reading_ : writing_;
  const bool wanted = read ? want_read_ : want_write_;
  if (in_flight || !wanted || context_ == nullptr) return;
  in_flight = true;
  socket_.async_wait(
      read ? net::posix::descriptor_base::wait_read : net::posix::descriptor_base::wait_write,
      [self = shared_from_this(), direction](boost::system::error_code ec) {
        (direction == Direction::kRead ? self->reading_ : self->writing_) = false;
        if (ec || self->context_ == nullptr) return;
        self->OnReady(direction);
      });
}

void AsioRedisConnection::OnReady(Direction direction) {
  const bool read = direction == Direction::kRead;
  if (read ? want_read_ : want_write_) {
    if (read) {
      redisAsyncHandleRead(context_);
    } else {
      redisAsyncHandleWrite(context_);
    }
  }
  Wait(direction);  // re-arms only while still wanted and the context is alive
}

}  // namespace signet::store::internal

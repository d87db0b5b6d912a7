#include "store/redis_sync_client.hpp"

#include <cerrno>
#include <string>
#include <utility>
#include <vector>

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include "store/internal/redis_command_args.hpp"

namespace signet::store {
namespace {

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(ms.count() / 1000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>((ms.count() % 1000) * 1000);
  return tv;
}

// Classifies the error hiredis recorded on the context. A blocking socket whose SO_RCVTIMEO
// or SO_SNDTIMEO elapsed fails with EAGAIN: that is our timeout.
Errc ClassifyError(const redisContext& context, int saved_errno) {
  switch (context.err) {
    case REDIS_ERR_IO:
      return saved_errno == EAGAIN || saved_errno == EWOULDBLOCK ? Errc::kTimeout
                                                                 : Errc::kUnavailable;
    case REDIS_ERR_PROTOCOL:
    case REDIS_ERR_OOM: return Errc::kProtocol;
    case REDIS_ERR_EOF:
    case REDIS_ERR_OTHER:
    default: return Errc::kUnavailable;
  }
}

}  // namespace

void RedisSyncClient::ContextDeleter::operator()(redisContext* context) const noexcept {
  redisFree(context);
}

RedisSyncClient::RedisSyncClient(RedisUrl url, RedisSyncClientOptions options)
    : url_(std::move(url)), options_(options) {}

RedisSyncClient::~RedisSyncClient() = default;
RedisSyncClient::RedisSyncClient(RedisSyncClient&&) noexcept = default;
RedisSyncClient& RedisSyncClient::operator=(RedisSyncClient&&) noexcept = default;

Result<void> RedisSyncClient::Connect() {
  if (context_) return {};
  ContextPtr context(
      redisConnectWithTimeout(url_.host.c_str(), url_.port, ToTimeval(options_.connect_timeout)));
  if (!context || context->err != 0) return Errc::kUnavailable;
  if (redisSetTimeout(context.get(), ToTimeval(options_.command_timeout)) != REDIS_OK) {
    return Errc::kUnavailable;
  }
  redisEnableKeepAlive(context.get());  // notices a vanished peer on an idle connection
  context_ = std::move(context);
  if (auto r = Handshake(); !r) {
    context_.reset();
    return r.error();
  }
  return {};
}

// AUTH ([user] password; Redis 6 ACLs when a user is given), then SELECT when db is not 0.
Result<void> RedisSyncClient::Handshake() {
  if (url_.password) {
    const std::string_view password = url_.password->reveal();
    std::vector<std::string_view> auth{"AUTH"};
    if (url_.user) auth.emplace_back(*url_.user);
    auth.push_back(password);
    auto reply = Send(auth);
    if (!reply) return reply.error();
    if (!reply->ExpectStatus("OK")) return Errc::kAuthFailed;
  }
  if (url_.db != 0) {
    const std::string db = std::to_string(url_.db);
    const std::array<std::string_view, 2> select{"SELECT", db};
    auto reply = Send(select);
    if (!reply) return reply.error();
    if (!reply->ExpectStatus("OK")) return Errc::kSelectFailed;
  }
  return {};
}

Result<RedisReply> RedisSyncClient::Command(std::span<const std::string_view> args) {
  if (auto r = Connect(); !r) return r.error();
  return Send(args);
}

Result<RedisReply> RedisSyncClient::Send(std::span<const std::string_view> args) {
  if (args.empty()) return Errc::kEmptyCommand;
  internal::RedisCommandArgs argv(args);
  errno = 0;
  void* raw = redisCommandArgv(context_.get(), argv.argc(), argv.argv(), argv.argvlen());
  const int saved_errno = errno;
  if (raw == nullptr) {
    const Errc error = ClassifyError(*context_, saved_errno);
    context_.reset();  // the stream may hold half a reply: never reuse it
    return error;
  }
  auto* reply = static_cast<redisReply*>(raw);
  RedisReply value = RedisReply::FromHiredis(*reply);
  freeReplyObject(reply);
  return value;
}

}  // namespace signet::store

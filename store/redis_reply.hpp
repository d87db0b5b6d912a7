#pragma once
// One Redis reply as an owned, copyable value (RESP2: nil, integer, simple string/status,
// error, bulk string, array), copied out of hiredis's redisReply tree so that it outlives the
// hiredis callback that produced it.
//
// A Redis error reply (-ERR ..., -WRONGTYPE ...) is a reply, not a transport failure: the
// clients return it as a value of type kError; the typed helpers below turn it into
// Errc::kServerError.
//
// Usage:
//   auto reply = co_await client.Command("GET", key);
//   if (!reply) return reply.error();              // kUnavailable, kTimeout, ...
//   auto value = reply->AsOptionalString();        // nil -> nullopt; other types -> kReplyType

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/errc.hpp"

struct redisReply;  // hiredis/hiredis.h; only redis_reply.cpp sees the definition

namespace signet::store {

class RedisReply {
 public:
  enum class Type { kNil, kInteger, kString, kStatus, kError, kArray };

  RedisReply() = default;  // nil
  static RedisReply Nil() { return {}; }
  static RedisReply Integer(std::int64_t value);
  static RedisReply String(std::string value);   // bulk string
  static RedisReply Status(std::string value);   // simple string: "OK", "PONG", "QUEUED"
  static RedisReply Error(std::string message);  // "ERR ...", "WRONGTYPE ..."
  static RedisReply Array(std::vector<RedisReply> elements);
  // Deep copy of a hiredis reply (nullptr, as hiredis passes on a lost connection, is not a
  // reply: callers map it to an error first).
  static RedisReply FromHiredis(const ::redisReply& reply);

  Type type() const noexcept { return type_; }
  bool IsNil() const noexcept { return type_ == Type::kNil; }
  bool IsError() const noexcept { return type_ == Type::kError; }
  // The integer of kInteger; 0 for other types.
  std::int64_t integer() const noexcept { return integer_; }
  // The bytes of kString, kStatus and kError; empty for other types.
  const std::string& str() const noexcept { return str_; }
  // The elements of kArray; empty for other types.
  const std::vector<RedisReply>& elements() const noexcept { return elements_; }

  // Typed access: kServerError for an error reply, kReplyType for any other mismatch.
  [[nodiscard]] Result<std::int64_t> AsInteger() const;
  [[nodiscard]] Result<std::string> AsString() const;  // bulk string or status
  [[nodiscard]] Result<std::optional<std::string>> AsOptionalString() const;  // nil -> nullopt
  [[nodiscard]] Result<void> ExpectStatus(std::string_view status) const;     // e.g. "OK"

  friend bool operator==(const RedisReply&, const RedisReply&) = default;

 private:
  Type type_ = Type::kNil;
  std::int64_t integer_ = 0;
  std::string str_;
  std::vector<RedisReply> elements_;
};

}  // namespace signet::store

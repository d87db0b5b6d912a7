#include "store/redis_reply.hpp"

#include <utility>

#include <hiredis/hiredis.h>

namespace signet::store {

RedisReply RedisReply::Integer(std::int64_t value) {
  RedisReply r;
  r.type_ = Type::kInteger;
  r.integer_ = value;
  return r;
}

RedisReply RedisReply::String(std::string value) {
  RedisReply r;
  r.type_ = Type::kString;
  r.str_ = std::move(value);
  return r;
}

RedisReply RedisReply::Status(std::string value) {
  RedisReply r = String(std::move(value));
  r.type_ = Type::kStatus;
  return r;
}

RedisReply RedisReply::Error(std::string message) {
  RedisReply r = String(std::move(message));
  r.type_ = Type::kError;
  return r;
}

RedisReply RedisReply::Array(std::vector<RedisReply> elements) {
  RedisReply r;
  r.type_ = Type::kArray;
  r.elements_ = std::move(elements);
  return r;
}

RedisReply RedisReply::FromHiredis(const ::redisReply& reply) {
  const auto text = [&reply] { return std::string(reply.str, reply.len); };
  switch (reply.type) {
    case REDIS_REPLY_INTEGER: return Integer(reply.integer);
    case REDIS_REPLY_STRING: return String(text());
    case REDIS_REPLY_STATUS: return Status(text());
    case REDIS_REPLY_ERROR: return Error(text());
    case REDIS_REPLY_ARRAY: {
      std::vector<RedisReply> elements;
      elements.reserve(reply.elements);
      for (std::size_t i = 0; i < reply.elements; ++i) {
        elements.push_back(reply.element[i] != nullptr ? FromHiredis(*reply.element[i]) : Nil());
      }
      return Array(std::move(elements));
    }
    case REDIS_REPLY_NIL:
    default: return Nil();
  }
}

Result<std::int64_t> RedisReply::AsInteger() const {
  if (type_ == Type::kInteger) return integer_;
  return type_ == Type::kError ? Errc::kServerError : Errc::kReplyType;
}

Result<std::string> RedisReply::AsString() const {
  if (type_ == Type::kString || type_ == Type::kStatus) return str_;
  return type_ == Type::kError ? Errc::kServerError : Errc::kReplyType;
}

Result<std::optional<std::string>> RedisReply::AsOptionalString() const {
  if (type_ == Type::kNil) return std::optional<std::string>();
  auto value = AsString();
  if (!value) return value.error();
  return std::optional<std::string>(std::move(*value));
}

Result<void> RedisReply::ExpectStatus(std::string_view status) const {
  if (type_ == Type::kStatus && str_ == status) return {};
  return type_ == Type::kError ? Errc::kServerError : Errc::kReplyType;
}

}  // namespace signet::store

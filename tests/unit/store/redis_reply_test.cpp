#include "store/redis_reply.hpp"

#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

using namespace std::string_literals;

namespace signet::store {
namespace {

// Parses RESP bytes with hiredis's own reader, so FromHiredis sees real redisReply trees.
RedisReply Parse(const std::string& resp) {
  std::unique_ptr<redisReader, decltype(&redisReaderFree)> reader(redisReaderCreate(),
                                                                  &redisReaderFree);
  EXPECT_EQ(redisReaderFeed(reader.get(), resp.data(), resp.size()), REDIS_OK);
  void* raw = nullptr;
  EXPECT_EQ(redisReaderGetReply(reader.get(), &raw), REDIS_OK);
  EXPECT_NE(raw, nullptr);
  if (raw == nullptr) return RedisReply::Error("no reply");
  RedisReply reply = RedisReply::FromHiredis(*static_cast<redisReply*>(raw));
  freeReplyObject(raw);
  return reply;
}

TEST(RedisReply, FromHiredisCopiesEveryType) {
  EXPECT_EQ(Parse(":42\r\n"), RedisReply::Integer(42));
  EXPECT_EQ(Parse("+OK\r\n"), RedisReply::Status("OK"));
  EXPECT_EQ(Parse("-ERR nope\r\n"), RedisReply::Error("ERR nope"));
  EXPECT_EQ(Parse("$-1\r\n"), RedisReply::Nil());
  EXPECT_EQ(Parse("$5\r\na\0b\r\n\r\n"s), RedisReply::String("a\0b\r\n"s));
}

TEST(RedisReply, FromHiredisCopiesNestedArrays) {
  const RedisReply reply = Parse("*3\r\n:1\r\n*2\r\n$3\r\nfoo\r\n$-1\r\n+PONG\r\n");
  ASSERT_EQ(reply.type(), RedisReply::Type::kArray);
  ASSERT_EQ(reply.elements().size(), 3u);
  EXPECT_EQ(reply.elements()[0].integer(), 1);
  ASSERT_EQ(reply.elements()[1].elements().size(), 2u);
  EXPECT_EQ(reply.elements()[1].elements()[0].str(), "foo");
  EXPECT_TRUE(reply.elements()[1].elements()[1].IsNil());
  EXPECT_EQ(reply.elements()[2], RedisReply::Status("PONG"));
}

TEST(RedisReply, TypedAccessorsAcceptTheirType) {
  EXPECT_EQ(RedisReply::Integer(7).AsInteger().value(), 7);
  EXPECT_EQ(RedisReply::String("v").AsString().value(), "v");
  EXPECT_EQ(RedisReply::Status("OK").AsString().value(), "OK");
  EXPECT_EQ(RedisReply::Nil().AsOptionalString().value(), std::nullopt);
  EXPECT_EQ(RedisReply::String("v").AsOptionalString().value(), "v");
  EXPECT_TRUE(RedisReply::Status("OK").ExpectStatus("OK"));
}

TEST(RedisReply, TypedAccessorsRejectOtherTypes) {
  EXPECT_EQ(RedisReply::String("7").AsInteger().error(), Errc::kReplyType);
  EXPECT_EQ(RedisReply::Nil().AsString().error(), Errc::kReplyType);
  EXPECT_EQ(RedisReply::Integer(1).AsOptionalString().error(), Errc::kReplyType);
  EXPECT_EQ(RedisReply::Status("QUEUED").ExpectStatus("OK").error(), Errc::kReplyType);
}

TEST(RedisReply, TypedAccessorsReportErrorRepliesAsServerError) {
  const RedisReply error = RedisReply::Error("WRONGTYPE Operation against a key");
  EXPECT_EQ(error.AsInteger().error(), Errc::kServerError);
  EXPECT_EQ(error.AsString().error(), Errc::kServerError);
  EXPECT_EQ(error.AsOptionalString().error(), Errc::kServerError);
  EXPECT_EQ(error.ExpectStatus("OK").error(), Errc::kServerError);
}

}  // namespace
}  // namespace signet::store

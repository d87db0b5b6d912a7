#include "server/logging.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace signet::server {
namespace {

TEST(LoggingTest, RenderJsonEvent_IsValidJsonWithEscapedFields) {
  const std::string line =
      RenderJsonEvent("access", {{"path", "/a\"b\\c"}, {"ctl", std::string_view("x\ny\x01", 4)}});
  const auto doc = nlohmann::json::parse(line);
  EXPECT_EQ(doc["msg"], "access");
  EXPECT_EQ(doc["path"], "/a\"b\\c");
  EXPECT_EQ(doc["ctl"], std::string("x\ny\x01", 4));
}

TEST(LoggingTest, RenderTextEvent_QuotesValuesWithSpaces) {
  EXPECT_EQ(RenderTextEvent("access", {{"method", "GET"}, {"why", "two words"}}),
            R"(access method=GET why="two words")");
  EXPECT_EQ(RenderTextEvent("x", {{"empty", ""}}), R"(x empty="")");
}

}  // namespace
}  // namespace signet::server

namespace signet::server {
namespace {

TEST(LoggingTest, RenderJsonEvent_WritesNumberFieldsUnquoted) {
  const auto doc =
      nlohmann::json::parse(RenderJsonEvent("access", {{"status", "200", true}, {"path", "/x"}}));
  EXPECT_EQ(doc["status"], 200);
  EXPECT_EQ(doc["path"], "/x");
}

}  // namespace
}  // namespace signet::server

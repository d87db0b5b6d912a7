#include "cli/args.hpp"

#include <array>

#include <gtest/gtest.h>

namespace signet::cli {
namespace {

constexpr std::array<FlagSpec, 2> kFlags{{{"out"}, {"aud", true}}};

TEST(ArgsTest, ParseArgs_AcceptsBothValueForms) {
  const std::vector<std::string> args{"--out", "dir", "--aud=a", "--aud", "b", "TOKEN"};
  auto parsed = ParseArgs(args, kFlags);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->Get("out"), "dir");
  EXPECT_EQ(parsed->GetAll("aud"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(parsed->positionals(), std::vector<std::string>{"TOKEN"});
  EXPECT_FALSE(parsed->help());
}

TEST(ArgsTest, ParseArgs_RejectsUnknownFlag) {
  const std::vector<std::string> args{"--bogus", "x"};
  auto parsed = ParseArgs(args, kFlags);
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message.find("--bogus"), std::string::npos);
}

TEST(ArgsTest, ParseArgs_RejectsMissingValueAndRepeats) {
  const std::vector<std::string> missing{"--out"};
  EXPECT_FALSE(ParseArgs(missing, kFlags));
  const std::vector<std::string> twice{"--out", "a", "--out", "b"};
  EXPECT_FALSE(ParseArgs(twice, kFlags));
  const std::vector<std::string> short_flag{"-x"};
  EXPECT_FALSE(ParseArgs(short_flag, kFlags));
}

TEST(ArgsTest, ParseArgs_DoubleDashEndsFlagsAndHelpIsRecognised) {
  const std::vector<std::string> args{"-h", "--", "--out"};
  auto parsed = ParseArgs(args, kFlags);
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->help());
  EXPECT_EQ(parsed->positionals(), std::vector<std::string>{"--out"});
}

}  // namespace
}  // namespace signet::cli

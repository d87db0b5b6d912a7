#include "keys/secret.hpp"

#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace signet::keys {
namespace {

TEST(ConstantTimeEquals, EqualStrings) {
  EXPECT_TRUE(ConstantTimeEquals("s3cr3t", "s3cr3t"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
}

TEST(ConstantTimeEquals, DifferentContentIsFalse) {
  EXPECT_FALSE(ConstantTimeEquals("s3cr3t", "s3cr3T"));
  EXPECT_FALSE(ConstantTimeEquals("s3cr3t", "x3cr3t"));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(ConstantTimeEquals, LengthMismatchIsFalse) {
  EXPECT_FALSE(ConstantTimeEquals("s3cr3t", "s3cr3"));
  EXPECT_FALSE(ConstantTimeEquals("s3cr3", "s3cr3t"));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
  EXPECT_FALSE(ConstantTimeEquals("x", ""));
}

TEST(SecretBytes, RevealsContentAndComparesByValue) {
  const SecretBytes a("hunter2");
  EXPECT_EQ(a.reveal(), "hunter2");
  EXPECT_EQ(a.size(), 7u);
  EXPECT_TRUE(a == SecretBytes("hunter2"));
  EXPECT_FALSE(a == SecretBytes("hunter3"));
}

TEST(SecretBytes, StreamsAsRedacted) {
  std::ostringstream out;
  out << SecretBytes("hunter2");
  EXPECT_EQ(out.str(), "<redacted>");
}

TEST(SecretBytes, MoveLeavesSourceEmpty) {
  SecretBytes a("hunter2");
  SecretBytes b(std::move(a));
  EXPECT_EQ(b.reveal(), "hunter2");
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): documented state
  SecretBytes c;
  c = std::move(b);
  EXPECT_EQ(c.reveal(), "hunter2");
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
}

}  // namespace
}  // namespace signet::keys

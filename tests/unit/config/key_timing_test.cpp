#include "config/key_timing.hpp"

#include <gtest/gtest.h>

namespace signet::config {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

TEST(KeyTimingTest, JwksMaxAge_IsHalfThePublishAheadCappedAtOneHour) {
  EXPECT_EQ(JwksMaxAge(seconds(3600)), seconds(1800));
  EXPECT_EQ(JwksMaxAge(seconds(600)), seconds(300));
  EXPECT_EQ(JwksMaxAge(seconds(86400)), seconds(1800));
  EXPECT_EQ(JwksMaxAge(seconds(0)), seconds(0));
}

TEST(KeyTimingTest, JwksMaxAge_NeverExceedsPublishAhead) {
  for (long s = 0; s <= 2 * 3600; s += 7) EXPECT_LE(JwksMaxAge(seconds(s)), seconds(s)) << s;
}

TEST(KeyTimingTest, KeyRetention_IsLongestTokenPlusLeewayPlusMaxAge) {
  Config config;
  config.tokens.access_token_ttl = seconds(900);
  config.tokens.id_token_ttl = seconds(1200);
  config.tokens.leeway = seconds(30);
  config.keys.publish_ahead = hours(1);
  EXPECT_EQ(KeyRetention(config), seconds(1200 + 30 + 1800));
  config.tokens.access_token_ttl = seconds(5000);
  EXPECT_EQ(KeyRetention(config), seconds(5000 + 30 + 1800));
}

TEST(KeyTimingTest, RotationPolicyFor_TakesTheConfiguredTimes) {
  Config config;
  config.keys.rotate_every = hours(6);
  config.keys.publish_ahead = hours(2);
  const keys::RotationPolicy policy = RotationPolicyFor(config);
  EXPECT_EQ(policy.rotate_every, hours(6));
  EXPECT_EQ(policy.publish_ahead, hours(2));
  EXPECT_EQ(policy.retention, KeyRetention(config));
}

}  // namespace
}  // namespace signet::config

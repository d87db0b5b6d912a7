#include "config/duration.hpp"

#include <gtest/gtest.h>

namespace signet::config {
namespace {

using std::chrono::seconds;

struct GoodCase {
  const char* text;
  seconds expected;
};

class DurationGoodTest : public ::testing::TestWithParam<GoodCase> {};

TEST_P(DurationGoodTest, ParseDuration_AcceptsForm) {
  auto parsed = ParseDuration(GetParam().text);
  ASSERT_TRUE(parsed) << GetParam().text << ": " << parsed.error().message();
  EXPECT_EQ(*parsed, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Forms, DurationGoodTest,
    ::testing::Values(GoodCase{"900", seconds{900}}, GoodCase{"1", seconds{1}},
                      GoodCase{"30s", seconds{30}}, GoodCase{"15m", seconds{900}},
                      GoodCase{"1h", seconds{3600}}, GoodCase{"24h", seconds{86400}},
                      GoodCase{"30d", seconds{2592000}}, GoodCase{"007", seconds{7}},
                      GoodCase{"3650d", seconds{3650LL * 86400}}));

struct BadCase {
  const char* text;
  Errc expected;
};

class DurationBadTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(DurationBadTest, ParseDuration_RejectsWithReason) {
  auto parsed = ParseDuration(GetParam().text);
  ASSERT_FALSE(parsed) << GetParam().text << " was accepted";
  EXPECT_EQ(parsed.error(), make_error_code(GetParam().expected)) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Forms, DurationBadTest,
    ::testing::Values(
        BadCase{"", Errc::kDurationEmpty}, BadCase{"-5", Errc::kDurationNegative},
        BadCase{"-1h", Errc::kDurationNegative}, BadCase{"0", Errc::kDurationZero},
        BadCase{"0s", Errc::kDurationZero}, BadCase{"1.5h", Errc::kDurationFraction},
        BadCase{"0.5", Errc::kDurationFraction}, BadCase{"10w", Errc::kDurationUnknownUnit},
        BadCase{"5ms", Errc::kDurationUnknownUnit}, BadCase{"1H", Errc::kDurationUnknownUnit},
        BadCase{"h", Errc::kDurationNotANumber}, BadCase{"+5", Errc::kDurationNotANumber},
        BadCase{" 5", Errc::kDurationNotANumber}, BadCase{"5 m", Errc::kDurationNotANumber},
        BadCase{"1h30m", Errc::kDurationNotANumber}, BadCase{"3651d", Errc::kDurationOverflow},
        BadCase{"99999999999999999999999", Errc::kDurationOverflow},
        BadCase{"9223372036854775807s", Errc::kDurationOverflow}));

TEST(DurationTest, ParseDuration_AcceptsZeroWhenAllowed) {
  auto parsed = ParseDuration("0", {.allow_zero = true});
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, seconds{0});
}

TEST(DurationTest, DurationErrorHint_NamesTheAcceptedUnits) {
  EXPECT_NE(DurationErrorHint(Errc::kDurationUnknownUnit).find("s, m, h or d"),
            std::string_view::npos);
}

}  // namespace
}  // namespace signet::config

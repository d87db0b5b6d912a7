// oauth::EncodePendingLogin / DecodePendingLogin: the login form's request_id
// ("<issued>.<base64url request>", oauth/pending_login.hpp).
#include "oauth/pending_login.hpp"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "keys/base64url.hpp"

namespace signet::oauth {
namespace {

using std::chrono::seconds;
using TimePoint = std::chrono::system_clock::time_point;

const TimePoint kIssued{seconds(1'700'000'000)};
constexpr std::string_view kRequest =
    "response_type=code&client_id=web&state=a%20b&redirect_uri=https%3A%2F%2Fapp.example.com%2F";

TEST(PendingLoginTest, Encode_IsIssuedSecondsDotBase64UrlOfTheRequest) {
  EXPECT_EQ(EncodePendingLogin(kRequest, kIssued), "1700000000." + keys::Base64UrlEncode(kRequest));
}

TEST(PendingLoginTest, Encode_TruncatesSubSecondTime) {
  const TimePoint precise = kIssued + std::chrono::milliseconds(999);
  EXPECT_EQ(EncodePendingLogin("a=b", precise), EncodePendingLogin("a=b", kIssued));
}

TEST(PendingLoginTest, Decode_RoundTripsTheRequest) {
  const std::string id = EncodePendingLogin(kRequest, kIssued);
  EXPECT_EQ(DecodePendingLogin(id, kIssued), std::string(kRequest));
}

TEST(PendingLoginTest, Decode_RoundTripsAnEmptyRequest) {
  const std::string id = EncodePendingLogin("", kIssued);
  EXPECT_EQ(DecodePendingLogin(id, kIssued), std::string());
}

TEST(PendingLoginTest, Decode_AcceptedUntilTheEndOfTheFormLifetime) {
  const std::string id = EncodePendingLogin(kRequest, kIssued);
  EXPECT_EQ(DecodePendingLogin(id, kIssued + kLoginFormLifetime), std::string(kRequest));
}

TEST(PendingLoginTest, Decode_RejectsAFormOlderThanThirtyMinutes) {
  static_assert(kLoginFormLifetime == seconds(30 * 60));
  const std::string id = EncodePendingLogin(kRequest, kIssued);
  EXPECT_EQ(DecodePendingLogin(id, kIssued + kLoginFormLifetime + seconds(1)), std::nullopt);
  EXPECT_EQ(DecodePendingLogin(id, kIssued + std::chrono::hours(24)), std::nullopt);
}

TEST(PendingLoginTest, Decode_ToleratesAMinuteOfClockSkew) {
  const std::string id = EncodePendingLogin(kRequest, kIssued + seconds(60));
  EXPECT_EQ(DecodePendingLogin(id, kIssued), std::string(kRequest));
}

TEST(PendingLoginTest, Decode_RejectsAFormDatedMoreThanAMinuteAhead) {
  const std::string id = EncodePendingLogin(kRequest, kIssued + seconds(61));
  EXPECT_EQ(DecodePendingLogin(id, kIssued), std::nullopt);
}

TEST(PendingLoginTest, Decode_RejectsAnIdWithoutDot) {
  EXPECT_EQ(DecodePendingLogin("1700000000", kIssued), std::nullopt);
  EXPECT_EQ(DecodePendingLogin("", kIssued), std::nullopt);
}

TEST(PendingLoginTest, Decode_RejectsAnEmptyTime) {
  EXPECT_EQ(DecodePendingLogin("." + keys::Base64UrlEncode(kRequest), kIssued), std::nullopt);
}

TEST(PendingLoginTest, Decode_RejectsTheLargestTime) {
  EXPECT_EQ(DecodePendingLogin("9223372036854775807." + keys::Base64UrlEncode(kRequest), kIssued),
            std::nullopt);
}

TEST(PendingLoginTest, Decode_RejectsABadNumber) {
  const std::string payload = "." + keys::Base64UrlEncode(kRequest);
  EXPECT_EQ(DecodePendingLogin("17000x0000" + payload, kIssued), std::nullopt);
  EXPECT_EQ(DecodePendingLogin("+1700000000" + payload, kIssued), std::nullopt);
  EXPECT_EQ(DecodePendingLogin(" 1700000000" + payload, kIssued), std::nullopt);
  EXPECT_EQ(DecodePendingLogin("1700000000 " + payload, kIssued), std::nullopt);
  EXPECT_EQ(DecodePendingLogin("0x6553f100" + payload, kIssued), std::nullopt);
  EXPECT_EQ(DecodePendingLogin("99999999999999999999999" + payload, kIssued), std::nullopt);
}

TEST(PendingLoginTest, Decode_RejectsANegativeTime) {
  EXPECT_EQ(DecodePendingLogin("-1700000000." + keys::Base64UrlEncode(kRequest), kIssued),
            std::nullopt);
}

// The most negative time: `now - issued` would overflow (undefined behaviour, an abort in the
// sanitizer build); the bounds are compared without subtracting from `issued`.
TEST(PendingLoginTest, Decode_RejectsTheMostNegativeTimeWithoutOverflow) {
  EXPECT_EQ(DecodePendingLogin("-9223372036854775808." + keys::Base64UrlEncode(kRequest), kIssued),
            std::nullopt);
}

TEST(PendingLoginTest, Decode_RejectsBadBase64) {
  EXPECT_EQ(DecodePendingLogin("1700000000.not base64!", kIssued), std::nullopt);
  EXPECT_EQ(DecodePendingLogin("1700000000.YWJj=", kIssued), std::nullopt);   // padding
  EXPECT_EQ(DecodePendingLogin("1700000000.YWJj+w", kIssued), std::nullopt);  // base64, not url
}

TEST(PendingLoginTest, Decode_RejectsASecondDotInThePayload) {
  const std::string id = EncodePendingLogin(kRequest, kIssued) + ".extra";
  EXPECT_EQ(DecodePendingLogin(id, kIssued), std::nullopt);
}

}  // namespace
}  // namespace signet::oauth

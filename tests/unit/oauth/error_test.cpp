#include "oauth/error.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace signet::oauth {
namespace {

TEST(ErrorName, UsesTheRegisteredStrings) {
  EXPECT_EQ(ErrorName(ErrorCode::kInvalidRequest), "invalid_request");
  EXPECT_EQ(ErrorName(ErrorCode::kInvalidClient), "invalid_client");
  EXPECT_EQ(ErrorName(ErrorCode::kInvalidGrant), "invalid_grant");
  EXPECT_EQ(ErrorName(ErrorCode::kUnauthorizedClient), "unauthorized_client");
  EXPECT_EQ(ErrorName(ErrorCode::kUnsupportedGrantType), "unsupported_grant_type");
  EXPECT_EQ(ErrorName(ErrorCode::kInvalidScope), "invalid_scope");
  EXPECT_EQ(ErrorName(ErrorCode::kInvalidTarget), "invalid_target");
  EXPECT_EQ(ErrorName(ErrorCode::kServerError), "server_error");
  EXPECT_EQ(ErrorName(ErrorCode::kTemporarilyUnavailable), "temporarily_unavailable");
  EXPECT_EQ(ErrorName(ErrorCode::kInvalidToken), "invalid_token");
}

TEST(HttpStatus, InvalidClientViaBasicIs401WithBasicChallenge) {
  Error error = MakeError(ErrorCode::kInvalidClient, "client authentication failed");
  error.client_used_basic_auth = true;
  EXPECT_EQ(HttpStatus(error), 401);
  ASSERT_TRUE(WwwAuthenticate(error).has_value());
  EXPECT_EQ(WwwAuthenticate(error)->rfind("Basic realm=", 0), 0u);
}

TEST(HttpStatus, InvalidClientWithoutBasicIs400WithoutChallenge) {
  const Error error = MakeError(ErrorCode::kInvalidClient, "client authentication failed");
  EXPECT_EQ(HttpStatus(error), 400);
  EXPECT_FALSE(WwwAuthenticate(error).has_value());
}

TEST(HttpStatus, MapsServerSideAndProtocolErrors) {
  EXPECT_EQ(HttpStatus(MakeError(ErrorCode::kInvalidRequest, "")), 400);
  EXPECT_EQ(HttpStatus(MakeError(ErrorCode::kInvalidGrant, "")), 400);
  EXPECT_EQ(HttpStatus(MakeError(ErrorCode::kUnauthorizedClient, "")), 400);
  EXPECT_EQ(HttpStatus(MakeError(ErrorCode::kUnsupportedGrantType, "")), 400);
  EXPECT_EQ(HttpStatus(MakeError(ErrorCode::kInvalidScope, "")), 400);
  EXPECT_EQ(HttpStatus(MakeError(ErrorCode::kInvalidTarget, "")), 400);
  EXPECT_EQ(HttpStatus(MakeError(ErrorCode::kServerError, "")), 500);
  EXPECT_EQ(HttpStatus(MakeError(ErrorCode::kTemporarilyUnavailable, "")), 503);
}

TEST(WwwAuthenticate, InvalidTokenGetsBearerChallenge) {
  const Error error = MakeError(ErrorCode::kInvalidToken, "token expired");
  EXPECT_EQ(HttpStatus(error), 401);
  EXPECT_EQ(WwwAuthenticate(error),
            std::string(R"(Bearer error="invalid_token", error_description="token expired")"));
}

TEST(ToJson, HasOnlyErrorAndDescriptionNeverDebug) {
  const Error error =
      MakeError(ErrorCode::kInvalidScope, "scope not allowed", "client secret was s3cret");
  const auto json = nlohmann::json::parse(ToJson(error));
  EXPECT_EQ(json.size(), 2u);
  EXPECT_EQ(json.at("error"), "invalid_scope");
  EXPECT_EQ(json.at("error_description"), "scope not allowed");
  EXPECT_EQ(ToJson(error).find("s3cret"), std::string::npos);
}

TEST(ToJson, OmitsEmptyDescription) {
  EXPECT_EQ(ToJson(MakeError(ErrorCode::kServerError, "", "no key")),
            R"({"error":"server_error"})");
}

TEST(ToJson, ReplacesCharactersRfc6749ForbidsInDescriptions) {
  const Error error = MakeError(ErrorCode::kInvalidRequest, "bad \"x\"\\\n\xC3\xA9");
  const auto json = nlohmann::json::parse(ToJson(error));
  EXPECT_EQ(json.at("error_description"), "bad ?x?????");  // é is two bytes
}

TEST(Expected, ValueThrowsOnError) {
  const Expected<int> result = MakeError(ErrorCode::kInvalidGrant, "expired");
  EXPECT_THROW((void)result.value(), std::runtime_error);
}

}  // namespace
}  // namespace signet::oauth

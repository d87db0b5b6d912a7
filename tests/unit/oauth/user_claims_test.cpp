// oauth::UserClaimsRegistry: which of a user's claims each scope releases (OIDC Core §5.4).
#include "oauth/user_claims.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace signet::oauth {
namespace {

constexpr std::string_view kAliceClaims = R"({
  "name": "Alice Liddell", "given_name": "Alice", "family_name": "Liddell",
  "middle_name": "P", "nickname": "al", "preferred_username": "alice",
  "profile": "https://example.com/alice", "picture": "https://example.com/alice.png",
  "website": "https://alice.example", "gender": "female", "birthdate": "1852-05-04",
  "zoneinfo": "Europe/London", "locale": "en-GB", "updated_at": 1700000000,
  "email": "alice@example.com", "email_verified": true,
  "address": {"locality": "Oxford", "country": "UK"},
  "phone_number": "+44 1865 000000", "phone_number_verified": false,
  "groups": ["admins"], "employee_id": "E-42"
})";

config::User UserWith(std::string name, std::string_view claims_json) {
  config::User user;
  user.username = std::move(name);
  user.password = "pw";
  user.claims_json = std::string(claims_json);
  return user;
}

UserClaimsRegistry Registry(std::vector<config::User> users) {
  auto registry = UserClaimsRegistry::Create(users);
  EXPECT_TRUE(registry) << (registry ? "" : registry.error().debug);
  return std::move(*registry);
}

// The released claims as a JSON object (sub added so the text is a complete object).
nlohmann::json Released(const UserClaimsRegistry& registry, std::string_view user,
                        const std::vector<std::string>& scope) {
  std::string json = R"({"sub":"x")";
  EXPECT_TRUE(registry.AppendReleased(json, user, scope));
  json.push_back('}');
  nlohmann::json parsed = nlohmann::json::parse(json);
  parsed.erase("sub");
  return parsed;
}

class UserClaimsTest : public ::testing::Test {
 protected:
  UserClaimsRegistry registry_ = Registry({UserWith("alice", kAliceClaims)});
};

TEST_F(UserClaimsTest, Release_ProfileScope_ReleasesTheFourteenProfileClaimsOnly) {
  const nlohmann::json released = Released(registry_, "alice", {"openid", "profile"});
  const std::vector<std::string> expected{
      "birthdate",   "family_name", "gender",   "given_name", "locale",
      "middle_name", "name",        "nickname", "picture",    "preferred_username",
      "profile",     "updated_at",  "website",  "zoneinfo"};
  std::vector<std::string> names;
  for (const auto& [name, value] : released.items()) names.push_back(name);
  EXPECT_EQ(names, expected);
  EXPECT_EQ(released.at("updated_at"), 1700000000);
}

TEST_F(UserClaimsTest, Release_EmailScope_ReleasesEmailAndEmailVerified) {
  const nlohmann::json expected = {{"email", "alice@example.com"}, {"email_verified", true}};
  EXPECT_EQ(Released(registry_, "alice", {"openid", "email"}), expected);
}

TEST_F(UserClaimsTest, Release_AddressScope_ReleasesAddressObject) {
  const nlohmann::json expected = {{"address", {{"locality", "Oxford"}, {"country", "UK"}}}};
  EXPECT_EQ(Released(registry_, "alice", {"address"}), expected);
}

TEST_F(UserClaimsTest, Release_PhoneScope_ReleasesPhoneNumberAndVerified) {
  const nlohmann::json expected = {{"phone_number", "+44 1865 000000"},
                                   {"phone_number_verified", false}};
  EXPECT_EQ(Released(registry_, "alice", {"phone"}), expected);
}

TEST_F(UserClaimsTest, Release_OpenidAndApiScopesOnly_ReleasesNothing) {
  EXPECT_EQ(Released(registry_, "alice", {"openid", "orders.read"}), nlohmann::json::object());
  EXPECT_EQ(Released(registry_, "alice", {}), nlohmann::json::object());
}

TEST_F(UserClaimsTest, Release_NonStandardClaims_NeverReleasedWhateverTheScope) {
  const nlohmann::json released =
      Released(registry_, "alice", {"openid", "profile", "email", "address", "phone", "groups"});
  EXPECT_FALSE(released.contains("groups"));
  EXPECT_FALSE(released.contains("employee_id"));
  EXPECT_EQ(released.size(), 19U);
}

TEST_F(UserClaimsTest, AppendReleased_UnknownUser_ReturnsFalseAndAppendsNothing) {
  std::string json = "{";
  EXPECT_FALSE(registry_.AppendReleased(json, "mallory", std::vector<std::string>{"profile"}));
  EXPECT_EQ(json, "{");
  EXPECT_TRUE(registry_.Contains("alice"));
  EXPECT_FALSE(registry_.Contains("mallory"));
}

TEST(UserClaimsRegistryTest, Release_NullClaim_IsOmitted) {
  const auto registry = Registry({UserWith("bob", R"({"name":null,"nickname":"b"})")});
  const nlohmann::json expected = {{"nickname", "b"}};
  EXPECT_EQ(Released(registry, "bob", {"profile"}), expected);
}

TEST(UserClaimsRegistryTest, Release_ValuesNeedingEscapes_StayValidJson) {
  const auto registry = Registry({UserWith("q", R"({"name":"A \"quoted\"\\ name\n"})")});
  const nlohmann::json released = Released(registry, "q", {"profile"});
  EXPECT_EQ(released.at("name"), "A \"quoted\"\\ name\n");
}

TEST(UserClaimsRegistryTest, Create_UserWithoutClaims_HasNoneToRelease) {
  const auto registry = Registry({UserWith("carol", "{}")});
  EXPECT_EQ(Released(registry, "carol", {"profile", "email"}), nlohmann::json::object());
}

TEST(UserClaimsRegistryTest, Create_EmailVerifiedAsString_FailsNamingUserAndClaim) {
  const std::vector<config::User> users{UserWith("dave", R"({"email_verified":"yes"})")};
  const auto registry = UserClaimsRegistry::Create(users);
  ASSERT_FALSE(registry);
  EXPECT_EQ(registry.error().code, ErrorCode::kServerError);
  EXPECT_NE(registry.error().debug.find("users[dave].claims.email_verified"), std::string::npos);
  EXPECT_EQ(registry.error().debug.find("yes"), std::string::npos);  // never the value
}

TEST(UserClaimsRegistryTest, Create_PhoneNumberAsNumber_Fails) {
  const std::vector<config::User> users{UserWith("erin", R"({"phone_number":15551234})")};
  const auto registry = UserClaimsRegistry::Create(users);
  ASSERT_FALSE(registry);
  EXPECT_EQ(registry.error().code, ErrorCode::kServerError);
}

TEST(UserClaimsRegistryTest, Create_AddressAsString_Fails) {
  const std::vector<config::User> users{UserWith("fay", R"({"address":"1 Main St"})")};
  EXPECT_FALSE(UserClaimsRegistry::Create(users));
}

TEST(UserClaimsRegistryTest, Create_ClaimsNotAnObject_Fails) {
  const std::vector<config::User> users{UserWith("gus", R"(["name"])")};
  const auto registry = UserClaimsRegistry::Create(users);
  ASSERT_FALSE(registry);
  EXPECT_EQ(registry.error().code, ErrorCode::kServerError);
  const std::vector<config::User> broken{UserWith("hal", "{not json")};
  EXPECT_FALSE(UserClaimsRegistry::Create(broken));
}

TEST(UserClaimsRegistryTest, Create_WrongTypedNonStandardClaim_IsIgnored) {
  const std::vector<config::User> users{UserWith("ida", R"({"groups":42})")};
  EXPECT_TRUE(UserClaimsRegistry::Create(users));
}

TEST(UserClaimsScopeTest, ScopeReleasing_FollowsOidcCore54) {
  EXPECT_EQ(ScopeReleasing("zoneinfo"), kClaimScopeProfile);
  EXPECT_EQ(ScopeReleasing("updated_at"), kClaimScopeProfile);
  EXPECT_EQ(ScopeReleasing("email_verified"), kClaimScopeEmail);
  EXPECT_EQ(ScopeReleasing("address"), kClaimScopeAddress);
  EXPECT_EQ(ScopeReleasing("phone_number_verified"), kClaimScopePhone);
  EXPECT_EQ(ScopeReleasing("sub"), kClaimScopeNone);
  EXPECT_EQ(ScopeReleasing("groups"), kClaimScopeNone);
}

TEST(UserClaimsScopeTest, ClaimScopesOf_CombinesScopesAndIgnoresOthers) {
  const std::vector<std::string> scope{"openid", "email", "phone", "profile2"};
  EXPECT_EQ(ClaimScopesOf(scope), kClaimScopeEmail | kClaimScopePhone);
}

}  // namespace
}  // namespace signet::oauth

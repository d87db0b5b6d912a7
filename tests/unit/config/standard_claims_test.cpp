// config/standard_claims.hpp and the loader's type check of users' standard claims (OIDC Core
// §5.1): the one check behind both `signet config check` and start-up.
#include "config/standard_claims.hpp"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "config/loader.hpp"
#include "tests/unit/config/problem_matchers.hpp"

namespace signet::config {
namespace {

using testing::FailsWith;
using testing::FindProblem;
using testing::Loads;

std::string UserWithClaims(const std::string& claims) {
  return "users:\n  - { username: bob, password: a, claims: " + claims + " }\n";
}

TEST(StandardClaimsTest, Find_KnowsTheScopeAndTypeOfEachStandardClaim) {
  const StandardClaim* verified = FindStandardClaim("email_verified");
  ASSERT_NE(verified, nullptr);
  EXPECT_EQ(verified->scope, "email");
  EXPECT_EQ(verified->type, ClaimType::kBoolean);
  ASSERT_NE(FindStandardClaim("address"), nullptr);
  EXPECT_EQ(FindStandardClaim("address")->type, ClaimType::kObject);
  ASSERT_NE(FindStandardClaim("updated_at"), nullptr);
  EXPECT_EQ(FindStandardClaim("updated_at")->type, ClaimType::kNumber);
  EXPECT_EQ(FindStandardClaim("phone_number")->scope, "phone");
  EXPECT_EQ(FindStandardClaim("groups"), nullptr);  // not standard: never released
  EXPECT_EQ(FindStandardClaim("sub"), nullptr);     // signet's own
}

TEST(StandardClaimsTest, CheckValue_NullAndTheRightTypePass) {
  const StandardClaim& verified = *FindStandardClaim("email_verified");
  EXPECT_EQ(CheckStandardClaimValue(verified, true), std::nullopt);
  EXPECT_EQ(CheckStandardClaimValue(verified, nullptr), std::nullopt);  // §5.3.2: absent
  auto why = CheckStandardClaimValue(verified, "yes");
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("5.1 wants a boolean"), std::string::npos) << *why;
  EXPECT_EQ(why->find("yes"), std::string::npos);  // never the value
}

TEST(StandardClaimsTest, Loader_RefusesEmailVerifiedAsStringNamingTheKey) {
  EXPECT_TRUE(FailsWith(UserWithClaims("{ email_verified: \"yes\" }"),
                        "users[0].claims.email_verified", Errc::kWrongType));
  // Quoted YAML is a string even when it reads as a boolean.
  EXPECT_TRUE(FailsWith(UserWithClaims("{ email_verified: \"true\" }"),
                        "users[0].claims.email_verified", Errc::kWrongType));
}

TEST(StandardClaimsTest, Loader_RefusesEachWrongTypeWithItsOwnProblem) {
  auto loaded = LoadConfigText(
      UserWithClaims(
          "{ phone_number: 15551234, address: \"1 Main St\", updated_at: \"today\", name: [A] }"),
      "test.yaml");
  ASSERT_FALSE(loaded);
  EXPECT_TRUE(FindProblem(loaded.error(), "users[0].claims.phone_number", Errc::kWrongType));
  EXPECT_TRUE(FindProblem(loaded.error(), "users[0].claims.address", Errc::kWrongType));
  EXPECT_TRUE(FindProblem(loaded.error(), "users[0].claims.updated_at", Errc::kWrongType));
  EXPECT_TRUE(FindProblem(loaded.error(), "users[0].claims.name", Errc::kWrongType));
  EXPECT_EQ(loaded.error().problems.size(), 4u);
  EXPECT_EQ(loaded.error().Format().find("Main St"), std::string::npos);
}

TEST(StandardClaimsTest, Loader_AcceptsRightTypesNullsAndAnyNonStandardClaim) {
  EXPECT_TRUE(Loads(UserWithClaims(
      "{ email: a@example.com, email_verified: false, phone_number: \"+1 555\", "
      "phone_number_verified: true, address: { country: FR }, updated_at: 1700000000, "
      "name: ~, groups: [a, b], age: 42 }")));
}

TEST(StandardClaimsTest, Loader_NamesTheUserByIndex) {
  const std::string yaml =
      "users:\n  - { username: amy, password: a, claims: { email_verified: true } }\n"
      "  - { username: bob, password: a, claims: { email_verified: \"no\" } }\n";
  EXPECT_TRUE(FailsWith(yaml, "users[1].claims.email_verified", Errc::kWrongType));
}

}  // namespace
}  // namespace signet::config

#include "oauth/login_csrf.hpp"

#include <string>

#include <gtest/gtest.h>

#include "keys/base64url.hpp"

namespace signet::oauth {
namespace {

std::unique_ptr<LoginCsrf> FixedKeyCsrf(char fill = 'k') {
  auto csrf = LoginCsrf::FromKey(keys::SecretBytes(std::string(LoginCsrf::kKeyLength, fill)));
  EXPECT_TRUE(csrf.has_value());
  return std::move(*csrf);
}

TEST(LoginCsrf, Verify_AcceptsTheIssuedToken) {
  auto csrf = LoginCsrf::Create();
  ASSERT_TRUE(csrf.has_value());
  const auto token = (*csrf)->Issue("pending-1", "cookie-a");
  ASSERT_TRUE(token.has_value());
  EXPECT_EQ(token->size(), 43u);  // 256-bit MAC, base64url without padding
  EXPECT_TRUE(keys::Base64UrlDecode(*token).has_value());
  EXPECT_TRUE((*csrf)->Verify("pending-1", "cookie-a", *token));
}

TEST(LoginCsrf, Verify_RejectsATokenForAnotherPendingRequest) {
  auto csrf = FixedKeyCsrf();
  const auto token = csrf->Issue("pending-1", "cookie-a");
  ASSERT_TRUE(token.has_value());
  EXPECT_FALSE(csrf->Verify("pending-2", "cookie-a", *token));
}

TEST(LoginCsrf, Verify_RejectsATokenBoundToAnotherBrowser) {
  auto csrf = FixedKeyCsrf();
  const auto token = csrf->Issue("pending-1", "cookie-a");
  ASSERT_TRUE(token.has_value());
  EXPECT_FALSE(csrf->Verify("pending-1", "cookie-b", *token));
  EXPECT_FALSE(csrf->Verify("pending-1", "", *token));
}

TEST(LoginCsrf, Verify_FieldBoundariesMatter) {
  auto csrf = FixedKeyCsrf();
  const auto token = csrf->Issue("ab", "c");
  ASSERT_TRUE(token.has_value());
  EXPECT_FALSE(csrf->Verify("a", "bc", *token));
}

TEST(LoginCsrf, Verify_RejectsTamperedEmptyAndTruncatedTokens) {
  auto csrf = FixedKeyCsrf();
  const auto token = csrf->Issue("pending-1");
  ASSERT_TRUE(token.has_value());
  std::string tampered = *token;
  tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(csrf->Verify("pending-1", "", tampered));
  EXPECT_FALSE(csrf->Verify("pending-1", "", ""));
  EXPECT_FALSE(csrf->Verify("pending-1", "", token->substr(0, 42)));
  EXPECT_FALSE(csrf->Verify("pending-1", "", *token + "A"));
}

TEST(LoginCsrf, Verify_RejectsATokenFromAnotherKey) {
  auto first = FixedKeyCsrf('a');
  auto second = FixedKeyCsrf('b');
  const auto token = first->Issue("pending-1");
  ASSERT_TRUE(token.has_value());
  EXPECT_FALSE(second->Verify("pending-1", "", *token));
}

TEST(LoginCsrf, FromKey_SameKeyVerifiesOnEveryReplica) {
  auto replica_a = FixedKeyCsrf();
  auto replica_b = FixedKeyCsrf();
  const auto token = replica_a->Issue("pending-1", "cookie-a");
  ASSERT_TRUE(token.has_value());
  EXPECT_TRUE(replica_b->Verify("pending-1", "cookie-a", *token));
}

TEST(LoginCsrf, FromKey_RejectsAShortKey) {
  auto csrf = LoginCsrf::FromKey(keys::SecretBytes(std::string(LoginCsrf::kKeyLength - 1, 'k')));
  ASSERT_FALSE(csrf.has_value());
  EXPECT_EQ(csrf.error().code, ErrorCode::kInvalidRequest);
}

TEST(LoginCsrf, FromKek_SameKekVerifiesOnEveryReplicaAndAnotherDoesNot) {
  const auto kek_a = keys::Kek::FromBytes(std::string(keys::kKekSize, 'a'));
  const auto kek_b = keys::Kek::FromBytes(std::string(keys::kKekSize, 'b'));
  ASSERT_TRUE(kek_a.has_value() && kek_b.has_value());
  auto replica_1 = LoginCsrf::FromKek(*kek_a);
  auto replica_2 = LoginCsrf::FromKek(*kek_a);
  auto other = LoginCsrf::FromKek(*kek_b);
  ASSERT_TRUE(replica_1.has_value() && replica_2.has_value() && other.has_value());
  const auto token = (*replica_1)->Issue("pending-1", "cookie-a");
  ASSERT_TRUE(token.has_value());
  EXPECT_TRUE((*replica_2)->Verify("pending-1", "cookie-a", *token));
  EXPECT_FALSE((*other)->Verify("pending-1", "cookie-a", *token));
}

TEST(LoginCsrf, FromKek_DoesNotUseTheKekItselfAsTheMacKey) {
  const std::string raw(keys::kKekSize, 'a');
  const auto kek = keys::Kek::FromBytes(raw);
  ASSERT_TRUE(kek.has_value());
  auto derived = LoginCsrf::FromKek(*kek);
  auto direct = LoginCsrf::FromKey(keys::SecretBytes(raw));
  ASSERT_TRUE(derived.has_value() && direct.has_value());
  const auto token = (*direct)->Issue("pending-1", "cookie-a");
  ASSERT_TRUE(token.has_value());
  EXPECT_FALSE((*derived)->Verify("pending-1", "cookie-a", *token));
}

}  // namespace
}  // namespace signet::oauth

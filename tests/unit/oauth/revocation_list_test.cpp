// The revocation feed's claims (oauth/revocation_list.hpp): writing, reading and matching.
#include "oauth/revocation_list.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace signet::oauth {
namespace {

RevocationList SampleList() {
  RevocationList list;
  list.issuer = "https://id.example.com";
  list.issued_at = 1700000000;
  list.expires_at = 1700000300;
  list.revision = 42;
  list.jtis = {{"jti-a", 1700000930}, {"jti-b", 1700000100}};
  list.subjects = {{"alice", 1699999990, 1700000920}};
  return list;
}

nlohmann::json SampleClaims() { return nlohmann::json::parse(RevocationListPayload(SampleList())); }

TEST(RevocationListTest, Payload_HasTheDocumentedClaimNames) {
  EXPECT_EQ(RevocationListPayload(SampleList()),
            R"({"iss":"https://id.example.com","iat":1700000000,"exp":1700000300,"rev":42,)"
            R"("jtis":[{"jti":"jti-a","exp":1700000930},{"jti":"jti-b","exp":1700000100}],)"
            R"("subs":[{"sub":"alice","iat_max":1699999990,"exp":1700000920}]})");
}

TEST(RevocationListTest, Payload_EmptyListsAreEmptyArrays) {
  RevocationList list = SampleList();
  list.jtis.clear();
  list.subjects.clear();
  const auto claims = nlohmann::json::parse(RevocationListPayload(list));
  EXPECT_EQ(claims["jtis"], nlohmann::json::array());
  EXPECT_EQ(claims["subs"], nlohmann::json::array());
}

TEST(RevocationListTest, Payload_InvalidUtf8SubjectDoesNotThrow) {
  RevocationList list = SampleList();
  list.subjects = {{std::string("bad\xff", 4), 1, 2}};
  std::string text;
  EXPECT_NO_THROW(text = RevocationListPayload(list));
  EXPECT_FALSE(nlohmann::json::parse(text, nullptr, false).is_discarded());
}

TEST(RevocationListTest, Parse_RoundTripsThePayload) {
  auto parsed = ParseRevocationList(SampleClaims());
  ASSERT_TRUE(parsed) << parsed.error().message();
  const RevocationList expected = SampleList();
  EXPECT_EQ(parsed->issuer, expected.issuer);
  EXPECT_EQ(parsed->issued_at, expected.issued_at);
  EXPECT_EQ(parsed->expires_at, expected.expires_at);
  EXPECT_EQ(parsed->revision, expected.revision);
  EXPECT_EQ(parsed->jtis, expected.jtis);
  EXPECT_EQ(parsed->subjects, expected.subjects);
}

TEST(RevocationListTest, Parse_IgnoresUnknownClaimsAndMembers) {
  nlohmann::json claims = SampleClaims();
  claims["extra"] = true;
  claims["jtis"][0]["note"] = "x";
  EXPECT_TRUE(ParseRevocationList(claims));
}

TEST(RevocationListTest, Parse_RejectsNonObject) {
  auto parsed = ParseRevocationList(nlohmann::json::array());
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error(), RevocationListErrc::kNotAnObject);
}

TEST(RevocationListTest, Parse_RejectsEachMissingClaim) {
  for (const char* name : {"iss", "iat", "exp", "rev", "jtis", "subs"}) {
    nlohmann::json claims = SampleClaims();
    claims.erase(name);
    auto parsed = ParseRevocationList(claims);
    ASSERT_FALSE(parsed) << name;
    EXPECT_EQ(parsed.error(), RevocationListErrc::kMissingClaim) << name;
  }
}

TEST(RevocationListTest, Parse_RejectsWrongClaimTypes) {
  const std::vector<std::pair<const char*, nlohmann::json>> cases = {
      {"rev", -1}, {"rev", "42"}, {"iat", "now"}, {"iss", 1}, {"jtis", "x"}, {"subs", {{"a", 1}}}};
  for (const auto& [name, value] : cases) {
    nlohmann::json claims = SampleClaims();
    claims[name] = value;
    auto parsed = ParseRevocationList(claims);
    ASSERT_FALSE(parsed) << name << "=" << value.dump();
    EXPECT_EQ(parsed.error(), RevocationListErrc::kBadClaim) << name << "=" << value.dump();
  }
}

TEST(RevocationListTest, Parse_RejectsMalformedJtiEntry) {
  for (const nlohmann::json& entry :
       {nlohmann::json("jti-a"), nlohmann::json({{"jti", "a"}}),
        nlohmann::json({{"jti", 1}, {"exp", 2}}), nlohmann::json({{"jti", "a"}, {"exp", "2"}})}) {
    nlohmann::json claims = SampleClaims();
    claims["jtis"].push_back(entry);
    auto parsed = ParseRevocationList(claims);
    ASSERT_FALSE(parsed) << entry.dump();
    EXPECT_EQ(parsed.error(), RevocationListErrc::kBadJtiEntry) << entry.dump();
  }
}

TEST(RevocationListTest, Parse_RejectsMalformedSubjectEntry) {
  for (const nlohmann::json& entry :
       {nlohmann::json({{"sub", "a"}, {"exp", 2}}), nlohmann::json({{"sub", "a"}, {"iat_max", 1}}),
        nlohmann::json({{"sub", 5}, {"iat_max", 1}, {"exp", 2}}), nlohmann::json(7)}) {
    nlohmann::json claims = SampleClaims();
    claims["subs"].push_back(entry);
    auto parsed = ParseRevocationList(claims);
    ASSERT_FALSE(parsed) << entry.dump();
    EXPECT_EQ(parsed.error(), RevocationListErrc::kBadSubjectEntry) << entry.dump();
  }
}

TEST(RevocationListTest, Find_ListedJti) {
  EXPECT_EQ(FindRevocation(SampleList(), "jti-b", "bob", 1700000000), RevocationMatch::kJtiListed);
}

TEST(RevocationListTest, Find_SubjectCutoffCoversTokensIssuedAtOrBefore) {
  const RevocationList list = SampleList();
  EXPECT_EQ(FindRevocation(list, "other", "alice", 1699999990), RevocationMatch::kSubjectCutOff);
  EXPECT_EQ(FindRevocation(list, "other", "alice", 1699999000), RevocationMatch::kSubjectCutOff);
  EXPECT_EQ(FindRevocation(list, "other", "alice", 1699999991), RevocationMatch::kNotListed);
}

TEST(RevocationListTest, Find_SubjectCutoffCoversTokenWithoutIat) {
  EXPECT_EQ(FindRevocation(SampleList(), "other", "alice", std::nullopt),
            RevocationMatch::kSubjectCutOff);
}

TEST(RevocationListTest, Find_OtherTokensAreNotListed) {
  const RevocationList list = SampleList();
  EXPECT_EQ(FindRevocation(list, "jti-c", "bob", 1), RevocationMatch::kNotListed);
  EXPECT_EQ(FindRevocation(list, "", "", std::nullopt), RevocationMatch::kNotListed);
}

TEST(RevocationListTest, ErrcMessagesNameTheRule) {
  EXPECT_NE(make_error_code(RevocationListErrc::kBadSubjectEntry).message().find("iat_max"),
            std::string::npos);
  EXPECT_EQ(make_error_code(RevocationListErrc::kMissingClaim).category().name(),
            std::string("signet.revocation_list"));
}

}  // namespace
}  // namespace signet::oauth

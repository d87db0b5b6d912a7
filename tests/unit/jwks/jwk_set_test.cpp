// JwkSet parsing policy, the published JWKS document, and the RFC 7638 §3.1 thumbprint vector.

#include "jwks/jwk_set.hpp"

#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "jwks/public_jwk.hpp"
#include "keys/algorithm.hpp"
#include "keys/private_key.hpp"

namespace signet::jwks {
namespace {

using keys::Algorithm;

nlohmann::json LoadVector(const std::string& name) {
  std::ifstream in(std::string(SIGNET_VECTORS_DIR) + "/" + name, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

keys::Verifier GeneratedVerifier(Algorithm alg, const std::string& kid) {
  auto key = keys::PrivateKey::Generate(alg);
  if (!key) throw std::runtime_error(key.error().message());
  return *keys::Verifier::Create(key->public_key(), kid);
}

std::vector<keys::Verifier> OneOfEach() {
  std::vector<keys::Verifier> verifiers;
  int i = 0;
  for (Algorithm alg : keys::AllAlgorithms()) {
    verifiers.push_back(GeneratedVerifier(alg, "kid-" + std::to_string(i++)));
  }
  return verifiers;
}

const nlohmann::json kEcJwk = {{"kty", "EC"},
                               {"crv", "P-256"},
                               {"kid", "ec"},
                               {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
                               {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}};

// Walks every object in `value` (recursively) and reports each member name.
void ForEachMemberName(const nlohmann::json& value,
                       const std::function<void(const std::string&)>& visit) {
  if (value.is_object()) {
    for (const auto& [name, member] : value.items()) {
      visit(name);
      ForEachMemberName(member, visit);
    }
  } else if (value.is_array()) {
    for (const auto& element : value) ForEachMemberName(element, visit);
  }
}

TEST(JwksDocumentTest, ContainsOnlyPublicMembers) {
  const auto verifiers = OneOfEach();
  auto body = BuildJwksDocument(verifiers);
  ASSERT_TRUE(body) << body.error().message();
  const auto document = nlohmann::json::parse(*body);
  ASSERT_EQ(document.at("keys").size(), verifiers.size());
  const std::set<std::string> allowed = {"keys", "kty", "use", "alg", "kid",
                                         "crv",  "n",   "e",   "x",   "y"};
  int members = 0;
  ForEachMemberName(document, [&](const std::string& name) {
    ++members;
    for (const char* secret : {"d", "p", "q", "dp", "dq", "qi", "k", "oth"}) {
      EXPECT_NE(name, secret) << "private member in the published JWKS";
    }
    EXPECT_TRUE(allowed.count(name)) << "unexpected member " << name;
  });
  EXPECT_GT(members, 20);
}

TEST(JwksDocumentTest, EachKeyNamesItsAlgorithmUseAndKid) {
  const auto verifiers = OneOfEach();
  const auto document = nlohmann::json::parse(*BuildJwksDocument(verifiers));
  for (size_t i = 0; i < verifiers.size(); ++i) {
    const auto& jwk = document["keys"][i];
    EXPECT_EQ(jwk.at("alg"), keys::JwaName(verifiers[i].algorithm()));
    EXPECT_EQ(jwk.at("kty"), keys::JwkKeyType(verifiers[i].algorithm()));
    EXPECT_EQ(jwk.at("use"), "sig");
    EXPECT_EQ(jwk.at("kid"), verifiers[i].kid());
  }
}

TEST(JwksDocumentTest, RoundTripsThroughParse) {
  const auto verifiers = OneOfEach();
  auto set = JwkSet::Parse(*BuildJwksDocument(verifiers));
  ASSERT_TRUE(set) << set.error().message();
  EXPECT_EQ(set->size(), verifiers.size());
  EXPECT_TRUE(set->skipped().empty());
  for (const auto& v : verifiers) {
    const keys::Verifier* found = set->Find(v.kid());
    ASSERT_NE(found, nullptr) << v.kid();
    EXPECT_EQ(found->algorithm(), v.algorithm());
  }
  EXPECT_EQ(set->Find("absent"), nullptr);
}

TEST(JwksDocumentTest, Build_RejectsDuplicateKid) {
  std::vector<keys::Verifier> verifiers = {GeneratedVerifier(Algorithm::kEs256, "same"),
                                           GeneratedVerifier(Algorithm::kEdDsa, "same")};
  auto body = BuildJwksDocument(verifiers);
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error(), Errc::kDuplicateKid);
  auto set = JwkSet::FromVerifiers(verifiers);
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error(), Errc::kDuplicateKid);
}

TEST(JwkSetParseTest, Parse_RejectsInvalidJsonAndShape) {
  EXPECT_EQ(JwkSet::Parse("{").error(), Errc::kInvalidJson);
  EXPECT_EQ(JwkSet::Parse("[]").error(), Errc::kNotAJwkSet);
  EXPECT_EQ(JwkSet::Parse(R"({"keys":{}})").error(), Errc::kNotAJwkSet);
  EXPECT_EQ(JwkSet::Parse(R"({"key":[]})").error(), Errc::kNotAJwkSet);
  EXPECT_EQ(JwkSet::Parse(R"({"keys":[1]})").error(), Errc::kNotAnObject);
}

TEST(JwkSetParseTest, Parse_AcceptsEmptySet) {
  auto set = JwkSet::Parse(R"({"keys":[]})");
  ASSERT_TRUE(set);
  EXPECT_TRUE(set->empty());
}

TEST(JwkSetParseTest, Parse_RejectsWholeSetWhenAnyKeyIsPrivate) {
  nlohmann::json with_private = kEcJwk;
  with_private["kid"] = "private";
  with_private["d"] = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";
  nlohmann::json oct = {{"kty", "oct"}, {"kid", "mac"}, {"k", "AAAA"}};
  EXPECT_EQ(JwkSet::FromJson({{"keys", {kEcJwk, with_private}}}).error(),
            Errc::kPrivateMemberPresent);
  EXPECT_EQ(JwkSet::FromJson({{"keys", {oct, kEcJwk}}}).error(), Errc::kPrivateMemberPresent);
}

TEST(JwkSetParseTest, Parse_RejectsDuplicateKid) {
  nlohmann::json other = kEcJwk;
  other["alg"] = "ES256";
  EXPECT_EQ(JwkSet::FromJson({{"keys", {kEcJwk, other}}}).error(), Errc::kDuplicateKid);
  nlohmann::json no_kid_1 = kEcJwk, no_kid_2 = kEcJwk;
  no_kid_1.erase("kid");
  no_kid_2.erase("kid");
  EXPECT_EQ(JwkSet::FromJson({{"keys", {no_kid_1, no_kid_2}}}).error(), Errc::kDuplicateKid);
}

TEST(JwkSetParseTest, Parse_SkipsUnusableKeysWithTheirReason) {
  nlohmann::json enc = kEcJwk;
  enc["kid"] = "enc-key";
  enc["use"] = "enc";
  nlohmann::json p521 = {
      {"kty", "EC"}, {"crv", "P-521"}, {"kid", "p521"}, {"x", "AA"}, {"y", "AA"}};
  auto set = JwkSet::FromJson({{"keys", {enc, kEcJwk, p521}}});
  ASSERT_TRUE(set) << set.error().message();
  EXPECT_EQ(set->size(), 1u);
  EXPECT_NE(set->Find("ec"), nullptr);
  EXPECT_EQ(set->Find("enc-key"), nullptr);
  ASSERT_EQ(set->skipped().size(), 2u);
  ASSERT_NE(set->FindSkipped("enc-key"), nullptr);
  EXPECT_EQ(set->FindSkipped("enc-key")->reason, Errc::kWrongUse);
  EXPECT_EQ(set->FindSkipped("p521")->reason, Errc::kUnsupportedCurve);
  EXPECT_EQ(set->FindSkipped("ec"), nullptr);
}

TEST(ThumbprintVectorTest, Rfc7638Section3_1ThroughImport) {
  const nlohmann::json v = LoadVector("rfc7638_3_1_thumbprint.json");
  auto verifier = ImportPublicJwk(v.at("jwk"));
  ASSERT_TRUE(verifier) << verifier.error().message();
  EXPECT_EQ(verifier->kid(), "2011-04-29");
  EXPECT_EQ(verifier->algorithm(), Algorithm::kRs256);
  auto jwk = PublicJwk::FromVerifier(*verifier);
  ASSERT_TRUE(jwk);
  EXPECT_EQ(jwk->n, v.at("jwk").at("n").get<std::string>());
  EXPECT_EQ(jwk->e, "AQAB");
  EXPECT_EQ(jwk->Thumbprint(), v.at("thumbprint").get<std::string>());
}

TEST(ThumbprintVectorTest, Rfc8037AppendixA3ThroughImport) {
  const nlohmann::json v = LoadVector("rfc8037_a_ed25519.json");
  auto verifier = ImportPublicJwk(v.at("public_jwk"));
  ASSERT_TRUE(verifier) << verifier.error().message();
  EXPECT_EQ(PublicJwk::FromVerifier(*verifier)->Thumbprint(),
            v.at("thumbprint").get<std::string>());
}

TEST(PublicJwkTest, ToJsonLeavesOutMembersOfOtherKeyTypes) {
  auto jwk = PublicJwk::FromVerifier(GeneratedVerifier(Algorithm::kEdDsa, "ed"));
  ASSERT_TRUE(jwk);
  const nlohmann::json json = jwk->ToJson();
  EXPECT_EQ(json.at("kty"), "OKP");
  EXPECT_EQ(json.at("crv"), "Ed25519");
  EXPECT_FALSE(json.contains("y"));
  EXPECT_FALSE(json.contains("n"));
}

}  // namespace
}  // namespace signet::jwks

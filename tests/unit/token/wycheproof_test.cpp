// Wycheproof JOSE vectors (SIGNET_WYCHEPROOF_DIR): json_web_signature_test.json and
// json_web_key_test.json. Every valid case of an algorithm signet implements must verify and
// every invalid case must be rejected. Valid cases of algorithms signet does not implement
// (HS256, RS384, PS512, ES512, ...) cannot be checked; they are counted and printed by name.

#include <cstdio>
#include <map>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "jwks/jwk_set.hpp"
#include "jwks/public_jwk.hpp"
#include "keys/algorithm.hpp"
#include "keys/base64url.hpp"
#include "tests/unit/token/test_support.hpp"
#include "token/jws.hpp"

namespace signet::token {
namespace {

struct Tally {
  int valid_verified = 0;
  int invalid_rejected = 0;
  int skipped = 0;
  std::string skipped_names;

  void Skip(const nlohmann::json& group, const nlohmann::json& test, const std::string& why) {
    ++skipped;
    skipped_names += "tcId " + std::to_string(test.at("tcId").get<int>()) + " (" +
                     group.at("comment").get<std::string>() + ", " + why + "); ";
  }
  void Report(const char* file) const {
    const std::string line = std::string(file) + ": " + std::to_string(valid_verified) +
                             " valid verified, " + std::to_string(invalid_rejected) +
                             " invalid rejected, " + std::to_string(skipped) +
                             " valid skipped as not implemented";
    ::testing::Test::RecordProperty("wycheproof_summary", line);
    ::testing::Test::RecordProperty("wycheproof_skipped", skipped_names);
    std::printf("[ WYCHEPROOF ] %s\n[ WYCHEPROOF ] skipped: %s\n", line.c_str(),
                skipped_names.c_str());
  }
};

std::string CompactText(const nlohmann::json& test) {
  const auto& jws = test.at("jws");
  return jws.is_string() ? jws.get<std::string>() : jws.dump();  // JSON serialisation: rejected
}

// The header "alg" of a compact token, when it can be read.
std::optional<std::string> HeaderAlg(const std::string& compact) {
  const auto header = keys::Base64UrlDecode(compact.substr(0, compact.find('.')));
  if (!header) return std::nullopt;
  const auto json = nlohmann::json::parse(*header, nullptr, false);
  if (!json.is_object() || !json.contains("alg") || !json["alg"].is_string()) return std::nullopt;
  return json["alg"].get<std::string>();
}

bool Implemented(const std::optional<std::string>& alg) {
  return alg && keys::ParseAlgorithm(*alg).has_value();
}

std::string Describe(const nlohmann::json& group, const nlohmann::json& test) {
  return "tcId " + std::to_string(test.at("tcId").get<int>()) + " [" +
         group.at("comment").get<std::string>() + "] " + test.at("comment").get<std::string>();
}

TEST(WycheproofTest, JsonWebSignature) {
  const nlohmann::json file = testing::LoadVector("wycheproof/json_web_signature_test.json");
  Tally tally;
  for (const auto& group : file.at("testGroups")) {
    // The verifier only ever gets the group's public key; groups without one (HMAC) have an
    // empty key set.
    std::optional<keys::Verifier> verifier;
    std::optional<std::string> key_alg;
    if (group.contains("public")) {
      key_alg = group["public"].value("alg", "");
      if (auto imported = jwks::ImportPublicJwk(group["public"])) verifier = std::move(*imported);
    } else {
      key_alg = group.at("private").value("alg", "");
    }
    auto keys = jwks::JwkSet::FromVerifiers(verifier ? std::vector<keys::Verifier>{*verifier}
                                                     : std::vector<keys::Verifier>{});
    ASSERT_TRUE(keys);

    for (const auto& test : group.at("tests")) {
      const std::string compact = CompactText(test);
      const std::string result = test.at("result").get<std::string>();
      auto verified = VerifyCompact(compact, *keys);
      if (result == "valid") {
        const auto alg = HeaderAlg(compact);
        if (!Implemented(alg) || !Implemented(key_alg) || !verifier) {
          tally.Skip(group, test, "alg " + alg.value_or("?") + " / key " + key_alg.value_or("?"));
          continue;
        }
        EXPECT_TRUE(verified) << Describe(group, test) << ": "
                              << (verified ? "" : verified.error().message());
        if (verified) ++tally.valid_verified;
      } else {
        EXPECT_FALSE(verified) << Describe(group, test) << " was accepted";
        if (!verified) ++tally.invalid_rejected;
      }
    }
  }
  tally.Report("json_web_signature_test.json");
  EXPECT_GT(tally.valid_verified, 0);
  EXPECT_GT(tally.invalid_rejected, 0);
  EXPECT_GT(tally.skipped, 0);
}

TEST(WycheproofTest, JsonWebKey) {
  const nlohmann::json file = testing::LoadVector("wycheproof/json_web_key_test.json");
  Tally tally;
  for (const auto& group : file.at("testGroups")) {
    // A verifier is handed the published set: the public one, else what the group has (its
    // private sets contain symmetric or private members and must be refused as a whole).
    const nlohmann::json& document = group.contains("public") ? group["public"] : group["private"];
    auto keys = jwks::JwkSet::FromJson(document);

    for (const auto& test : group.at("tests")) {
      const std::string compact = CompactText(test);
      const std::string result = test.at("result").get<std::string>();
      std::optional<Result<VerifiedJws>> verified;
      if (keys) verified = VerifyCompact(compact, *keys);
      const bool accepted = verified && *verified;
      if (result == "valid") {
        const auto alg = HeaderAlg(compact);
        if (!Implemented(alg)) {
          tally.Skip(group, test, "alg " + alg.value_or("?"));
          continue;
        }
        EXPECT_TRUE(accepted) << Describe(group, test) << ": "
                              << (keys ? "" : keys.error().message());
        if (accepted) ++tally.valid_verified;
      } else {
        EXPECT_FALSE(accepted) << Describe(group, test) << " was accepted";
        if (!accepted) ++tally.invalid_rejected;
      }
    }
  }
  tally.Report("json_web_key_test.json");
  EXPECT_GT(tally.valid_verified, 0);
  EXPECT_GT(tally.invalid_rejected, 0);
}

// The key-level reasons behind the json_web_key_test.json rejections, asserted precisely.
TEST(WycheproofTest, JsonWebKeyRejectionReasons) {
  const nlohmann::json file = testing::LoadVector("wycheproof/json_web_key_test.json");
  std::map<std::string, jwks::Errc> expected = {
      {"jws_rsa_roca_key", jwks::Errc::kRocaVulnerable},
      {"keysize_too_small", jwks::Errc::kWeakKey},
      {"exponentOne", jwks::Errc::kBadExponent},
      {"wrong_algorithm", jwks::Errc::kUnsupportedAlgorithm},
      {"invalid_algorithm", jwks::Errc::kUnsupportedAlgorithm},
      {"invalid_use", jwks::Errc::kWrongUse},
      {"invalid_point", jwks::Errc::kPointNotOnCurve},
      {"wrong_curve", jwks::Errc::kAlgKeyMismatch},
      {"wrong_kty", jwks::Errc::kAlgKeyMismatch},
  };
  int checked = 0;
  for (const auto& group : file.at("testGroups")) {
    const auto it = expected.find(group.at("comment").get<std::string>());
    if (it == expected.end() || !group.contains("public")) continue;
    auto imported = jwks::ImportPublicJwk(group["public"]["keys"][0]);
    ASSERT_FALSE(imported) << it->first;
    EXPECT_EQ(imported.error(), it->second) << it->first << ": " << imported.error().message();
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(expected.size()));
}

}  // namespace
}  // namespace signet::token

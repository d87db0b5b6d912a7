#include "keys/jwk_thumbprint.hpp"

#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keys/base64url.hpp"
#include "tests/unit/keys/test_keys.hpp"

namespace signet::keys {
namespace {

using testing::AlgName;
using testing::CachedKey;

nlohmann::json LoadVector(const char* name) {
  std::ifstream in(std::string(SIGNET_VECTORS_DIR) + "/" + name);
  if (!in) return {};
  return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
}

TEST(Rfc7638Thumbprint, MatchesRfc7638Section3_1Example) {
  const nlohmann::json vector = LoadVector("rfc7638_3_1_thumbprint.json");
  ASSERT_TRUE(vector.is_object());
  JwkPublicMembers members;
  members.kty = vector["jwk"]["kty"];
  members.n = vector["jwk"]["n"];
  members.e = vector["jwk"]["e"];
  EXPECT_EQ(Rfc7638Thumbprint(members), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  EXPECT_EQ(Rfc7638Thumbprint(members), vector["thumbprint"].get<std::string>());
}

TEST(Rfc7638Thumbprint, IgnoresMembersTheKeyTypeDoesNotRequire) {
  JwkPublicMembers ec{"EC", "P-256", "", "", "xx", "yy"};
  JwkPublicMembers with_extra = ec;
  with_extra.n = "ignored";
  EXPECT_EQ(Rfc7638Thumbprint(ec), Rfc7638Thumbprint(with_extra));
  JwkPublicMembers other = ec;
  other.y = "yz";
  EXPECT_NE(Rfc7638Thumbprint(ec), Rfc7638Thumbprint(other));
}

class ExportPublicMembersTest : public ::testing::TestWithParam<Algorithm> {};

TEST_P(ExportPublicMembersTest, ExportsFixedSizeMembers) {
  auto m = ExportPublicMembers(CachedKey(GetParam()).public_key());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kty, JwkKeyType(GetParam()));
  switch (GetParam()) {
    case Algorithm::kRs256:
    case Algorithm::kPs256:
      EXPECT_EQ(Base64UrlDecode(m->n)->size(), 256u);  // 2048 bits, no leading zero
      EXPECT_EQ(m->e, "AQAB");
      EXPECT_TRUE(m->crv.empty() && m->x.empty() && m->y.empty());
      break;
    case Algorithm::kEs256:
    case Algorithm::kEs384: {
      const size_t size = GetParam() == Algorithm::kEs256 ? 32 : 48;
      EXPECT_EQ(m->crv, GetParam() == Algorithm::kEs256 ? "P-256" : "P-384");
      EXPECT_EQ(Base64UrlDecode(m->x)->size(), size);  // RFC 7518 §6.2.1.2: full length
      EXPECT_EQ(Base64UrlDecode(m->y)->size(), size);
      EXPECT_TRUE(m->n.empty() && m->e.empty());
      break;
    }
    case Algorithm::kEdDsa:
      EXPECT_EQ(m->crv, "Ed25519");
      EXPECT_EQ(Base64UrlDecode(m->x)->size(), 32u);
      EXPECT_TRUE(m->y.empty() && m->n.empty());
      break;
  }
  const std::string kid = Rfc7638Thumbprint(*m);
  EXPECT_EQ(kid.size(), 43u);  // base64url of 32 bytes
  EXPECT_EQ(Rfc7638Thumbprint(*ExportPublicMembers(CachedKey(GetParam()).public_key())), kid);
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, ExportPublicMembersTest,
                         ::testing::ValuesIn(AllAlgorithms().begin(), AllAlgorithms().end()),
                         AlgName);

}  // namespace
}  // namespace signet::keys

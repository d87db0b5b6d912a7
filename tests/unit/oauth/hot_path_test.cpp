// The pieces of the token hot path that were rewritten for speed (issue 3): JSON string
// escaping in bulk, the per-key JWS header cache, the pre-keyed HMAC of the digest cache and
// buffered jti randomness. Each test pins the behaviour the faster code must keep.
#include <memory>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keys/base64url.hpp"
#include "keys/private_key.hpp"
#include "keys/signer.hpp"
#include "oauth/access_token_issuer.hpp"
#include "oauth/internal/json_text.hpp"
#include "oauth/internal/jws_signer_cache.hpp"
#include "oauth/internal/secret_digest_cache.hpp"
#include "token/jwt.hpp"

namespace signet::oauth {
namespace {

std::string Json(std::string_view text) {
  std::string out = "x";
  internal::AppendJsonString(out, text);
  return out.substr(1);
}

TEST(AppendJsonString, CopiesPlainTextUnchanged) {
  EXPECT_EQ(Json(""), R"("")");
  EXPECT_EQ(Json("eyJhbGciOiJFUzI1NiJ9.e30.sig-_"), R"("eyJhbGciOiJFUzI1NiJ9.e30.sig-_")");
}

TEST(AppendJsonString, EscapesQuoteBackslashAndControlsAnywhere) {
  EXPECT_EQ(Json("\"a\\b\""), R"("\"a\\b\"")");
  EXPECT_EQ(Json(std::string_view("a\nb\x01", 4)), R"("a\u000ab\u0001")");
  EXPECT_EQ(Json(std::string_view("\0", 1)), R"("\u0000")");
  // Round trip through a real JSON parser, escapes at both ends and in the middle.
  const std::string tricky = std::string("\"start") + "\x1f mid \\ end\"";
  EXPECT_EQ(nlohmann::json::parse(Json(tricky)).get<std::string>(), tricky);
}

TEST(AppendJsonString, KeepsNonAsciiUtf8Bytes) {
  EXPECT_EQ(Json("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
}

std::shared_ptr<const keys::Signer> MakeSigner(keys::Algorithm alg, std::string kid) {
  auto key = keys::PrivateKey::Generate(alg);
  EXPECT_TRUE(key);
  auto signer = keys::Signer::Create(std::move(*key), std::move(kid));
  EXPECT_TRUE(signer);
  return std::make_shared<const keys::Signer>(std::move(*signer));
}

nlohmann::json HeaderOf(const std::string& compact) {
  auto header = keys::Base64UrlDecode(compact.substr(0, compact.find('.')));
  EXPECT_TRUE(header);
  return nlohmann::json::parse(*header);
}

TEST(JwsSignerCache, SameKeyReusesOneSigner) {
  internal::JwsSignerCache cache(token::kTypAccessToken);
  const auto signer = MakeSigner(keys::Algorithm::kEs256, "kid-a");
  auto first = cache.For(signer);
  auto second = cache.For(signer);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->get(), second->get());
  auto compact = (*first)->Sign(std::string_view(R"({"sub":"x"})"));
  ASSERT_TRUE(compact);
  const auto header = HeaderOf(*compact);
  EXPECT_EQ(header.at("alg"), "ES256");
  EXPECT_EQ(header.at("kid"), "kid-a");
  EXPECT_EQ(header.at("typ"), "at+jwt");
}

TEST(JwsSignerCache, RotatedKeyGetsItsOwnHeader) {
  internal::JwsSignerCache cache(token::kTypAccessToken);
  const auto old_key = MakeSigner(keys::Algorithm::kEs256, "kid-old");
  const auto new_key = MakeSigner(keys::Algorithm::kEs256, "kid-new");
  const auto other_alg = MakeSigner(keys::Algorithm::kEdDsa, "kid-ed");
  ASSERT_TRUE(cache.For(old_key));
  ASSERT_TRUE(cache.For(other_alg));
  auto rotated = cache.For(new_key);
  ASSERT_TRUE(rotated);
  auto compact = (*rotated)->Sign(std::string_view("{}"));
  ASSERT_TRUE(compact);
  EXPECT_EQ(HeaderOf(*compact).at("kid"), "kid-new");
  auto ed = cache.For(other_alg);
  ASSERT_TRUE(ed);
  auto ed_compact = (*ed)->Sign(std::string_view("{}"));
  ASSERT_TRUE(ed_compact);
  EXPECT_EQ(HeaderOf(*ed_compact).at("alg"), "EdDSA");
}

TEST(SecretDigestCache, DigestIsDeterministicPerProcessKeyAndSecret) {
  auto cache = internal::SecretDigestCache::Create();
  auto other = internal::SecretDigestCache::Create();
  ASSERT_TRUE(cache && other);
  const auto a1 = (*cache)->DigestOf("s3cret");
  const auto a2 = (*cache)->DigestOf("s3cret");
  const auto b = (*cache)->DigestOf("s3creT");
  const auto other_key = (*other)->DigestOf("s3cret");
  ASSERT_TRUE(a1 && a2 && b && other_key);
  EXPECT_EQ(*a1, *a2);  // the keyed template is not consumed by a digest
  EXPECT_NE(*a1, *b);
  EXPECT_NE(*a1, *other_key);  // a different random key per cache
}

TEST(NewTokenId, ManyIdsAreDistinct22CharBase64Url) {
  // More than one buffered block of random bytes (64 ids each).
  std::set<std::string> seen;
  for (int i = 0; i < 300; ++i) {
    const auto jti = NewTokenId();
    ASSERT_TRUE(jti);
    EXPECT_EQ(jti->size(), 22U);
    EXPECT_TRUE(keys::Base64UrlDecode(*jti).has_value());
    seen.insert(*jti);
  }
  EXPECT_EQ(seen.size(), 300U);
}

}  // namespace
}  // namespace signet::oauth

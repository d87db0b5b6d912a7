#include "config/embedded_default.hpp"

#include <gtest/gtest.h>

#include "config/loader.hpp"

namespace signet::config {
namespace {

TEST(EmbeddedDefaultTest, LoadsAndValidates) {
  auto loaded = LoadConfigText(EmbeddedDefaultYaml(), kEmbeddedDefaultName);
  ASSERT_TRUE(loaded) << loaded.error().Format();
  const Config& c = *loaded;
  // interface.md: issuer and listen on 127.0.0.1:8080, in-memory store, keys in ./var/keys.
  EXPECT_EQ(c.issuer, "http://127.0.0.1:8080");
  EXPECT_EQ(c.listen, "127.0.0.1:8080");
  EXPECT_TRUE(c.redis.url.empty());
  EXPECT_EQ(c.keys.dir, "./var/keys");
  EXPECT_EQ(c.keys.algorithms,
            (std::vector<keys::Algorithm>{keys::Algorithm::kRs256, keys::Algorithm::kEs256}));
}

TEST(EmbeddedDefaultTest, HasOneDemoClientWithEveryGrant) {
  auto loaded = LoadConfigText(EmbeddedDefaultYaml(), kEmbeddedDefaultName);
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->clients.size(), 1u);
  const Client& demo = loaded->clients[0];
  EXPECT_EQ(demo.client_id, "demo-client");
  EXPECT_FALSE(demo.client_secret.empty());
  EXPECT_EQ(demo.grant_types.size(), 4u);
  EXPECT_EQ(demo.redirect_uris.at(0), "http://127.0.0.1:8080/demo/callback");
  EXPECT_EQ(demo.scope, (std::vector<std::string>{"openid", "profile", "email"}));
  EXPECT_EQ(demo.audience, std::vector<std::string>{"http://127.0.0.1:8080"});
}

TEST(EmbeddedDefaultTest, HasOneDemoUserWithClaims) {
  auto loaded = LoadConfigText(EmbeddedDefaultYaml(), kEmbeddedDefaultName);
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->users.size(), 1u);
  EXPECT_EQ(loaded->users[0].username, "demo");
  EXPECT_FALSE(loaded->users[0].password.empty());
  EXPECT_NE(loaded->users[0].claims_json.find("\"email\""), std::string::npos);
}

TEST(EmbeddedDefaultTest, MarksItsSecretsAsDevelopmentOnly) {
  EXPECT_NE(EmbeddedDefaultYaml().find("DEVELOPMENT ONLY"), std::string_view::npos);
}

}  // namespace
}  // namespace signet::config

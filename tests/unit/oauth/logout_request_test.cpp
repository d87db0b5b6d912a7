// oauth::ParseLogoutRequest and oauth::LogoutRedirectUrl (OpenID Connect RP-Initiated Logout
// 1.0 §2-§4), with real ID tokens from oauth::IdTokenIssuer signed by generated keys.
#include "oauth/logout_request.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keys/base64url.hpp"
#include "keys/key_ring.hpp"
#include "keys/private_key.hpp"
#include "oauth/access_token_issuer.hpp"
#include "oauth/authorization_request.hpp"
#include "oauth/id_token_issuer.hpp"
#include "oauth/user_claims.hpp"
#include "token/jwt.hpp"

namespace signet::oauth {
namespace {

using std::chrono::seconds;
using TimePoint = std::chrono::system_clock::time_point;

constexpr std::int64_t kNow = 1'700'000'000;
constexpr std::string_view kIssuer = "https://id.example.com";
constexpr std::string_view kSid = "08a5019c-17e1-4977-8f42-65a12843ea02";
constexpr std::string_view kWebLogout = "https://app.example.com/";
constexpr std::string_view kWebLogoutWithQuery = "https://app.example.com/bye?from=signet";

keys::KeyEntry NewEntry(keys::KeyState state) {
  const TimePoint start(seconds(kNow - 3600));
  auto key = keys::PrivateKey::Generate(keys::Algorithm::kEs256);
  EXPECT_TRUE(key);
  auto entry =
      keys::MakeKeyEntry(std::move(*key), state, start, start, start + std::chrono::hours(48));
  EXPECT_TRUE(entry);
  return std::move(*entry);
}

// The ring's key and a key the ring never held, generated once for the suite.
const keys::KeyEntry& RingEntry() {
  static const keys::KeyEntry entry = NewEntry(keys::KeyState::kActive);
  return entry;
}
const keys::KeyEntry& ForeignEntry() {
  static const keys::KeyEntry entry = NewEntry(keys::KeyState::kActive);
  return entry;
}

std::shared_ptr<const keys::KeySetSnapshot> SnapshotOf(const keys::KeyEntry& entry,
                                                       keys::KeyState state) {
  keys::KeyEntry copy = entry;
  copy.state = state;
  auto snapshot = keys::KeySetSnapshot::Create({std::move(copy)});
  EXPECT_TRUE(snapshot);
  return std::move(*snapshot);
}

// Signs through the given entry's key, as the ring would while it is active.
ActiveSignerFn SignerOf(const keys::KeyEntry& entry) {
  auto snapshot = SnapshotOf(entry, keys::KeyState::kActive);
  return [snapshot](keys::Algorithm alg) -> std::shared_ptr<const keys::Signer> {
    const keys::Signer* signer = snapshot->ActiveSigner(alg);
    if (signer == nullptr) return nullptr;
    return std::shared_ptr<const keys::Signer>(snapshot, signer);
  };
}

config::Client ClientWith(std::string id, std::vector<std::string> logout_uris) {
  config::Client client;
  client.client_id = std::move(id);
  client.grant_types = {config::GrantType::kAuthorizationCode};
  client.post_logout_redirect_uris = std::move(logout_uris);
  return client;
}

config::Config LogoutConfig(std::string_view issuer) {
  config::Config config;
  config.issuer = std::string(issuer);
  config.tokens.id_token_ttl = seconds(600);
  config.tokens.access_token_ttl = seconds(900);
  config.tokens.leeway = seconds(30);
  config.tokens.signing_alg = keys::Algorithm::kEs256;
  config.keys.algorithms = {keys::Algorithm::kEs256};
  config.clients = {ClientWith("web", {std::string(kWebLogout), std::string(kWebLogoutWithQuery)}),
                    ClientWith("other", {"https://other.example.com/"})};
  config::User alice;
  alice.username = "alice";
  alice.password = "pw";
  alice.claims_json = R"({"name":"Alice"})";
  config.users = {alice};
  return config;
}

class LogoutRequestTest : public ::testing::Test {
 protected:
  LogoutRequestTest()
      : config_(LogoutConfig(kIssuer)),
        registry_(config_.clients),
        users_(*UserClaimsRegistry::Create(config_.users)),
        keys_([snapshot = SnapshotOf(RingEntry(), keys::KeyState::kActive)] { return snapshot; }) {}

  const config::Client& Client(std::string_view id) const { return *registry_.Find(id); }

  // An ID token for alice and `client_id`, issued at `issued_at` by `config` (our issuer by
  // default) with the key of `entry`.
  std::string IdToken(std::string_view client_id, std::int64_t issued_at = kNow - 60,
                      const config::Config* config = nullptr,
                      const keys::KeyEntry& entry = RingEntry()) const {
    IdTokenIssuer issuer(config ? *config : config_, SignerOf(entry), users_,
                         [issued_at] { return TimePoint(seconds(issued_at)); });
    const std::vector<std::string> scope = {"openid"};
    auto issued = issuer.Issue({.subject = "alice",
                                .client = &Client(client_id),
                                .auth_time = TimePoint(seconds(issued_at)),
                                .sid = kSid,
                                .scope = scope});
    EXPECT_TRUE(issued) << (issued ? "" : issued.error().debug);
    return std::move(issued->token);
  }

  // A JWT with arbitrary claims signed by the ring's key (for claim shapes IdTokenIssuer never
  // writes).
  static std::string Minted(const nlohmann::json& claims, std::string_view typ = "JWT") {
    auto jwt = token::MintJwt(*RingEntry().signer, typ, claims);
    EXPECT_TRUE(jwt);
    return std::move(*jwt);
  }

  static nlohmann::json ClaimsFor(nlohmann::json aud) {
    return {{"iss", kIssuer},
            {"sub", "alice"},
            {"aud", std::move(aud)},
            {"exp", kNow + 600},
            {"iat", kNow - 60}};
  }

  LogoutResult Parse(const FormParams& params) const {
    return ParseLogoutRequest(params, registry_, config_, keys_, TimePoint(seconds(kNow)));
  }

  void ExpectError(const LogoutResult& result, LogoutErrorCode code) const {
    ASSERT_FALSE(result) << "unexpectedly valid";
    EXPECT_EQ(result.error().code, code) << result.error().debug;
  }

  // Every hint failure shares one code and one description (§4 and the header); the reason,
  // checked here so that a test cannot pass for the wrong one, is only in debug.
  void ExpectInvalidHint(const LogoutResult& result, std::string_view reason) const {
    ExpectError(result, LogoutErrorCode::kInvalidIdTokenHint);
    if (result) return;
    EXPECT_EQ(result.error().description, "id_token_hint is not valid");
    EXPECT_NE(result.error().debug.find(reason), std::string::npos) << result.error().debug;
  }

  config::Config config_;
  ClientRegistry registry_;
  UserClaimsRegistry users_;
  VerificationKeysFn keys_;
};

// --- id_token_hint ---------------------------------------------------------------------------

TEST_F(LogoutRequestTest, ValidHint_NamesClientSubjectAndSid) {
  const auto result = Parse({{"id_token_hint", IdToken("web")}});
  ASSERT_TRUE(result) << result.error().debug;
  EXPECT_TRUE(result->hint_verified);
  EXPECT_EQ(result->client, &Client("web"));
  EXPECT_EQ(result->hint_subject, "alice");
  EXPECT_EQ(result->hint_sid, std::string(kSid));
  EXPECT_FALSE(result->post_logout_redirect_uri);
}

TEST_F(LogoutRequestTest, ExpiredHint_IsAccepted) {
  // Issued two hours ago with a 10-minute lifetime: §2, the OP SHOULD accept it.
  const auto result = Parse({{"id_token_hint", IdToken("web", kNow - 7200)}});
  ASSERT_TRUE(result) << result.error().debug;
  EXPECT_TRUE(result->hint_verified);
  EXPECT_EQ(result->client, &Client("web"));
}

TEST_F(LogoutRequestTest, HintSignedByRetiringKey_IsAccepted) {
  keys_ = [snapshot = SnapshotOf(RingEntry(), keys::KeyState::kRetiring)] { return snapshot; };
  const auto result = Parse({{"id_token_hint", IdToken("web")}});
  ASSERT_TRUE(result) << result.error().debug;
  EXPECT_TRUE(result->hint_verified);
}

TEST_F(LogoutRequestTest, HintWhoseKeyLeftTheRing_IsRejected) {
  const std::string hint = IdToken("web");
  keys_ = [snapshot = SnapshotOf(ForeignEntry(), keys::KeyState::kActive)] { return snapshot; };
  ExpectInvalidHint(Parse({{"id_token_hint", hint}}), "no key in the ring has its kid");
}

TEST_F(LogoutRequestTest, HintSignedByForeignKey_IsRejectedAsUnknownKid) {
  const auto result =
      Parse({{"id_token_hint", IdToken("web", kNow - 60, nullptr, ForeignEntry())}});
  ExpectInvalidHint(result, "no key in the ring has its kid");
}

TEST_F(LogoutRequestTest, HintWithModifiedPayload_FailsTheSignature) {
  const std::string hint = IdToken("web");
  const std::size_t first = hint.find('.');
  const std::size_t second = hint.find('.', first + 1);
  auto payload =
      nlohmann::json::parse(*keys::Base64UrlDecode(hint.substr(first + 1, second - first - 1)));
  payload["sub"] = "mallory";
  const std::string forged =
      hint.substr(0, first + 1) + keys::Base64UrlEncode(payload.dump()) + hint.substr(second);
  const auto result = Parse({{"id_token_hint", forged}});
  ExpectInvalidHint(result, "signature does not verify");
}

TEST_F(LogoutRequestTest, HintFromOtherIssuer_IsRejected) {
  const config::Config other = LogoutConfig("https://evil.example.com");
  ExpectInvalidHint(Parse({{"id_token_hint", IdToken("web", kNow - 60, &other)}}),
                    "iss is not ours");
}

TEST_F(LogoutRequestTest, AccessTokenAsHint_IsRejected) {
  AccessTokenIssuer issuer(config_, SignerOf(RingEntry()), [] { return TimePoint(seconds(kNow)); });
  const std::vector<std::string> audience = {"web"};  // even with a client as its audience
  auto access = issuer.Issue(
      {.subject = "alice", .client = &Client("web"), .audience = audience, .scope = {}});
  ASSERT_TRUE(access);
  ExpectInvalidHint(Parse({{"id_token_hint", access->token}}), "typ is not JWT");
}

TEST_F(LogoutRequestTest, AlgNoneHint_IsRejected) {
  const nlohmann::json header = {{"alg", "none"}, {"kid", RingEntry().kid}, {"typ", "JWT"}};
  const std::string unsigned_token = keys::Base64UrlEncode(header.dump()) + "." +
                                     keys::Base64UrlEncode(ClaimsFor("web").dump()) + ".";
  ExpectInvalidHint(Parse({{"id_token_hint", unsigned_token}}), "alg none");
}

TEST_F(LogoutRequestTest, GarbageHint_IsRejected) {
  ExpectInvalidHint(Parse({{"id_token_hint", "not-a-jwt"}}), "three base64url parts");
}

TEST_F(LogoutRequestTest, HintWithoutTyp_IsRejected) {
  ExpectInvalidHint(Parse({{"id_token_hint", Minted(ClaimsFor("web"), "")}}), "typ is not JWT");
}

TEST_F(LogoutRequestTest, HintWithApplicationJwtTyp_IsAccepted) {
  const auto result = Parse({{"id_token_hint", Minted(ClaimsFor("web"), "application/jwt")}});
  ASSERT_TRUE(result) << result.error().debug;
  EXPECT_EQ(result->client, &Client("web"));
  EXPECT_FALSE(result->hint_sid);  // no sid claim
}

TEST_F(LogoutRequestTest, HintIssuedInTheFuture_IsRejected) {
  nlohmann::json claims = ClaimsFor("web");
  claims["iat"] = kNow + 31;  // beyond the 30 s leeway
  ExpectInvalidHint(Parse({{"id_token_hint", Minted(claims)}}), "iat in the future");
}

TEST_F(LogoutRequestTest, HintIssuedWithinTheLeeway_IsAccepted) {
  nlohmann::json claims = ClaimsFor("web");
  claims["iat"] = kNow + 30;  // another replica's clock, 30 s ahead
  EXPECT_TRUE(Parse({{"id_token_hint", Minted(claims)}}));
}

TEST_F(LogoutRequestTest, HintWithoutIss_IsRejected) {
  nlohmann::json claims = ClaimsFor("web");
  claims.erase("iss");
  ExpectInvalidHint(Parse({{"id_token_hint", Minted(claims)}}), "iss is not ours");
}

TEST_F(LogoutRequestTest, HintWithoutSub_IsRejected) {
  nlohmann::json claims = ClaimsFor("web");
  claims.erase("sub");
  ExpectInvalidHint(Parse({{"id_token_hint", Minted(claims)}}), "sub missing");
}

TEST_F(LogoutRequestTest, HintForUnregisteredAudience_IsRejected) {
  ExpectInvalidHint(Parse({{"id_token_hint", Minted(ClaimsFor("https://api.example.com"))}}),
                    "not a registered client");
}

TEST_F(LogoutRequestTest, HintWithSingleAudienceArray_NamesThatClient) {
  const auto result = Parse({{"id_token_hint", Minted(ClaimsFor(nlohmann::json::array({"web"})))}});
  ASSERT_TRUE(result) << result.error().debug;
  EXPECT_EQ(result->client, &Client("web"));
}

TEST_F(LogoutRequestTest, HintWithTwoAudiencesAndAzp_NamesTheAzpClient) {
  nlohmann::json claims = ClaimsFor(nlohmann::json::array({"web", "other"}));
  claims["azp"] = "other";
  const auto result = Parse({{"id_token_hint", Minted(claims)}});
  ASSERT_TRUE(result) << result.error().debug;
  EXPECT_EQ(result->client, &Client("other"));
}

TEST_F(LogoutRequestTest, HintWithTwoAudiencesWithoutAzp_IsRejected) {
  ExpectInvalidHint(
      Parse({{"id_token_hint", Minted(ClaimsFor(nlohmann::json::array({"web", "other"})))}}),
      "no single audience and no azp");
}

TEST_F(LogoutRequestTest, HintWithAzpNotAmongAudiences_IsRejected) {
  nlohmann::json claims = ClaimsFor("web");
  claims["azp"] = "other";
  ExpectInvalidHint(Parse({{"id_token_hint", Minted(claims)}}), "azp is not among the audiences");
}

TEST_F(LogoutRequestTest, HintFailure_NeverPutsTheTokenInDebug) {
  const std::string hint = IdToken("web", kNow - 60, nullptr, ForeignEntry());
  const auto result = Parse({{"id_token_hint", hint}});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().debug.find(hint.substr(0, 20)), std::string::npos);
  EXPECT_EQ(result.error().description.find(hint.substr(0, 20)), std::string::npos);
}

TEST_F(LogoutRequestTest, EmptyKeySet_RejectsHint) {
  keys_ = [] { return std::shared_ptr<const keys::KeySetSnapshot>(); };
  ExpectInvalidHint(Parse({{"id_token_hint", IdToken("web")}}), "no key in the ring has its kid");
}

// --- client_id -------------------------------------------------------------------------------

TEST_F(LogoutRequestTest, ClientIdMatchingHint_IsAccepted) {
  const auto result = Parse({{"id_token_hint", IdToken("web")}, {"client_id", "web"}});
  ASSERT_TRUE(result) << result.error().debug;
  EXPECT_EQ(result->client, &Client("web"));
}

TEST_F(LogoutRequestTest, ClientIdDifferentFromHint_IsRejected) {
  ExpectError(Parse({{"id_token_hint", IdToken("web")}, {"client_id", "other"}}),
              LogoutErrorCode::kClientMismatch);
}

TEST_F(LogoutRequestTest, ClientIdAlone_NamesTheClientUnverified) {
  const auto result = Parse({{"client_id", "other"}});
  ASSERT_TRUE(result) << result.error().debug;
  EXPECT_EQ(result->client, &Client("other"));
  EXPECT_FALSE(result->hint_verified);
  EXPECT_FALSE(result->hint_subject);
}

TEST_F(LogoutRequestTest, UnknownClientId_IsRejected) {
  ExpectError(Parse({{"client_id", "nobody"}}), LogoutErrorCode::kUnknownClient);
}

// --- post_logout_redirect_uri ----------------------------------------------------------------

TEST_F(LogoutRequestTest, RegisteredRedirectUri_WithHint_IsKept) {
  const auto result = Parse(
      {{"id_token_hint", IdToken("web")}, {"post_logout_redirect_uri", std::string(kWebLogout)}});
  ASSERT_TRUE(result) << result.error().debug;
  EXPECT_EQ(result->post_logout_redirect_uri, std::string(kWebLogout));
}

TEST_F(LogoutRequestTest, RegisteredRedirectUri_WithClientIdOnly_IsKeptUnverified) {
  const auto result =
      Parse({{"client_id", "other"}, {"post_logout_redirect_uri", "https://other.example.com/"}});
  ASSERT_TRUE(result) << result.error().debug;
  EXPECT_EQ(result->post_logout_redirect_uri, "https://other.example.com/");
  EXPECT_FALSE(result->hint_verified);
}

TEST_F(LogoutRequestTest, RedirectUriOfAnotherClient_IsRejected) {
  ExpectError(Parse({{"id_token_hint", IdToken("web")},
                     {"post_logout_redirect_uri", "https://other.example.com/"}}),
              LogoutErrorCode::kUnregisteredRedirectUri);
}

TEST_F(LogoutRequestTest, RedirectUriNotByteForByte_IsRejected) {
  for (const char* uri :
       {"https://app.example.com", "https://APP.example.com/", "https://app.example.com/evil",
        "https://app.example.com/?x=1", "https://app.example.com/bye?from=signet&x=1"}) {
    SCOPED_TRACE(uri);
    ExpectError(Parse({{"client_id", "web"}, {"post_logout_redirect_uri", uri}}),
                LogoutErrorCode::kUnregisteredRedirectUri);
  }
}

TEST_F(LogoutRequestTest, RedirectUriWithoutClient_IsRejected) {
  ExpectError(Parse({{"post_logout_redirect_uri", std::string(kWebLogout)}}),
              LogoutErrorCode::kRedirectUriWithoutClient);
}

TEST_F(LogoutRequestTest, RedirectUriWithInvalidHint_IsRejectedNotRedirected) {
  ExpectInvalidHint(Parse({{"id_token_hint", IdToken("web", kNow - 60, nullptr, ForeignEntry())},
                           {"post_logout_redirect_uri", std::string(kWebLogout)}}),
                    "no key in the ring has its kid");
}

// --- state, repetition, encoding -------------------------------------------------------------

TEST_F(LogoutRequestTest, State_IsKept) {
  const auto result = Parse({{"client_id", "web"},
                             {"post_logout_redirect_uri", std::string(kWebLogout)},
                             {"state", "af0ifjsldkj"}});
  ASSERT_TRUE(result) << result.error().debug;
  EXPECT_EQ(result->state, "af0ifjsldkj");
}

TEST_F(LogoutRequestTest, StateAtTheLimit_IsKept_BeyondIsRejected) {
  EXPECT_TRUE(Parse({{"state", std::string(kMaxStateLength, 's')}}));
  ExpectError(Parse({{"state", std::string(kMaxStateLength + 1, 's')}}),
              LogoutErrorCode::kInvalidRequest);
}

TEST_F(LogoutRequestTest, RepeatedParameter_IsRejected) {
  for (const char* name : {"id_token_hint", "client_id", "post_logout_redirect_uri", "state",
                           "logout_hint", "ui_locales"}) {
    SCOPED_TRACE(name);
    ExpectError(Parse({{"client_id", "web"}, {name, "a"}, {name, "b"}}),
                LogoutErrorCode::kInvalidRequest);
  }
}

TEST_F(LogoutRequestTest, EmptyValue_IsTreatedAsOmitted) {
  const auto result = Parse({{"client_id", ""}, {"id_token_hint", ""}, {"state", ""}});
  ASSERT_TRUE(result) << result.error().debug;
  EXPECT_EQ(result->client, nullptr);
  EXPECT_FALSE(result->state);
  // An empty client_id does not name a client for the redirect URI either.
  ExpectError(Parse({{"client_id", ""}, {"post_logout_redirect_uri", std::string(kWebLogout)}}),
              LogoutErrorCode::kRedirectUriWithoutClient);
}

TEST_F(LogoutRequestTest, NoParameters_IsAnUnverifiedLogout) {
  const auto result = Parse({});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->client, nullptr);
  EXPECT_FALSE(result->hint_verified);
  EXPECT_FALSE(result->post_logout_redirect_uri);
}

TEST_F(LogoutRequestTest, LogoutHintUiLocalesAndUnknownParameters_AreIgnored) {
  const auto result =
      Parse({{"logout_hint", "alice"}, {"ui_locales", "fr-CA fr"}, {"foo", "1"}, {"foo", "2"}});
  EXPECT_TRUE(result);
}

TEST_F(LogoutRequestTest, EncodedQuery_IsDecoded) {
  const auto result = ParseLogoutRequest(
      "client_id=web&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2F&state=a+b",
      registry_, config_, keys_, TimePoint(seconds(kNow)));
  ASSERT_TRUE(result) << result.error().debug;
  EXPECT_EQ(result->post_logout_redirect_uri, std::string(kWebLogout));
  EXPECT_EQ(result->state, "a b");
}

TEST_F(LogoutRequestTest, UndecodableQuery_IsInvalidRequest) {
  ExpectError(ParseLogoutRequest("client_id=web&state=%zz", registry_, config_, keys_,
                                 TimePoint(seconds(kNow))),
              LogoutErrorCode::kInvalidRequest);
}

// --- LogoutRedirectUrl -----------------------------------------------------------------------

TEST(LogoutRedirectUrlTest, AppendsEncodedState) {
  LogoutRequest request;
  request.post_logout_redirect_uri = std::string(kWebLogout);
  request.state = "a b&c=d/\xC3\xA9";
  EXPECT_EQ(LogoutRedirectUrl(request), "https://app.example.com/?state=a+b%26c%3Dd%2F%C3%A9");
}

TEST(LogoutRedirectUrlTest, KeepsTheRegisteredQuery) {
  LogoutRequest request;
  request.post_logout_redirect_uri = std::string(kWebLogoutWithQuery);
  request.state = "xyz";
  EXPECT_EQ(LogoutRedirectUrl(request), "https://app.example.com/bye?from=signet&state=xyz");
}

TEST(LogoutRedirectUrlTest, WithoutState_IsTheRegisteredUriUnchanged) {
  LogoutRequest request;
  request.post_logout_redirect_uri = std::string(kWebLogout);
  EXPECT_EQ(LogoutRedirectUrl(request), kWebLogout);
}

TEST(LogoutRedirectUrlTest, WithoutRedirectUri_IsEmpty) {
  LogoutRequest request;
  request.state = "xyz";
  EXPECT_EQ(LogoutRedirectUrl(request), "");
}

}  // namespace
}  // namespace signet::oauth

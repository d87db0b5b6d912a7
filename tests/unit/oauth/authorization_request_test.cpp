#include "oauth/authorization_request.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace signet::oauth {
namespace {

using Code = AuthorizeErrorCode;

// A 43-character S256 challenge (RFC 7636 Appendix B).
constexpr std::string_view kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

std::vector<config::Client> MakeClients() {
  config::Client web;
  web.client_id = "web";
  web.grant_types = {config::GrantType::kAuthorizationCode, config::GrantType::kRefreshToken};
  web.redirect_uris = {"https://app-a.example/cb", "https://app-a.example/cb2?tenant=1"};
  web.scope = {"openid", "profile", "email"};

  config::Client spa;
  spa.client_id = "spa";
  spa.token_endpoint_auth_method = config::TokenEndpointAuthMethod::kNone;
  spa.grant_types = {config::GrantType::kAuthorizationCode};
  spa.redirect_uris = {"https://app-b.example/cb"};
  spa.scope = {"openid"};

  config::Client m2m;
  m2m.client_id = "m2m";
  m2m.grant_types = {config::GrantType::kClientCredentials};
  m2m.redirect_uris = {"https://m2m.example/cb"};
  m2m.scope = {"orders:read"};
  return {web, spa, m2m};
}

class AuthorizationRequestTest : public ::testing::Test {
 protected:
  AuthorizeResult Parse(std::string_view query) const {
    return ParseAuthorizationRequest(query, registry_);
  }
  // A valid request of the confidential client "web", followed by `extra`.
  AuthorizeResult ParseWeb(std::string_view extra) const {
    return Parse(
        "client_id=web&redirect_uri=https%3A%2F%2Fapp-a.example%2Fcb&response_type=code"
        "&state=xyz" +
        std::string(extra));
  }
  // The request must fail with `code`, going back to the client with state "xyz".
  void ExpectRedirected(const AuthorizeResult& result, Code code) const {
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, code) << result.error().description;
    EXPECT_TRUE(result.error().Redirectable());
    EXPECT_EQ(result.error().redirect_uri, "https://app-a.example/cb");
    EXPECT_EQ(result.error().state, "xyz");
  }
  void ExpectPage(const AuthorizeResult& result, Code code) const {
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, code) << result.error().description;
    EXPECT_FALSE(result.error().Redirectable());
    EXPECT_FALSE(result.error().state.has_value());
  }

  std::vector<config::Client> clients_ = MakeClients();
  ClientRegistry registry_{clients_};
};

TEST_F(AuthorizationRequestTest, Parse_AcceptsAFullOidcRequest) {
  auto result = ParseWeb("&scope=openid+profile&nonce=n-0S6_WzA2Mj&code_challenge=" +
                         std::string(kChallenge) + "&code_challenge_method=S256&max_age=300");
  ASSERT_TRUE(result.has_value()) << result.error().description;
  EXPECT_EQ(result->client->client_id, "web");
  EXPECT_EQ(result->redirect_uri, "https://app-a.example/cb");
  EXPECT_TRUE(result->redirect_uri_in_request);
  EXPECT_EQ(result->scope, (std::vector<std::string>{"openid", "profile"}));
  EXPECT_TRUE(result->openid);
  EXPECT_EQ(result->state, "xyz");
  EXPECT_EQ(result->nonce, "n-0S6_WzA2Mj");
  EXPECT_EQ(result->code_challenge, kChallenge);
  EXPECT_EQ(result->max_age, std::chrono::seconds(300));
  EXPECT_FALSE(result->prompt_none);
  EXPECT_FALSE(result->force_login);
}

TEST_F(AuthorizationRequestTest, Parse_AbsentScopeGrantsTheRegisteredScope) {
  auto result = ParseWeb("");
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->scope, (std::vector<std::string>{"openid", "profile", "email"}));
  EXPECT_FALSE(result->nonce.has_value());
  EXPECT_FALSE(result->code_challenge.has_value());  // confidential client: PKCE optional
}

TEST_F(AuthorizationRequestTest, Parse_AcceptsTheSameParametersAsAFormBody) {
  FormParams params{{"response_type", "code"},
                    {"client_id", "spa"},
                    {"code_challenge", std::string(kChallenge)},
                    {"code_challenge_method", "S256"}};
  auto result = ParseAuthorizationRequest(params, registry_);
  ASSERT_TRUE(result.has_value()) << result.error().description;
  EXPECT_EQ(result->client->client_id, "spa");
}

// --- errors that must never redirect (RFC 6749 §4.1.2.1) ---

TEST_F(AuthorizationRequestTest, Parse_MissingClientIdIsAPageError) {
  ExpectPage(Parse("redirect_uri=https%3A%2F%2Fapp-a.example%2Fcb&response_type=code&state=s"),
             Code::kInvalidClient);
}

TEST_F(AuthorizationRequestTest, Parse_UnknownClientIsAPageError) {
  ExpectPage(Parse("client_id=nobody&redirect_uri=https%3A%2F%2Fapp-a.example%2Fcb"
                   "&response_type=code&state=s"),
             Code::kInvalidClient);
}

TEST_F(AuthorizationRequestTest, Parse_RepeatedClientIdIsAPageError) {
  ExpectPage(Parse("client_id=web&client_id=spa&response_type=code"), Code::kInvalidClient);
}

TEST_F(AuthorizationRequestTest, Parse_UnregisteredRedirectUriIsAPageError) {
  // Exact string comparison: no prefix, case, trailing-slash or query tolerance.
  for (const char* uri :
       {"https%3A%2F%2Fevil.example%2Fcb", "https%3A%2F%2Fapp-a.example%2Fcb%2F",
        "https%3A%2F%2Fapp-a.example%2Fcb%2Fmore", "https%3A%2F%2FAPP-A.example%2Fcb",
        "https%3A%2F%2Fapp-a.example%2Fcb%3Fx%3D1", "https%3A%2F%2Fapp-a.example%2Fc",
        "http%3A%2F%2Fapp-a.example%2Fcb", "https%3A%2F%2Fapp-b.example%2Fcb"}) {
    SCOPED_TRACE(uri);
    ExpectPage(Parse("client_id=web&response_type=code&state=s&redirect_uri=" + std::string(uri)),
               Code::kInvalidRedirectUri);
  }
}

TEST_F(AuthorizationRequestTest, Parse_MissingRedirectUriWithSeveralRegisteredIsAPageError) {
  ExpectPage(Parse("client_id=web&response_type=code&state=s"), Code::kInvalidRedirectUri);
}

TEST_F(AuthorizationRequestTest, Parse_MissingRedirectUriWithOneRegisteredUsesIt) {
  auto result =
      Parse("client_id=spa&response_type=code&code_challenge_method=S256&code_challenge=" +
            std::string(kChallenge));
  ASSERT_TRUE(result.has_value()) << result.error().description;
  EXPECT_EQ(result->redirect_uri, "https://app-b.example/cb");
  EXPECT_FALSE(result->redirect_uri_in_request);
}

TEST_F(AuthorizationRequestTest, Parse_RepeatedRedirectUriIsAPageError) {
  ExpectPage(Parse("client_id=web&response_type=code&redirect_uri=https%3A%2F%2Fapp-a.example%2Fcb"
                   "&redirect_uri=https%3A%2F%2Fapp-a.example%2Fcb"),
             Code::kInvalidRedirectUri);
}

TEST_F(AuthorizationRequestTest, Parse_UndecodableParametersAreAPageError) {
  ExpectPage(Parse("client_id=web&redirect_uri=https%3A%2F%2Fapp-a.example%2Fcb&state=%zz"),
             Code::kInvalidRequest);
}

// --- errors that go back to the client ---

TEST_F(AuthorizationRequestTest, Parse_MissingResponseTypeIsInvalidRequest) {
  ExpectRedirected(Parse("client_id=web&redirect_uri=https%3A%2F%2Fapp-a.example%2Fcb&state=xyz"),
                   Code::kInvalidRequest);
}

TEST_F(AuthorizationRequestTest, Parse_OtherResponseTypesAreUnsupported) {
  for (const char* type : {"token", "id_token", "code+id_token", "CODE", "code+token"}) {
    SCOPED_TRACE(type);
    ExpectRedirected(Parse("client_id=web&redirect_uri=https%3A%2F%2Fapp-a.example%2Fcb&state=xyz"
                           "&response_type=" +
                           std::string(type)),
                     Code::kUnsupportedResponseType);
  }
}

TEST_F(AuthorizationRequestTest, Parse_ClientWithoutAuthorizationCodeGrantIsUnauthorized) {
  auto result = Parse("client_id=m2m&response_type=code&state=xyz");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, Code::kUnauthorizedClient);
  EXPECT_EQ(result.error().redirect_uri, "https://m2m.example/cb");
  EXPECT_EQ(result.error().state, "xyz");
}

TEST_F(AuthorizationRequestTest, Parse_ScopeBeyondTheClientsIsInvalidScope) {
  ExpectRedirected(ParseWeb("&scope=openid+admin"), Code::kInvalidScope);
  ExpectRedirected(ParseWeb("&scope=openid++profile"), Code::kInvalidScope);
}

TEST_F(AuthorizationRequestTest, Parse_PlainPkceIsRefused) {
  ExpectRedirected(
      ParseWeb("&code_challenge_method=plain&code_challenge=" + std::string(kChallenge)),
      Code::kInvalidRequest);
}

TEST_F(AuthorizationRequestTest, Parse_ChallengeWithoutMethodMeansPlainAndIsRefused) {
  // RFC 7636 §4.3: code_challenge_method defaults to "plain".
  ExpectRedirected(ParseWeb("&code_challenge=" + std::string(kChallenge)), Code::kInvalidRequest);
}

TEST_F(AuthorizationRequestTest, Parse_UnknownOrMiscasedMethodIsInvalidRequest) {
  ExpectRedirected(
      ParseWeb("&code_challenge_method=s256&code_challenge=" + std::string(kChallenge)),
      Code::kInvalidRequest);
}

TEST_F(AuthorizationRequestTest, Parse_MethodWithoutChallengeIsInvalidRequest) {
  ExpectRedirected(ParseWeb("&code_challenge_method=S256"), Code::kInvalidRequest);
}

TEST_F(AuthorizationRequestTest, Parse_MalformedChallengeIsInvalidRequest) {
  for (const std::string& challenge :
       {std::string(42, 'a'), std::string(129, 'a'), std::string(kChallenge.substr(1)) + "%2B",
        std::string(kChallenge.substr(1)) + "%3D"}) {
    SCOPED_TRACE(challenge);
    ExpectRedirected(ParseWeb("&code_challenge_method=S256&code_challenge=" + challenge),
                     Code::kInvalidRequest);
  }
}

TEST_F(AuthorizationRequestTest, Parse_PublicClientWithoutChallengeIsInvalidRequest) {
  auto result = Parse("client_id=spa&response_type=code&state=xyz");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, Code::kInvalidRequest);
  EXPECT_EQ(result.error().redirect_uri, "https://app-b.example/cb");
  EXPECT_EQ(result.error().state, "xyz");
}

TEST_F(AuthorizationRequestTest, Parse_PromptValues) {
  auto none = ParseWeb("&prompt=none");
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->prompt_none);
  EXPECT_FALSE(none->force_login);
  for (const char* prompt : {"login", "consent", "select_account", "login+consent"}) {
    SCOPED_TRACE(prompt);
    auto result = ParseWeb("&prompt=" + std::string(prompt));
    ASSERT_TRUE(result.has_value());
    EXPECT_TRUE(result->force_login);
    EXPECT_FALSE(result->prompt_none);
  }
}

TEST_F(AuthorizationRequestTest, Parse_InvalidPromptIsInvalidRequest) {
  for (const char* prompt :
       {"none+login", "consent+none", "bogus", "login++consent", "+login", "login+", "Login"}) {
    SCOPED_TRACE(prompt);
    ExpectRedirected(ParseWeb("&prompt=" + std::string(prompt)), Code::kInvalidRequest);
  }
}

TEST_F(AuthorizationRequestTest, Parse_MaxAgeZeroForcesALogin) {
  auto result = ParseWeb("&max_age=0");
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->max_age, std::chrono::seconds(0));
  EXPECT_TRUE(result->force_login);
}

TEST_F(AuthorizationRequestTest, Parse_InvalidMaxAgeIsInvalidRequest) {
  for (const char* max_age : {"-1", "%2B5", "1.5", "abc", "12345678901", "1e3", "+1"}) {
    SCOPED_TRACE(max_age);
    ExpectRedirected(ParseWeb("&max_age=" + std::string(max_age)), Code::kInvalidRequest);
  }
}

TEST_F(AuthorizationRequestTest, Parse_InvalidNonceIsInvalidRequest) {
  ExpectRedirected(ParseWeb("&nonce=" + std::string(kMaxNonceLength + 1, 'n')),
                   Code::kInvalidRequest);
  ExpectRedirected(ParseWeb("&nonce=a%0Ab"), Code::kInvalidRequest);
}

TEST_F(AuthorizationRequestTest, Parse_OverlongStateIsRefusedWithoutEchoingIt) {
  auto result = Parse(
      "client_id=web&redirect_uri=https%3A%2F%2Fapp-a.example%2Fcb"
      "&response_type=code&state=" +
      std::string(kMaxStateLength + 1, 's'));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, Code::kInvalidRequest);
  EXPECT_TRUE(result.error().Redirectable());
  EXPECT_FALSE(result.error().state.has_value());
}

TEST_F(AuthorizationRequestTest, Parse_RequestObjectsAreNotSupported) {
  ExpectRedirected(ParseWeb("&request=eyJhbGciOiJub25lIn0.e30."), Code::kRequestNotSupported);
  ExpectRedirected(ParseWeb("&request_uri=urn%3Aexample%3Ar"), Code::kRequestUriNotSupported);
  ExpectRedirected(ParseWeb("&registration=%7B%7D"), Code::kRegistrationNotSupported);
}

TEST_F(AuthorizationRequestTest, Parse_RepeatedParameterIsInvalidRequest) {
  ExpectRedirected(ParseWeb("&scope=openid&scope=profile"), Code::kInvalidRequest);
  ExpectRedirected(ParseWeb("&response_type=code"), Code::kInvalidRequest);
}

TEST_F(AuthorizationRequestTest, Parse_RepeatedStateIsNotEchoed) {
  auto result = ParseWeb("&state=other");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, Code::kInvalidRequest);
  EXPECT_FALSE(result.error().state.has_value());
}

TEST_F(AuthorizationRequestTest, Parse_EmptyValuesCountAsOmitted) {
  // RFC 6749 §3.1: an empty code_challenge is no challenge, an empty state no state.
  auto result = Parse(
      "client_id=web&redirect_uri=https%3A%2F%2Fapp-a.example%2Fcb"
      "&response_type=code&state=&code_challenge=&scope=&foo=bar");
  ASSERT_TRUE(result.has_value()) << result.error().description;
  EXPECT_FALSE(result->state.has_value());
  EXPECT_FALSE(result->code_challenge.has_value());
}

TEST_F(AuthorizationRequestTest, Parse_OnlyQueryResponseModeIsSupported) {
  EXPECT_TRUE(ParseWeb("&response_mode=query").has_value());
  ExpectRedirected(ParseWeb("&response_mode=fragment"), Code::kInvalidRequest);
  ExpectRedirected(ParseWeb("&response_mode=form_post"), Code::kInvalidRequest);
}

// --- the redirect back to the client ---

TEST(AuthorizationRedirect, ErrorUrlCarriesErrorDescriptionStateAndIss) {
  AuthorizeError error{Code::kInvalidScope, "scope not registered", "", "https://app.example/cb",
                       std::string("a b&c=d/é")};
  EXPECT_EQ(ErrorRedirectUrl(error, "https://issuer.example"),
            "https://app.example/cb?error=invalid_scope&error_description=scope+not+registered"
            "&state=a+b%26c%3Dd%2F%C3%A9&iss=https%3A%2F%2Fissuer.example");
}

TEST(AuthorizationRedirect, ErrorUrlOmitsAbsentStateAndDropsForbiddenDescriptionCharacters) {
  AuthorizeError error{Code::kInvalidRequest, "bad \"x\"\\\n", "", "https://app.example/cb",
                       std::nullopt};
  EXPECT_EQ(ErrorRedirectUrl(error, "https://i.example"),
            "https://app.example/cb?error=invalid_request&error_description=bad+x"
            "&iss=https%3A%2F%2Fi.example");
}

TEST(AuthorizationRedirect, KeepsTheRegisteredQuery) {
  AuthorizationRequest request;
  request.redirect_uri = "https://app.example/cb?tenant=1";
  request.state = "s";
  EXPECT_EQ(CodeRedirectUrl(request, "c0de", "https://i.example"),
            "https://app.example/cb?tenant=1&code=c0de&state=s&iss=https%3A%2F%2Fi.example");
}

TEST(AuthorizationRedirect, AppendQueryParametersHandlesEmptyQueryTrailingAmpersandAndFragment) {
  const std::pair<std::string_view, std::string_view> params[] = {{"code", "x y"}};
  EXPECT_EQ(AppendQueryParameters("https://a.example/cb?", params),
            "https://a.example/cb?code=x+y");
  EXPECT_EQ(AppendQueryParameters("https://a.example/cb?a=1&", params),
            "https://a.example/cb?a=1&code=x+y");
  EXPECT_EQ(AppendQueryParameters("https://a.example/cb#frag", params),
            "https://a.example/cb?code=x+y");
  EXPECT_EQ(AppendQueryParameters("com.example.app:/cb", params), "com.example.app:/cb?code=x+y");
}

TEST_F(AuthorizationRequestTest, RedirectError_GoesBackWithTheRequestsState) {
  auto request = ParseWeb("&prompt=none");
  ASSERT_TRUE(request.has_value());
  const AuthorizeError error = RedirectError(*request, Code::kLoginRequired, "no session");
  EXPECT_TRUE(error.Redirectable());
  EXPECT_EQ(ErrorRedirectUrl(error, "https://i.example"),
            "https://app-a.example/cb?error=login_required&error_description=no+session"
            "&state=xyz&iss=https%3A%2F%2Fi.example");
}

TEST(AuthorizeErrorName, UsesTheRegisteredNames) {
  EXPECT_EQ(AuthorizeErrorName(Code::kUnsupportedResponseType), "unsupported_response_type");
  EXPECT_EQ(AuthorizeErrorName(Code::kAccessDenied), "access_denied");
  EXPECT_EQ(AuthorizeErrorName(Code::kLoginRequired), "login_required");
  EXPECT_EQ(AuthorizeErrorName(Code::kInteractionRequired), "interaction_required");
  EXPECT_EQ(AuthorizeErrorName(Code::kRequestUriNotSupported), "request_uri_not_supported");
  EXPECT_EQ(AuthorizeErrorName(Code::kInvalidRedirectUri), "invalid_redirect_uri");
}

}  // namespace
}  // namespace signet::oauth

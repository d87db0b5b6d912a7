#include "server/router.hpp"

#include <memory>
#include <stdexcept>

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>

#include "server/cors.hpp"
#include "tests/unit/oauth/run_awaitable.hpp"

namespace signet::server {
namespace {

Request MakeRequest(http::verb method, std::string target) {
  Request request{method, target, 11};
  return request;
}

Response Ok(const Request& request, RequestContext&) {
  return JsonResponse(request, http::status::ok, R"({"ok":true})");
}

Router MakeRouter() {
  Router router;
  router.Add(http::verb::get, "/a", Ok);
  router.Add(http::verb::post, "/b", Ok);
  return router;
}

TEST(RouterTest, Handle_UnknownPathIs404Json) {
  RequestContext context;
  const Response response =
      testing::RunAwaitable(MakeRouter().Handle(MakeRequest(http::verb::get, "/nope"), context));
  EXPECT_EQ(response.result(), http::status::not_found);
  EXPECT_EQ(response[http::field::content_type], "application/json");
  EXPECT_NE(response.body().find(R"("error":"not_found")"), std::string::npos);
}

TEST(RouterTest, Handle_WrongMethodIs405WithAllow) {
  RequestContext context;
  const Response response =
      testing::RunAwaitable(MakeRouter().Handle(MakeRequest(http::verb::get, "/b"), context));
  EXPECT_EQ(response.result(), http::status::method_not_allowed);
  EXPECT_EQ(response[http::field::allow], "POST");
}

TEST(RouterTest, Handle_AllowListsHeadForGetRoutes) {
  RequestContext context;
  const Response response =
      testing::RunAwaitable(MakeRouter().Handle(MakeRequest(http::verb::post, "/a"), context));
  EXPECT_EQ(response.result(), http::status::method_not_allowed);
  EXPECT_EQ(response[http::field::allow], "GET, HEAD");
}

TEST(RouterTest, Handle_IgnoresQueryString) {
  RequestContext context;
  const Response response = testing::RunAwaitable(
      MakeRouter().Handle(MakeRequest(http::verb::get, "/a?x=1&y=2"), context));
  EXPECT_EQ(response.result(), http::status::ok);
}

TEST(RouterTest, Handle_HeadRunsGetWithoutBodyKeepingLength) {
  RequestContext context;
  const Response response =
      testing::RunAwaitable(MakeRouter().Handle(MakeRequest(http::verb::head, "/a"), context));
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_TRUE(response.body().empty());
  EXPECT_EQ(response[http::field::content_length], "11");
}

TEST(RouterTest, Add_SameMethodAndPathReplacesHandler) {
  Router router = MakeRouter();
  router.Add(http::verb::get, "/a", [](const Request& request, RequestContext&) {
    return JsonResponse(request, http::status::accepted, "{}");
  });
  RequestContext context;
  EXPECT_EQ(
      testing::RunAwaitable(router.Handle(MakeRequest(http::verb::get, "/a"), context)).result(),
      http::status::accepted);
}

// An asynchronous handler that suspends once (on a post to the executor) before answering,
// as a handler waiting for a worker pool or a store would.
boost::asio::awaitable<Response> SuspendsThenAnswers(const Request& request,
                                                     RequestContext& context) {
  const boost::asio::any_io_executor executor = co_await boost::asio::this_coro::executor;
  co_await boost::asio::post(executor, boost::asio::use_awaitable);
  context.client_id = "async-client";
  co_return JsonResponse(request, http::status::created, R"({"async":true})");
}

TEST(RouterTest, AddAsync_HandlerIsAwaitedAndSetsContext) {
  Router router = MakeRouter();
  router.AddAsync(http::verb::post, "/async", SuspendsThenAnswers);
  RequestContext context;
  const Response response =
      testing::RunAwaitable(router.Handle(MakeRequest(http::verb::post, "/async"), context));
  EXPECT_EQ(response.result(), http::status::created);
  EXPECT_EQ(response.body(), R"({"async":true})");
  EXPECT_EQ(context.client_id, "async-client");
}

TEST(RouterTest, AddAsync_HeadOnAsyncGetDropsBodyKeepingLength) {
  Router router;
  router.AddAsync(http::verb::get, "/async", SuspendsThenAnswers);
  RequestContext context;
  const Response response =
      testing::RunAwaitable(router.Handle(MakeRequest(http::verb::head, "/async"), context));
  EXPECT_EQ(response.result(), http::status::created);
  EXPECT_TRUE(response.body().empty());
  EXPECT_EQ(response[http::field::content_length], "14");
}

TEST(RouterTest, AddAsync_ReplacesSyncHandlerOnSameRoute) {
  Router router = MakeRouter();
  router.AddAsync(http::verb::get, "/a", SuspendsThenAnswers);
  RequestContext context;
  const Response response =
      testing::RunAwaitable(router.Handle(MakeRequest(http::verb::get, "/a"), context));
  EXPECT_EQ(response.result(), http::status::created);
  EXPECT_EQ(router.AllowedMethods("/a"), "GET, HEAD");
}

TEST(TargetPathTest, StripsQueryAndFragment) {
  EXPECT_EQ(TargetPath("/oauth2/token?code=secret"), "/oauth2/token");
  EXPECT_EQ(TargetPath("/x#frag"), "/x");
  EXPECT_EQ(TargetPath("/plain"), "/plain");
}

TEST(TargetQueryTest, TheQueryWithoutPathOrFragment) {
  EXPECT_EQ(TargetQuery("/oauth2/authorize?client_id=a&state=b"), "client_id=a&state=b");
  EXPECT_EQ(TargetQuery("/x?q=1#frag"), "q=1");
  EXPECT_EQ(TargetQuery("/x?"), "");
  EXPECT_EQ(TargetQuery("/plain"), "");
}

// --- CORS (server/cors.hpp) applied by the router ---

constexpr std::string_view kSpa = "http://127.0.0.1:4001";

// /token (POST), /jwks (GET) and /userinfo (GET, POST) with CORS; /authorize (GET) without.
Router MakeCorsRouter() {
  Router router;
  router.Add(http::verb::post, "/token", Ok);
  router.Add(http::verb::get, "/jwks", Ok);
  router.Add(http::verb::get, "/userinfo", Ok);
  router.AddAsync(http::verb::post, "/userinfo", SuspendsThenAnswers);
  router.Add(http::verb::get, "/authorize", Ok);
  const auto policy = std::make_shared<const CorsPolicy>(
      CorsPolicy::FromUris({std::string(kSpa) + "/cb", "http://localhost:4002/cb"}));
  for (const char* path : {"/token", "/jwks", "/userinfo"}) router.EnableCors(path, policy);
  return router;
}

Request CorsRequest(http::verb method, std::string target, std::string_view origin) {
  Request request = MakeRequest(method, std::move(target));
  request.set(http::field::origin, origin);
  return request;
}

Request Preflight(std::string target, std::string_view origin, std::string_view method) {
  Request request = CorsRequest(http::verb::options, std::move(target), origin);
  request.set(http::field::access_control_request_method, method);
  return request;
}

Response Route(const Router& router, const Request& request, std::size_t* endpoint = nullptr) {
  RequestContext context;
  std::size_t id = 0;
  Response response = testing::RunAwaitable(router.Handle(request, context, id));
  if (endpoint != nullptr) *endpoint = id;
  return response;
}

TEST(RouterCorsTest, ActualRequestFromAllowedOriginGetsCorsHeaders) {
  const Response response = Route(MakeCorsRouter(), CorsRequest(http::verb::post, "/token", kSpa));
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_EQ(response[http::field::access_control_allow_origin], kSpa);
  EXPECT_EQ(response[http::field::access_control_expose_headers],
            "WWW-Authenticate, Retry-After, DPoP-Nonce");
  EXPECT_EQ(response[http::field::vary], "Origin");
}

TEST(RouterCorsTest, AsyncHandlerResponseGetsCorsHeaders) {
  const Response response =
      Route(MakeCorsRouter(), CorsRequest(http::verb::post, "/userinfo?x=1", kSpa));
  EXPECT_EQ(response.result(), http::status::created);
  EXPECT_EQ(response[http::field::access_control_allow_origin], kSpa);
}

TEST(RouterCorsTest, OtherOriginGetsOnlyVary) {
  const Response response =
      Route(MakeCorsRouter(), CorsRequest(http::verb::post, "/token", "https://evil.example"));
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_EQ(response.count(http::field::access_control_allow_origin), 0U);
  EXPECT_EQ(response.count(http::field::access_control_expose_headers), 0U);
  EXPECT_EQ(response[http::field::vary], "Origin");
}

TEST(RouterCorsTest, NonCorsPathGetsNothing) {
  const Response response =
      Route(MakeCorsRouter(), CorsRequest(http::verb::get, "/authorize", kSpa));
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_EQ(response.count(http::field::access_control_allow_origin), 0U);
  EXPECT_EQ(response.count(http::field::vary), 0U);
}

TEST(RouterCorsTest, HeadOnCorsPathDropsBodyAndKeepsCorsHeaders) {
  const Response response = Route(MakeCorsRouter(), CorsRequest(http::verb::head, "/jwks", kSpa));
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_TRUE(response.body().empty());
  EXPECT_EQ(response[http::field::content_length], "11");
  EXPECT_EQ(response[http::field::access_control_allow_origin], kSpa);
}

// The SPA must be able to read why its request failed.
TEST(RouterCorsTest, WrongMethodErrorIsReadableByAllowedOrigin) {
  const Response response = Route(MakeCorsRouter(), CorsRequest(http::verb::put, "/token", kSpa));
  EXPECT_EQ(response.result(), http::status::method_not_allowed);
  EXPECT_EQ(response[http::field::allow], "POST");
  EXPECT_EQ(response[http::field::access_control_allow_origin], kSpa);
}

TEST(RouterCorsTest, PreflightIs204ListingThePathsMethods) {
  const Router router = MakeCorsRouter();
  const Response token = Route(router, Preflight("/token", kSpa, "POST"));
  EXPECT_EQ(token.result(), http::status::no_content);
  EXPECT_EQ(token[http::field::access_control_allow_origin], kSpa);
  EXPECT_EQ(token[http::field::access_control_allow_methods], "POST");
  EXPECT_EQ(token[http::field::access_control_allow_headers], "Authorization, Content-Type, DPoP");
  EXPECT_EQ(token[http::field::access_control_max_age], "600");
  EXPECT_EQ(token[http::field::vary], "Origin");
  EXPECT_EQ(token.count(http::field::allow), 0U);

  const Response jwks = Route(router, Preflight("/jwks", "http://localhost:4002", "GET"));
  EXPECT_EQ(jwks.result(), http::status::no_content);
  EXPECT_EQ(jwks[http::field::access_control_allow_origin], "http://localhost:4002");
  EXPECT_EQ(jwks[http::field::access_control_allow_methods], "GET, HEAD");

  const Response userinfo = Route(router, Preflight("/userinfo", kSpa, "GET"));
  EXPECT_EQ(userinfo[http::field::access_control_allow_methods], "GET, POST, HEAD");
}

TEST(RouterCorsTest, PreflightCountsForThePathsEndpoint) {
  const Router router = MakeCorsRouter();
  std::size_t preflight_endpoint = 0;
  std::size_t post_endpoint = 0;
  (void)Route(router, Preflight("/token", kSpa, "POST"), &preflight_endpoint);
  (void)Route(router, CorsRequest(http::verb::post, "/token", kSpa), &post_endpoint);
  EXPECT_NE(preflight_endpoint, 0U);
  EXPECT_EQ(preflight_endpoint, post_endpoint);
  EXPECT_EQ(router.EndpointNames()[preflight_endpoint], "/token");
}

// Fetch: a preflight that does not come back 2xx with Allow-Origin fails; 405 with Allow is
// also what RFC 9110 §15.5.6 gives any other unsupported method, so the answer reveals nothing.
TEST(RouterCorsTest, PreflightFromOtherOriginIs405WithoutCorsHeaders) {
  const Response response =
      Route(MakeCorsRouter(), Preflight("/token", "https://evil.example", "POST"));
  EXPECT_EQ(response.result(), http::status::method_not_allowed);
  EXPECT_EQ(response[http::field::allow], "POST");
  EXPECT_EQ(response.count(http::field::access_control_allow_origin), 0U);
  EXPECT_EQ(response.count(http::field::access_control_allow_methods), 0U);
  EXPECT_EQ(response[http::field::vary], "Origin");
}

TEST(RouterCorsTest, PreflightFromNullOriginIsRefused) {
  const Response response = Route(MakeCorsRouter(), Preflight("/token", "null", "POST"));
  EXPECT_EQ(response.result(), http::status::method_not_allowed);
  EXPECT_EQ(response.count(http::field::access_control_allow_origin), 0U);
}

TEST(RouterCorsTest, PreflightOnNonCorsPathIs405WithoutCorsHeaders) {
  const Response response = Route(MakeCorsRouter(), Preflight("/authorize", kSpa, "GET"));
  EXPECT_EQ(response.result(), http::status::method_not_allowed);
  EXPECT_EQ(response[http::field::allow], "GET, HEAD");
  EXPECT_EQ(response.count(http::field::access_control_allow_origin), 0U);
  EXPECT_EQ(response.count(http::field::vary), 0U);
}

TEST(RouterCorsTest, OptionsWithoutRequestMethodIsNotAPreflight) {
  const Response response =
      Route(MakeCorsRouter(), CorsRequest(http::verb::options, "/token", kSpa));
  EXPECT_EQ(response.result(), http::status::method_not_allowed);
  EXPECT_EQ(response.count(http::field::access_control_allow_methods), 0U);
  // Still an actual response from an allowed origin: the SPA may read the 405.
  EXPECT_EQ(response[http::field::access_control_allow_origin], kSpa);
}

TEST(RouterCorsTest, EnableCors_UnknownPathThrows) {
  Router router = MakeRouter();
  const auto policy = std::make_shared<const CorsPolicy>(CorsPolicy::FromUris({}));
  EXPECT_THROW(router.EnableCors("/missing", policy), std::invalid_argument);
  EXPECT_THROW(router.EnableCors("/a", nullptr), std::invalid_argument);
}

}  // namespace
}  // namespace signet::server

#include "server/router.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace signet::server

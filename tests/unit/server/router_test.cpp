#include "server/router.hpp"

#include <gtest/gtest.h>

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
  const Response response = MakeRouter().Handle(MakeRequest(http::verb::get, "/nope"), context);
  EXPECT_EQ(response.result(), http::status::not_found);
  EXPECT_EQ(response[http::field::content_type], "application/json");
  EXPECT_NE(response.body().find(R"("error":"not_found")"), std::string::npos);
}

TEST(RouterTest, Handle_WrongMethodIs405WithAllow) {
  RequestContext context;
  const Response response = MakeRouter().Handle(MakeRequest(http::verb::get, "/b"), context);
  EXPECT_EQ(response.result(), http::status::method_not_allowed);
  EXPECT_EQ(response[http::field::allow], "POST");
}

TEST(RouterTest, Handle_AllowListsHeadForGetRoutes) {
  RequestContext context;
  const Response response = MakeRouter().Handle(MakeRequest(http::verb::post, "/a"), context);
  EXPECT_EQ(response.result(), http::status::method_not_allowed);
  EXPECT_EQ(response[http::field::allow], "GET, HEAD");
}

TEST(RouterTest, Handle_IgnoresQueryString) {
  RequestContext context;
  const Response response =
      MakeRouter().Handle(MakeRequest(http::verb::get, "/a?x=1&y=2"), context);
  EXPECT_EQ(response.result(), http::status::ok);
}

TEST(RouterTest, Handle_HeadRunsGetWithoutBodyKeepingLength) {
  RequestContext context;
  const Response response = MakeRouter().Handle(MakeRequest(http::verb::head, "/a"), context);
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
  EXPECT_EQ(router.Handle(MakeRequest(http::verb::get, "/a"), context).result(),
            http::status::accepted);
}

TEST(TargetPathTest, StripsQueryAndFragment) {
  EXPECT_EQ(TargetPath("/oauth2/token?code=secret"), "/oauth2/token");
  EXPECT_EQ(TargetPath("/x#frag"), "/x");
  EXPECT_EQ(TargetPath("/plain"), "/plain");
}

}  // namespace
}  // namespace signet::server

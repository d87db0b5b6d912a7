#include "server/http_fetch.hpp"

#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "server/server.hpp"

namespace signet::server {
namespace {

TEST(HttpFetchTest, RejectsRelativeUrl) {
  EXPECT_EQ(HttpGet("/just/a/path").error(), make_error_code(FetchErrc::kBadUrl));
}

TEST(HttpFetchTest, RejectsOtherSchemes) {
  EXPECT_EQ(HttpGet("file:///etc/passwd").error(), make_error_code(FetchErrc::kBadUrl));
  EXPECT_EQ(HttpGet("ftp://example.com/jwks").error(),
            make_error_code(FetchErrc::kUnsupportedScheme));
}

class HttpFetchServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Router router;
    router.Add(http::verb::get, "/small", [](const Request& request, RequestContext&) {
      return JsonResponse(request, http::status::ok, R"({"keys":[]})");
    });
    router.Add(http::verb::get, "/big", [](const Request& request, RequestContext&) {
      return JsonResponse(request, http::status::ok, std::string(2048, 'x'));
    });
    HttpServerOptions options;
    options.listen = "127.0.0.1:0";
    options.threads = 1;
    options.handle_signals = false;
    auto server = HttpServer::Create(options, std::move(router));
    ASSERT_TRUE(server.has_value());
    server_ = std::move(*server);
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
    runner_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    server_->Stop();
    runner_.join();
  }

  std::unique_ptr<HttpServer> server_;
  std::string base_;
  std::thread runner_;
};

TEST_F(HttpFetchServerTest, Get200_ReturnsBody) {
  auto body = HttpGet(base_ + "/small");
  ASSERT_TRUE(body.has_value()) << body.error().message();
  EXPECT_EQ(*body, R"({"keys":[]})");
}

TEST_F(HttpFetchServerTest, Non200_IsUnexpectedStatus) {
  EXPECT_EQ(HttpGet(base_ + "/missing").error(), make_error_code(FetchErrc::kUnexpectedStatus));
}

TEST_F(HttpFetchServerTest, BodyOverLimit_IsBodyTooLarge) {
  FetchOptions options;
  options.body_limit = 1024;
  EXPECT_EQ(HttpGet(base_ + "/big", options).error(), make_error_code(FetchErrc::kBodyTooLarge));
}

}  // namespace
}  // namespace signet::server

#include "server/authorize_response.hpp"

#include <string>

#include <gtest/gtest.h>

namespace signet::server {
namespace {

std::string Header(const Response& response, std::string_view name) {
  const auto it = response.find(name);
  return it == response.end() ? std::string() : std::string(it->value());
}

TEST(AuthorizeResponse, RedirectableErrorIsA302ToTheClientForGet) {
  const Request request{http::verb::get, "/oauth2/authorize?x", 11};
  const oauth::AuthorizeError error{oauth::AuthorizeErrorCode::kLoginRequired, "", "",
                                    "https://app.example/cb", std::string("s 1")};
  const Response response = AuthorizeErrorResponse(request, error, "https://i.example");
  EXPECT_EQ(response.result(), http::status::found);
  EXPECT_EQ(Header(response, "Location"),
            "https://app.example/cb?error=login_required&state=s+1&iss=https%3A%2F%2Fi.example");
  EXPECT_EQ(Header(response, "Cache-Control"), "no-store");
  EXPECT_EQ(Header(response, "Referrer-Policy"), "no-referrer");
  EXPECT_TRUE(response.body().empty());
}

TEST(AuthorizeResponse, RedirectAfterAPostIsA303) {
  const Request request{http::verb::post, "/oauth2/authorize", 11};
  const Response response = RedirectResponse(request, "https://app.example/cb?code=c");
  EXPECT_EQ(response.result(), http::status::see_other);
  EXPECT_EQ(Header(response, "Location"), "https://app.example/cb?code=c");
}

TEST(AuthorizeResponse, PageErrorIsA400PageWithoutLocation) {
  const Request request{http::verb::get, "/oauth2/authorize", 11};
  const oauth::AuthorizeError error{oauth::AuthorizeErrorCode::kInvalidRedirectUri,
                                    "redirect_uri not registered for this client", "", "",
                                    std::nullopt};
  const Response response = AuthorizeErrorResponse(request, error, "https://i.example");
  EXPECT_EQ(response.result(), http::status::bad_request);
  EXPECT_EQ(Header(response, "Location"), "");
  EXPECT_NE(response.body().find("invalid_redirect_uri: redirect_uri not registered"),
            std::string::npos);
  EXPECT_EQ(Header(response, "X-Frame-Options"), "DENY");
  EXPECT_NE(Header(response, "Content-Security-Policy").find("default-src 'none'"),
            std::string::npos);
}

}  // namespace
}  // namespace signet::server

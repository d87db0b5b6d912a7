#pragma once
// The SsoFixture with checks of AuthorizeService outcomes, shared by authorize_service_test.cpp
// (authorization requests) and authorize_login_test.cpp (the login form's POST).
//
// Usage:
//   class MyTest : public signet::testing::AuthorizeFixture {};
//   std::string code = CodeOf(Authorize(AuthQuery(), WithSession(SignIn())));

#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

#include "oauth/authorize_service.hpp"
#include "tests/unit/oauth/sso_fixture.hpp"

namespace signet::testing {

class AuthorizeFixture : public SsoFixture {
 protected:
  // The code of a redirect Location, checked to go to `redirect` with our state and issuer.
  static std::string CodeOf(const oauth::AuthorizeOutcome& outcome,
                            std::string_view redirect = kWebRedirect) {
    EXPECT_TRUE(outcome.location) << outcome.event << ": " << outcome.debug;
    if (!outcome.location) return {};
    EXPECT_FALSE(outcome.login);
    EXPECT_FALSE(outcome.error);
    EXPECT_EQ(WithoutQuery(*outcome.location), redirect);
    const oauth::FormParams query = QueryOf(*outcome.location);
    EXPECT_EQ(Param(query, "iss"), kSsoIssuer);
    EXPECT_EQ(Param(query, "error"), "<absent>");
    return Param(query, "code");
  }

  static void ExpectLoginForm(const oauth::AuthorizeOutcome& outcome) {
    EXPECT_TRUE(outcome.login) << outcome.event << ": " << outcome.debug;
    EXPECT_FALSE(outcome.location) << *outcome.location;
    EXPECT_FALSE(outcome.error);
    EXPECT_FALSE(outcome.new_session);
  }

  // The page error of an outcome (and that nothing else was set).
  static oauth::AuthorizeError PageErrorOf(const oauth::AuthorizeOutcome& outcome) {
    EXPECT_TRUE(outcome.error) << outcome.event;
    EXPECT_FALSE(outcome.location) << *outcome.location;
    EXPECT_FALSE(outcome.login);
    EXPECT_FALSE(outcome.new_session);
    if (!outcome.error) return {};
    EXPECT_FALSE(outcome.error->Redirectable());
    return *outcome.error;
  }

  // The login page for AuthQuery() and the binding cookie it set.
  std::pair<oauth::LoginFormState, std::string> OpenForm(std::string_view query = AuthQuery()) {
    const oauth::AuthorizeOutcome page = Authorize(query);
    EXPECT_TRUE(page.login && page.new_binding);
    if (!page.login || !page.new_binding) return {};
    return {*page.login, *page.new_binding};
  }

  oauth::AuthorizeOutcome WrongPassword(std::string_view username = "alice") {
    const auto [form, binding] = OpenForm();
    return PostLogin(LoginForm(form, username, "guess"), WithBinding(binding));
  }
};

}  // namespace signet::testing

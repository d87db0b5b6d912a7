#pragma once
// Checks a username and password against the configured users (issue 5: password grant;
// issue 6 reuses it for the login page), with a guessing limit.
//
//   1. The failure counters of "user:<username>" and "ip:<client address>" are looked at
//      (store::FailureRateLimiter, shared by every replica through Redis): past
//      login.max_failures_per_username / max_failures_per_ip within login.failure_window ->
//      429 temporarily_unavailable with Retry-After, and no password is hashed (a guesser
//      costs us nothing once blocked). Counting per username stops a slow attack on one
//      account from many addresses; counting per address stops one address from trying one
//      password on many accounts.
//   2. One argon2id verification, whatever happens: an unknown username is verified against
//      a dummy encoding made at start-up (random salt and hash, nothing hashed), a development `password` (clear text in the config) is
//      compared in constant time after the same dummy verification, so unknown user, wrong
//      password and right password all cost one argon2id run (no timing oracle for which
//      usernames exist).
//   3. A failure counts against both keys and answers invalid_grant "invalid username or
//      password" (the same text for an unknown user and a wrong password).
// The limiter unreachable -> temporarily_unavailable (503): without the counters the limit
// cannot be enforced, so the check fails closed.
//
// Usage:
//   auto login = oauth::PasswordLogin::Create(config, {.verify_hash = pool.Verifier(),
//                                                      .failures = &limiter});
//   auto user = co_await (*login)->Authenticate(username, password, client_ip);

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "config/config.hpp"
#include "oauth/client_authenticator.hpp"
#include "oauth/clock.hpp"
#include "oauth/error.hpp"
#include "store/failure_rate_limiter.hpp"

namespace signet::oauth {

struct PasswordLoginDeps {
  AsyncSecretHashVerifier verify_hash;           // argon2id, off the I/O threads
  store::FailureRateLimiter* failures = nullptr;  // must outlive the PasswordLogin
  Clock clock = SystemClock();
};

class PasswordLogin {
 public:
  // `config` must outlive the result. server_error when a dependency is missing or the dummy
  // hash cannot be made (CSPRNG / allocation failure).
  [[nodiscard]] static Expected<std::unique_ptr<PasswordLogin>> Create(const config::Config& config,
                                                                       PasswordLoginDeps deps);

  // The user, or invalid_grant / 429 / 503 as above. Thread-safe; the views must stay valid
  // until the awaitable completes.
  [[nodiscard]] boost::asio::awaitable<Expected<const config::User*>> Authenticate(
      std::string_view username, std::string_view password, std::string_view client_ip) const;

 private:
  PasswordLogin(const config::Config& config, PasswordLoginDeps deps);

  boost::asio::awaitable<Expected<bool>> PasswordMatches(const config::User* user,
                                                         std::string_view password) const;
  boost::asio::awaitable<void> CountFailure(std::string user_key, std::string ip_key) const;

  const config::Config& config_;
  PasswordLoginDeps deps_;
  store::FailureLimit per_username_;
  store::FailureLimit per_ip_;
  std::string dummy_hash_;  // DummyPasswordEncoding()
};

// An argon2id encoding with signet's parameters (keys/password_hash.hpp), a random salt and a
// random hash: verifying any password against it costs one full argon2id run and never
// matches. nullopt if the CSPRNG fails.
[[nodiscard]] std::optional<std::string> DummyPasswordEncoding();

}  // namespace signet::oauth

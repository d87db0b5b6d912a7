#pragma once
// Starts refresh token families (issue 5): the password grant (and the authorization code
// grant, issue 6) call StartFamily() when the client is registered for refresh_token. The
// token goes to the client; the store keeps its SHA-256 with what it grants
// (store::RefreshGrant) until tokens.refresh_token_ttl has passed.
//
// Usage:
//   oauth::RefreshTokenMinter minter(store, config.tokens.refresh_token_ttl, clock);
//   if (minter.IssuesFor(client)) response.refresh_token = (*co_await minter.StartFamily(...)).token;

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "config/config.hpp"
#include "oauth/clock.hpp"
#include "oauth/error.hpp"
#include "store/refresh_token_store.hpp"

namespace signet::oauth {

struct RefreshFamilyStart {
  const config::Client* client = nullptr;
  std::string_view subject;
  std::span<const std::string> scope;
  std::span<const std::string> audience;
  // When the user authenticated; `signet revoke --sub` cut-offs compare with it. Default:
  // now (the password grant authenticates in the same request).
  std::optional<std::chrono::system_clock::time_point> auth_time;
  // The login session's public id when the family begins at the authorization endpoint, so
  // that the ID tokens of later refreshes carry the same `sid`; empty for the password grant.
  std::string_view sid{};
};

struct StartedFamily {
  std::string token;      // for the client
  std::string family_id;  // for revoking the family later (e.g. a reused authorization code)
};

class RefreshTokenMinter {
 public:
  // `store` must outlive the minter.
  RefreshTokenMinter(store::RefreshTokenStore& store, std::chrono::seconds ttl, Clock clock)
      : store_(store), ttl_(ttl), clock_(std::move(clock)) {}

  // Whether the client is registered for the refresh_token grant.
  static bool IssuesFor(const config::Client& client) noexcept;

  // A new family's first token; temporarily_unavailable when the store cannot be written,
  // server_error when the CSPRNG fails.
  [[nodiscard]] boost::asio::awaitable<Expected<StartedFamily>> StartFamily(
      RefreshFamilyStart start) const;

  std::chrono::seconds ttl() const noexcept { return ttl_; }
  store::RefreshTokenStore& store() const noexcept { return store_; }

 private:
  store::RefreshTokenStore& store_;
  std::chrono::seconds ttl_;
  Clock clock_;
};

// "a b c" -> {"a","b","c"} (stored scope and audience lists).
std::vector<std::string> SplitSpaces(std::string_view text);
std::string JoinSpaces(std::span<const std::string> items);

}  // namespace signet::oauth

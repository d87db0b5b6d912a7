#include "oauth/refresh_token_minter.hpp"

#include <algorithm>

#include "oauth/client_registry.hpp"
#include "oauth/refresh_token_format.hpp"

namespace signet::oauth {

bool RefreshTokenMinter::IssuesFor(const config::Client& client) noexcept {
  return HasGrantType(client, config::GrantType::kRefreshToken);
}

boost::asio::awaitable<Expected<StartedFamily>> RefreshTokenMinter::StartFamily(
    RefreshFamilyStart start) const {
  auto family = NewRefreshFamilyId();
  auto token = NewOpaqueSecret();
  if (!family || !token) {
    co_return MakeError(ErrorCode::kServerError, "", "RAND_bytes failed for a refresh token");
  }
  const auto now = std::chrono::floor<std::chrono::seconds>(clock_());
  StartedFamily started{.token = std::move(token->token), .family_id = *family};
  store::RefreshGrant grant{.family_id = std::move(*family),
                            .client_id = start.client->client_id,
                            .subject = std::string(start.subject),
                            .scope = JoinSpaces(start.scope),
                            .audience = JoinSpaces(start.audience),
                            .auth_time = start.auth_time
                                             ? std::chrono::floor<std::chrono::seconds>(*start.auth_time)
                                             : now,
                            .expires = now + ttl_,
                            .sid = std::string(start.sid)};
  auto stored = co_await store_.Issue(token->hash, std::move(grant));
  if (!stored) {
    co_return MakeError(ErrorCode::kTemporarilyUnavailable, "refresh tokens temporarily unavailable",
                        "refresh token store: " + stored.error().message());
  }
  co_return started;
}

std::vector<std::string> SplitSpaces(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    const auto space = text.find(' ');
    const auto item = text.substr(0, space);
    if (!item.empty()) items.emplace_back(item);
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return items;
}

std::string JoinSpaces(std::span<const std::string> items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out.push_back(' ');
    out += item;
  }
  return out;
}

}  // namespace signet::oauth

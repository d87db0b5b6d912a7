#include "store/memory_refresh_token_store.hpp"

#include <algorithm>
#include <utility>

namespace signet::store {

namespace net = boost::asio;

net::awaitable<Result<void>> MemoryRefreshTokenStore::Issue(std::string token_hash,
                                                            RefreshGrant grant) {
  std::lock_guard lock(mutex_);
  PruneIfGrown();
  const std::string family_id = grant.family_id;
  tokens_[token_hash] = Token{family_id, false, ToUnixSeconds(grant.expires)};
  auto& family = families_[family_id];
  const WallTime family_end =
      family.members.empty() ? grant.expires : std::max(family.grant.expires, grant.expires);
  family.grant = std::move(grant);
  family.grant.expires = family_end;
  family.members.insert(std::move(token_hash));
  co_return Result<void>();
}

net::awaitable<Result<RotateResult>> MemoryRefreshTokenStore::Rotate(std::string old_hash,
                                                                     std::string new_hash,
                                                                     WallTime new_expires,
                                                                     WallTime now) {
  const std::int64_t now_s = ToUnixSeconds(now);
  std::lock_guard lock(mutex_);
  Observe(now);
  auto token = tokens_.find(old_hash);
  if (token == tokens_.end()) co_return RotateResult{};
  const std::string family_id = token->second.family_id;
  auto family = families_.find(family_id);
  if (family == families_.end() || !FamilyAlive(family->second, now_s)) {
    EraseFamily(family_id);
    tokens_.erase(old_hash);
    co_return RotateResult{};
  }
  // RFC 9700 §4.14.2: a used token presented again means one of its two holders is an
  // attacker; the server cannot tell which, so the whole family goes.
  if (token->second.used) {
    RotateResult reused{RotateStatus::kReused, std::move(family->second.grant)};
    EraseFamily(family_id);
    co_return reused;
  }
  if (token->second.expires <= now_s) co_return RotateResult{};

  token->second.used = true;  // kept while the family lives, to recognise a replay
  Family& members = family->second;
  members.grant.expires = std::max(members.grant.expires, new_expires);
  tokens_[new_hash] = Token{family_id, false, ToUnixSeconds(new_expires)};
  members.members.insert(std::move(new_hash));
  RotateResult result{RotateStatus::kRotated, members.grant};
  result.grant.expires = new_expires;
  co_return result;
}

net::awaitable<Result<std::optional<RefreshGrant>>> MemoryRefreshTokenStore::Find(
    std::string token_hash, WallTime now) {
  const std::int64_t now_s = ToUnixSeconds(now);
  std::lock_guard lock(mutex_);
  Observe(now);
  auto token = tokens_.find(token_hash);
  if (token == tokens_.end() || token->second.used || token->second.expires <= now_s) {
    co_return std::optional<RefreshGrant>();
  }
  auto family = families_.find(token->second.family_id);
  if (family == families_.end() || !FamilyAlive(family->second, now_s)) {
    const std::string family_id = token->second.family_id;  // EraseFamily may erase `token`
    EraseFamily(family_id);
    tokens_.erase(token_hash);
    co_return std::optional<RefreshGrant>();
  }
  RefreshGrant grant = family->second.grant;
  grant.expires = FromUnixSeconds(token->second.expires);
  co_return std::optional<RefreshGrant>(std::move(grant));
}

net::awaitable<Result<void>> MemoryRefreshTokenStore::RevokeFamily(std::string family_id) {
  std::lock_guard lock(mutex_);
  EraseFamily(family_id);
  co_return Result<void>();
}

std::size_t MemoryRefreshTokenStore::token_count() const {
  std::lock_guard lock(mutex_);
  return tokens_.size();
}

void MemoryRefreshTokenStore::Observe(WallTime now) {
  latest_now_ = std::max(latest_now_, ToUnixSeconds(now));
  PruneIfGrown();
}

bool MemoryRefreshTokenStore::FamilyAlive(const Family& family, std::int64_t now_s) {
  return ToUnixSeconds(family.grant.expires) > now_s;
}

void MemoryRefreshTokenStore::EraseFamily(const std::string& family_id) {
  auto family = families_.find(family_id);
  if (family == families_.end()) return;
  for (const auto& member : family->second.members) tokens_.erase(member);
  families_.erase(family);
}

void MemoryRefreshTokenStore::PruneIfGrown() {
  if (tokens_.size() < prune_at_) return;
  PruneAll();
  prune_at_ = std::max<std::size_t>(64, tokens_.size() * 2);
}

// A family ends with its newest token; used tokens live exactly as long as their family
// (to recognise replays), current ones until their own expiry.
void MemoryRefreshTokenStore::PruneAll() {
  std::erase_if(families_, [this](const auto& item) {
    if (FamilyAlive(item.second, latest_now_)) return false;
    for (const auto& member : item.second.members) tokens_.erase(member);
    return true;
  });
  std::erase_if(tokens_, [this](const auto& item) {
    return !families_.contains(item.second.family_id) ||
           (!item.second.used && item.second.expires <= latest_now_);
  });
}

}  // namespace signet::store

#include "store/memory_refresh_token_store.hpp"

#include <algorithm>
#include <iterator>
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
  if (!family.members.empty() && family.grant.sid != grant.sid) {
    Unindex(family.grant.sid, family_id);
  }
  if (!grant.sid.empty()) session_families_[grant.sid].insert(family_id);
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
    RotateResult reused{RotateStatus::kReused, family->second.grant};  // EraseFamily reads sid
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

net::awaitable<Result<std::size_t>> MemoryRefreshTokenStore::RevokeSession(std::string sid,
                                                                           WallTime now) {
  const std::int64_t now_s = ToUnixSeconds(now);
  std::lock_guard lock(mutex_);
  Observe(now);
  auto indexed = session_families_.find(sid);
  if (sid.empty() || indexed == session_families_.end()) co_return std::size_t{0};
  // EraseFamily unindexes each family: iterate over a copy.
  const std::set<std::string> family_ids = std::move(indexed->second);
  session_families_.erase(indexed);
  std::size_t revoked = 0;
  for (const auto& family_id : family_ids) {
    auto family = families_.find(family_id);
    if (family == families_.end()) continue;
    if (FamilyAlive(family->second, now_s)) ++revoked;
    EraseFamily(family_id);
  }
  co_return revoked;
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

std::size_t MemoryRefreshTokenStore::indexed_session_count() const {
  std::lock_guard lock(mutex_);
  return session_families_.size();
}

void MemoryRefreshTokenStore::EraseFamily(const std::string& family_id) {
  auto family = families_.find(family_id);
  if (family == families_.end()) return;
  for (const auto& member : family->second.members) tokens_.erase(member);
  Unindex(family->second.grant.sid, family_id);
  families_.erase(family);
}

void MemoryRefreshTokenStore::Unindex(const std::string& sid, const std::string& family_id) {
  if (sid.empty()) return;
  auto indexed = session_families_.find(sid);
  if (indexed == session_families_.end()) return;
  indexed->second.erase(family_id);
  if (indexed->second.empty()) session_families_.erase(indexed);
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
    Unindex(item.second.grant.sid, item.first);
    return true;
  });
  std::erase_if(tokens_, [this](const auto& item) {
    return !families_.contains(item.second.family_id) ||
           (!item.second.used && item.second.expires <= latest_now_);
  });
  // Unindex keeps the sid index exact; this only guarantees it can never outgrow families_.
  for (auto indexed = session_families_.begin(); indexed != session_families_.end();) {
    std::erase_if(indexed->second, [this](const auto& id) { return !families_.contains(id); });
    indexed = indexed->second.empty() ? session_families_.erase(indexed) : std::next(indexed);
  }
}

}  // namespace signet::store

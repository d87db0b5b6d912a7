#include "store/memory_session_store.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

namespace signet::store {

namespace net = boost::asio;

net::awaitable<Result<void>> MemorySessionStore::Create(std::string session_hash,
                                                        LoginSession session) {
  std::lock_guard lock(mutex_);
  PruneIfGrown();
  auto previous = sessions_.find(session_hash);
  if (previous != sessions_.end()) Erase(previous);
  std::sort(session.client_ids.begin(), session.client_ids.end());
  session.client_ids.erase(std::unique(session.client_ids.begin(), session.client_ids.end()),
                           session.client_ids.end());
  by_subject_[session.subject].insert(session_hash);
  sessions_.emplace(std::move(session_hash), std::move(session));
  co_return Result<void>();
}

net::awaitable<Result<std::optional<LoginSession>>> MemorySessionStore::Find(
    std::string session_hash, WallTime now) {
  std::lock_guard lock(mutex_);
  Observe(now);
  const LoginSession* session = Live(session_hash, ToUnixSeconds(now));
  if (session == nullptr) co_return std::optional<LoginSession>();
  co_return std::optional<LoginSession>(*session);
}

net::awaitable<Result<bool>> MemorySessionStore::AddClient(std::string session_hash,
                                                           std::string client_id, WallTime now) {
  std::lock_guard lock(mutex_);
  Observe(now);
  LoginSession* session = Live(session_hash, ToUnixSeconds(now));
  if (session == nullptr) co_return false;
  auto& clients = session->client_ids;
  auto at = std::lower_bound(clients.begin(), clients.end(), client_id);
  if (at == clients.end() || *at != client_id) clients.insert(at, std::move(client_id));
  co_return true;
}

net::awaitable<Result<std::optional<LoginSession>>> MemorySessionStore::End(
    std::string session_hash) {
  std::lock_guard lock(mutex_);
  auto found = sessions_.find(session_hash);
  if (found == sessions_.end()) co_return std::optional<LoginSession>();
  std::optional<LoginSession> ended(std::move(found->second));
  Erase(found);
  co_return ended;
}

net::awaitable<Result<std::size_t>> MemorySessionStore::EndAllForSubject(std::string subject) {
  std::lock_guard lock(mutex_);
  auto hashes = by_subject_.find(subject);
  if (hashes == by_subject_.end()) co_return std::size_t{0};
  std::size_t ended = 0;
  for (const auto& hash : hashes->second) ended += sessions_.erase(hash);
  by_subject_.erase(hashes);
  co_return ended;
}

std::size_t MemorySessionStore::session_count() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::size_t MemorySessionStore::indexed_session_count() const {
  std::lock_guard lock(mutex_);
  std::size_t count = 0;
  for (const auto& item : by_subject_) count += item.second.size();
  return count;
}

void MemorySessionStore::Observe(WallTime now) {
  latest_now_ = std::max(latest_now_, ToUnixSeconds(now));
  PruneIfGrown();
}

LoginSession* MemorySessionStore::Live(const std::string& session_hash, std::int64_t now_s) {
  auto found = sessions_.find(session_hash);
  if (found == sessions_.end()) return nullptr;
  if (ToUnixSeconds(found->second.expires) <= now_s) {
    Erase(found);
    return nullptr;
  }
  return &found->second;
}

void MemorySessionStore::Erase(std::map<std::string, LoginSession>::iterator session) {
  auto hashes = by_subject_.find(session->second.subject);
  if (hashes != by_subject_.end()) {
    hashes->second.erase(session->first);
    if (hashes->second.empty()) by_subject_.erase(hashes);
  }
  sessions_.erase(session);
}

void MemorySessionStore::PruneIfGrown() {
  if (sessions_.size() < prune_at_) return;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    auto next = std::next(it);
    if (ToUnixSeconds(it->second.expires) <= latest_now_) Erase(it);
    it = next;
  }
  prune_at_ = std::max<std::size_t>(64, sessions_.size() * 2);
}

}  // namespace signet::store

#include "store/memory_revocation_store.hpp"

#include <algorithm>
#include <iterator>

namespace signet::store {

namespace net = boost::asio;

net::awaitable<Result<void>> MemoryRevocationStore::RevokeJti(std::string jti,
                                                              WallTime keep_until) {
  const std::int64_t until = ToUnixSeconds(keep_until);
  std::lock_guard lock(mutex_);
  auto [it, inserted] = jtis_.try_emplace(std::move(jti), until);
  if (inserted || it->second < until) {
    it->second = until;
    ++revision_;
  }
  co_return Result<void>();
}

net::awaitable<Result<void>> MemoryRevocationStore::RevokeSubject(std::string subject,
                                                                  WallTime cutoff,
                                                                  WallTime keep_until) {
  const Subject entry{ToUnixSeconds(cutoff), ToUnixSeconds(keep_until)};
  std::lock_guard lock(mutex_);
  auto [it, inserted] = subjects_.try_emplace(std::move(subject), entry);
  if (inserted) {
    ++revision_;
  } else if (it->second.cutoff < entry.cutoff) {
    it->second.cutoff = entry.cutoff;
    it->second.keep_until = std::max(it->second.keep_until, entry.keep_until);
    ++revision_;
  }
  co_return Result<void>();
}

net::awaitable<Result<bool>> MemoryRevocationStore::IsRevoked(std::string jti, std::string subject,
                                                              WallTime issued_at, WallTime now) {
  const std::int64_t now_s = ToUnixSeconds(now);
  std::lock_guard lock(mutex_);
  if (auto it = jtis_.find(jti); it != jtis_.end() && it->second > now_s) co_return true;
  if (!subject.empty()) {
    auto it = subjects_.find(subject);
    if (it != subjects_.end() && it->second.keep_until > now_s &&
        ToUnixSeconds(issued_at) <= it->second.cutoff) {
      co_return true;
    }
  }
  co_return false;
}

net::awaitable<Result<std::uint64_t>> MemoryRevocationStore::Revision() {
  std::lock_guard lock(mutex_);
  co_return revision_;
}

net::awaitable<Result<RevocationSnapshot>> MemoryRevocationStore::Snapshot(WallTime now) {
  const std::int64_t now_s = ToUnixSeconds(now);
  std::lock_guard lock(mutex_);
  PruneLocked(now_s);
  RevocationSnapshot snapshot;
  snapshot.revision = revision_;
  for (const auto& [jti, until] : jtis_) {
    snapshot.jtis.push_back({jti, FromUnixSeconds(until)});
  }
  for (const auto& [subject, entry] : subjects_) {
    snapshot.subjects.push_back({subject, FromUnixSeconds(entry.cutoff)});
  }
  co_return snapshot;
}

net::awaitable<Result<std::size_t>> MemoryRevocationStore::Prune(WallTime now) {
  const std::int64_t now_s = ToUnixSeconds(now);
  std::lock_guard lock(mutex_);
  co_return PruneLocked(now_s);
}

std::size_t MemoryRevocationStore::PruneLocked(std::int64_t now_s) {
  // keep_until itself is already past: IsRevoked counts an entry only while keep_until > now.
  return std::erase_if(jtis_, [now_s](const auto& item) { return item.second <= now_s; }) +
         std::erase_if(subjects_,
                       [now_s](const auto& item) { return item.second.keep_until <= now_s; });
}

}  // namespace signet::store

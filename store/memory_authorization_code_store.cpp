#include "store/memory_authorization_code_store.hpp"

#include <algorithm>
#include <utility>

namespace signet::store {

namespace net = boost::asio;

net::awaitable<Result<void>> MemoryAuthorizationCodeStore::Issue(std::string code_hash,
                                                                 AuthorizationGrant grant) {
  std::lock_guard lock(mutex_);
  PruneIfGrown();
  codes_[std::move(code_hash)] = Code{std::move(grant), State::kFresh, std::nullopt};
  co_return Result<void>();
}

net::awaitable<Result<ConsumeResult>> MemoryAuthorizationCodeStore::Consume(std::string code_hash,
                                                                            WallTime now) {
  const std::int64_t now_s = ToUnixSeconds(now);
  std::lock_guard lock(mutex_);
  latest_now_ = std::max(latest_now_, now_s);
  PruneIfGrown();
  auto found = codes_.find(code_hash);
  if (found == codes_.end()) co_return ConsumeResult{};
  Code& code = found->second;
  if (KeepUntil(code) <= now_s) {
    codes_.erase(found);
    co_return ConsumeResult{};
  }
  if (code.state == State::kFresh) {
    // Single use (RFC 6749 §4.1.2): the record stays, used, to recognise a second use.
    code.state = State::kUsed;
    co_return ConsumeResult{ConsumeStatus::kConsumed, code.grant, std::nullopt};
  }
  code.state = State::kReused;
  co_return ConsumeResult{ConsumeStatus::kReused, code.grant, code.issued};
}

net::awaitable<Result<RecordIssuedStatus>> MemoryAuthorizationCodeStore::RecordIssued(
    std::string code_hash, IssuedFromCode issued) {
  std::lock_guard lock(mutex_);
  auto found = codes_.find(code_hash);
  if (found == codes_.end() || found->second.state == State::kFresh) {
    co_return RecordIssuedStatus::kUnknown;
  }
  found->second.issued = std::move(issued);
  co_return found->second.state == State::kReused ? RecordIssuedStatus::kReused
                                                  : RecordIssuedStatus::kRecorded;
}

std::size_t MemoryAuthorizationCodeStore::code_count() const {
  std::lock_guard lock(mutex_);
  return codes_.size();
}

std::int64_t MemoryAuthorizationCodeStore::KeepUntil(const Code& code) {
  const std::int64_t expires = ToUnixSeconds(code.grant.expires);
  return code.state == State::kFresh ? expires : expires + kCodeReuseWindow.count();
}

void MemoryAuthorizationCodeStore::PruneIfGrown() {
  if (codes_.size() < prune_at_) return;
  std::erase_if(codes_, [this](const auto& item) { return KeepUntil(item.second) <= latest_now_; });
  prune_at_ = std::max<std::size_t>(64, codes_.size() * 2);
}

}  // namespace signet::store

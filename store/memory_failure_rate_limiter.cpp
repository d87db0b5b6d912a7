#include "store/memory_failure_rate_limiter.hpp"

#include <algorithm>
#include <iterator>

#include "store/internal/failure_window.hpp"

namespace signet::store {

namespace net = boost::asio;

net::awaitable<Result<FailureCheck>> MemoryFailureRateLimiter::Check(std::string key,
                                                                     FailureLimit limit,
                                                                     WallTime now) {
  const std::int64_t now_ms = internal::ToUnixMillis(now);
  std::lock_guard lock(mutex_);
  PruneIfGrown(now_ms);
  auto it = windows_.find(key);
  if (it == windows_.end()) co_return FailureCheck{};
  it->second.window_ms = internal::WindowMillis(limit);
  Slide(it->second, now_ms);
  if (it->second.failures_ms.empty()) {
    windows_.erase(it);
    co_return FailureCheck{};
  }
  co_return CheckOf(it->second, internal::MaxFailures(limit), now_ms);
}

net::awaitable<Result<FailureCheck>> MemoryFailureRateLimiter::RecordFailure(std::string key,
                                                                             FailureLimit limit,
                                                                             WallTime now) {
  const std::int64_t now_ms = internal::ToUnixMillis(now);
  const std::int64_t max = internal::MaxFailures(limit);
  std::lock_guard lock(mutex_);
  PruneIfGrown(now_ms);
  Window& window = windows_[std::move(key)];
  window.window_ms = internal::WindowMillis(limit);
  Slide(window, now_ms);
  auto& failures = window.failures_ms;
  failures.insert(std::upper_bound(failures.begin(), failures.end(), now_ms), now_ms);
  // Only the newest `max` decide when the key is let in again (see CheckOf).
  while (static_cast<std::int64_t>(failures.size()) > max) failures.pop_front();
  co_return CheckOf(window, max, now_ms);
}

std::size_t MemoryFailureRateLimiter::key_count() const {
  std::lock_guard lock(mutex_);
  return windows_.size();
}

void MemoryFailureRateLimiter::PruneIfGrown(std::int64_t now_ms) {
  if (windows_.size() < prune_at_) return;
  for (auto it = windows_.begin(); it != windows_.end();) {
    Slide(it->second, now_ms);
    it = it->second.failures_ms.empty() ? windows_.erase(it) : std::next(it);
  }
  prune_at_ = std::max<std::size_t>(64, windows_.size() * 2);
}

// Drops the failures that have left the window: those at or before now - window.
void MemoryFailureRateLimiter::Slide(Window& window, std::int64_t now_ms) {
  auto& failures = window.failures_ms;
  const auto first_in =
      std::upper_bound(failures.begin(), failures.end(), now_ms - window.window_ms);
  failures.erase(failures.begin(), first_in);
}

// Blocked while at least `max` failures are in the window, i.e. until the max-th newest of
// them leaves it.
FailureCheck MemoryFailureRateLimiter::CheckOf(const Window& window, std::int64_t max,
                                               std::int64_t now_ms) {
  const auto& failures = window.failures_ms;
  const auto count = static_cast<std::int64_t>(failures.size());
  if (count < max) return internal::MakeFailureCheck(count, 0);
  const std::int64_t deciding = failures[static_cast<std::size_t>(count - max)];
  return internal::MakeFailureCheck(count, deciding + window.window_ms - now_ms);
}

}  // namespace signet::store

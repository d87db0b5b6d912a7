#pragma once
// The single-node AuthorizationCodeStore (no redis.url): code records in process memory, lost
// on restart like everything else a single node keeps in memory. Thread-safe (one mutex;
// every call is short and never waits for I/O), so Consume is atomic.
//
// Bounded: a record past its time (expiry when unused, expiry + kCodeReuseWindow when used)
// is dropped when a call touches it, and all of them whenever the number of records has
// doubled since the last full prune, so memory follows the codes of the last minutes, not
// the history. "Past its time" uses the latest `now` Consume was given (the clock is
// injected; Issue and RecordIssued have none).
//
// Usage:
//   store::MemoryAuthorizationCodeStore codes;
//   co_await codes.Issue(code_hash, grant);

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "store/authorization_code_store.hpp"

namespace signet::store {

class MemoryAuthorizationCodeStore final : public AuthorizationCodeStore {
 public:
  [[nodiscard]] boost::asio::awaitable<Result<void>> Issue(std::string code_hash,
                                                           AuthorizationGrant grant) override;
  [[nodiscard]] boost::asio::awaitable<Result<ConsumeResult>> Consume(std::string code_hash,
                                                                      WallTime now) override;
  [[nodiscard]] boost::asio::awaitable<Result<RecordIssuedStatus>> RecordIssued(
      std::string code_hash, IssuedFromCode issued) override;

  // Records held (unused and used), for tests of the bound.
  std::size_t code_count() const;

 private:
  enum class State { kFresh, kUsed, kReused };
  struct Code {
    AuthorizationGrant grant;
    State state = State::kFresh;
    std::optional<IssuedFromCode> issued;
  };

  // All with mutex_ held.
  static std::int64_t KeepUntil(const Code& code);  // unix seconds: when the record goes
  void PruneIfGrown();

  mutable std::mutex mutex_;
  std::map<std::string, Code> codes_;  // code hash -> record
  std::int64_t latest_now_ = 0;        // unix seconds, the largest `now` seen
  std::size_t prune_at_ = 64;          // prune everything when codes_ reaches this size
};

}  // namespace signet::store

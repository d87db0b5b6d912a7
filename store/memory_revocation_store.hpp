#pragma once
// The single-node RevocationStore (no redis.url): maps in process memory, lost on restart
// like everything else a single node keeps in memory. Thread-safe (one mutex; every call is
// short and never waits for I/O).

#include <map>
#include <mutex>

#include "store/revocation_store.hpp"

namespace signet::store {

class MemoryRevocationStore final : public RevocationStore {
 public:
  [[nodiscard]] boost::asio::awaitable<Result<void>> RevokeJti(std::string jti,
                                                               WallTime keep_until) override;
  [[nodiscard]] boost::asio::awaitable<Result<void>> RevokeSubject(std::string subject,
                                                                   WallTime cutoff,
                                                                   WallTime keep_until) override;
  [[nodiscard]] boost::asio::awaitable<Result<bool>> IsRevoked(std::string jti, std::string subject,
                                                               WallTime issued_at,
                                                               WallTime now) override;
  [[nodiscard]] boost::asio::awaitable<Result<std::uint64_t>> Revision() override;
  [[nodiscard]] boost::asio::awaitable<Result<RevocationSnapshot>> Snapshot(WallTime now) override;
  [[nodiscard]] boost::asio::awaitable<Result<std::size_t>> Prune(WallTime now) override;

 private:
  struct Subject {
    std::int64_t cutoff;
    std::int64_t keep_until;
  };

  // Erases what is past keep_until at `now_s`; the caller holds mutex_. Returns the count.
  std::size_t PruneLocked(std::int64_t now_s);

  mutable std::mutex mutex_;
  std::map<std::string, std::int64_t> jtis_;  // jti -> keep_until (unix seconds)
  std::map<std::string, Subject> subjects_;
  std::uint64_t revision_ = 0;
};

}  // namespace signet::store

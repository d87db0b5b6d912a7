#pragma once
// Where revocations are kept (issue 5): single tokens by `jti` (RFC 7009 revocation of an
// access or refresh token) and whole subjects by a cut-off time ("log out everywhere":
// every token of the subject issued at or before the cut-off). Two implementations behave
// the same (one contract test suite): MemoryRevocationStore for a single node,
// RedisRevocationStore shared by every replica.
//
// Every entry carries `keep_until`: the time after which the tokens it revokes are rejected
// anyway (their `exp` plus the verification leeway of resource servers; for a subject, the
// cut-off plus the longest token lifetime plus leeway). Entries past it are pruned and no
// longer listed; until then they are listed in the feed (GET /oauth2/revocations).
//
// The revision changes with every revocation that changed something, so the feed can be
// cached and served with an ETag.
//
// The API is asynchronous (awaitable, on the server's io_context); Redis failures come back
// quickly as store::Errc (kUnavailable, kTimeout), which the server answers with 503.
//
// Usage:
//   co_await revocations.RevokeJti(jti, exp + leeway);
//   auto revoked = co_await revocations.IsRevoked(jti, sub, iat, now);
//   if (!revoked) co_return TemporarilyUnavailable();   // 503, never "valid"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "store/errc.hpp"

namespace signet::store {

using WallTime = std::chrono::system_clock::time_point;  // stored with 1 s precision

struct RevokedJti {
  std::string jti;
  WallTime keep_until;
  friend bool operator==(const RevokedJti&, const RevokedJti&) = default;
};

struct SubjectCutoff {
  std::string subject;
  WallTime cutoff;  // tokens with iat <= cutoff are revoked
  friend bool operator==(const SubjectCutoff&, const SubjectCutoff&) = default;
};

// Everything in force at one moment, for the feed. Sorted by jti / subject.
struct RevocationSnapshot {
  std::uint64_t revision = 0;
  std::vector<RevokedJti> jtis;
  std::vector<SubjectCutoff> subjects;
};

class RevocationStore {
 public:
  virtual ~RevocationStore() = default;

  // Revokes one token. Idempotent; revoking again with a later keep_until extends it, an
  // earlier one changes nothing.
  [[nodiscard]] virtual boost::asio::awaitable<Result<void>> RevokeJti(std::string jti,
                                                                       WallTime keep_until) = 0;
  // Revokes every token of `subject` issued at or before `cutoff`. A later cut-off replaces
  // an earlier one; an earlier one never lowers it.
  [[nodiscard]] virtual boost::asio::awaitable<Result<void>> RevokeSubject(std::string subject,
                                                                           WallTime cutoff,
                                                                           WallTime keep_until) = 0;
  // Whether a token is revoked at `now`: its jti is revoked, or its subject's cut-off is at
  // or after its `iat`. An empty subject checks the jti only.
  [[nodiscard]] virtual boost::asio::awaitable<Result<bool>> IsRevoked(std::string jti,
                                                                       std::string subject,
                                                                       WallTime issued_at,
                                                                       WallTime now) = 0;
  // The current revision (0 before the first revocation).
  [[nodiscard]] virtual boost::asio::awaitable<Result<std::uint64_t>> Revision() = 0;
  // Prunes what is past keep_until at `now` and returns the rest with its revision.
  [[nodiscard]] virtual boost::asio::awaitable<Result<RevocationSnapshot>> Snapshot(
      WallTime now) = 0;
  // Removes what is past keep_until at `now` (jtis and subject cut-offs) and returns how many
  // entries went. Snapshot() prunes too, but only the feed calls it: the server runs this
  // periodically so that the store never grows without bound when nobody reads the feed
  // (issue 5). Not a change of what is in force: the revision stays.
  [[nodiscard]] virtual boost::asio::awaitable<Result<std::size_t>> Prune(WallTime now) = 0;
};

// Whole seconds since the epoch: the unit stored in Redis and compared with JWT NumericDate
// claims (RFC 7519 §2).
inline std::int64_t ToUnixSeconds(WallTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
inline WallTime FromUnixSeconds(std::int64_t seconds) {
  return WallTime(std::chrono::seconds(seconds));
}

}  // namespace signet::store

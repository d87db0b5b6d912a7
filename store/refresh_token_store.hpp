#pragma once
// Where refresh tokens live (issue 5, OAuth 2.0 Security BCP §4.14 / RFC 9700 §4.14.2):
// opaque tokens are never stored, only their SHA-256 (`token_hash`, 32 raw bytes), so a
// copy of the store does not let anyone refresh. Tokens of one login form a *family*
// (`family_id`); every use rotates the token: the old one is marked used and a new one of
// the same family is stored. Presenting a used token again means it was stolen (either the
// thief or the client already used it), so the whole family is revoked.
//
// Two implementations behave the same (one contract test suite): MemoryRefreshTokenStore
// for a single node, RedisRefreshTokenStore shared by every replica. Records disappear by
// themselves once expired (Redis PEXPIREAT; memory prunes when touched), so the store never
// grows without bound; a family record lives as long as its newest token. Families started
// in a login session are also indexed by its `sid`, so that a logout can revoke them all.
//
// The API is asynchronous (awaitable, on the server's io_context); Redis failures come back
// quickly as store::Errc (kUnavailable, kTimeout), which the server answers with 503.
//
// Usage:
//   co_await refresh_tokens.Issue(Sha256(token), grant);
//   auto rotated = co_await refresh_tokens.Rotate(Sha256(old), Sha256(fresh), new_expiry, now);
//   if (rotated && rotated->status == store::RotateStatus::kReused) -> invalid_grant (family gone)

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "store/errc.hpp"
#include "store/revocation_store.hpp"  // WallTime, ToUnixSeconds

namespace signet::store {

// What a refresh token stands for; identical for every token of a family except `expires`.
struct RefreshGrant {
  std::string family_id;  // random, URL-safe; names the family in logs and in the store
  std::string client_id;  // the client it was issued to (RFC 6749 §6: bound to the client)
  std::string subject;    // `sub` of the tokens it yields
  std::string scope;      // granted scope, space separated (a refresh may narrow it, §6)
  std::string audience;   // granted audience values, space separated ("" = client default)
  WallTime auth_time;     // when the user authenticated (the family's creation)
  WallTime expires;       // when this token stops working
  // The login session's public id (the ID token's `sid`) when the family began at the
  // authorization endpoint; empty for the password grant, and for families stored before
  // the field existed.
  std::string sid{};
  friend bool operator==(const RefreshGrant&, const RefreshGrant&) = default;
};

enum class RotateStatus {
  kRotated,  // the old token was current: it is now used, the new one is current
  kReused,   // the old token had been rotated already: the whole family is now revoked
  kUnknown,  // no such token: never issued, expired, or its family was revoked
};

struct RotateResult {
  RotateStatus status = RotateStatus::kUnknown;
  // kRotated: the family's grant with the new token's `expires`; kReused: the revoked
  // family's grant with the family's end as `expires` (for the log line); kUnknown: empty.
  RefreshGrant grant;
};

class RefreshTokenStore {
 public:
  virtual ~RefreshTokenStore() = default;

  // Stores a new family's first token. `grant.expires` must be after now.
  [[nodiscard]] virtual boost::asio::awaitable<Result<void>> Issue(std::string token_hash,
                                                                   RefreshGrant grant) = 0;

  // Atomically: if `old_hash` is the current token of a live family and not expired at
  // `now`, marks it used and stores `new_hash` (same family, expiring at `new_expires`).
  // If `old_hash` was used before, revokes the family (every token of it, current one
  // included) and answers kReused. Otherwise kUnknown. The caller checks the client.
  [[nodiscard]] virtual boost::asio::awaitable<Result<RotateResult>> Rotate(
      std::string old_hash, std::string new_hash, WallTime new_expires, WallTime now) = 0;

  // The grant of a current (unused, unexpired) token, for introspection and revocation;
  // nullopt when unknown, used, expired or revoked.
  [[nodiscard]] virtual boost::asio::awaitable<Result<std::optional<RefreshGrant>>> Find(
      std::string token_hash, WallTime now) = 0;

  // Revokes every token of the family (RFC 7009 §2.1: revoking a refresh token revokes its
  // family). Idempotent: an unknown family is not an error.
  [[nodiscard]] virtual boost::asio::awaitable<Result<void>> RevokeFamily(
      std::string family_id) = 0;

  // Logout (OIDC RP-Initiated Logout 1.0 §2, as Keycloak does): revokes, each as RevokeFamily
  // does, every family whose grant carries this `sid`, i.e. every family started from that
  // login session at the authorization endpoint, and forgets the session's index. Returns how
  // many families were still alive at `now`. Families of other sessions and families without
  // a sid (password grant) are untouched; an empty or unknown sid revokes nothing (0), and a
  // second call finds nothing left (idempotent).
  [[nodiscard]] virtual boost::asio::awaitable<Result<std::size_t>> RevokeSession(
      std::string sid, WallTime now) = 0;
};

}  // namespace signet::store

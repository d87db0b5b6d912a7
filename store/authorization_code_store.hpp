#pragma once
// Where authorization codes live between /oauth2/authorize and the token endpoint (issue 6,
// RFC 6749 §4.1). A code is an opaque random value handed to the browser; the store keeps
// only its SHA-256 (`code_hash`, 32 raw bytes, hashed by the caller as for refresh tokens),
// so a copy of the store does not let anyone exchange a code.
//
// A code is single use (RFC 6749 §4.1.2): of two replicas exchanging the same code at once,
// exactly one gets kConsumed. A consumed code is not forgotten at once: it is kept, marked
// used, until kCodeReuseWindow after its expiry, so that a second use is recognised as a
// reuse. RFC 6749 §4.1.2: the server "SHOULD revoke (when possible) all tokens previously
// issued based on that authorization code"; for that the token endpoint calls RecordIssued
// after the first exchange, and Consume hands those back on every reuse.
//
// Two implementations behave the same (one contract test suite): MemoryAuthorizationCodeStore
// for a single node, RedisAuthorizationCodeStore shared by every replica. Records disappear by
// themselves (Redis EXPIREAT; memory prunes when touched), so the store never grows without
// bound. Redis failures come back as store::Errc (kUnavailable, kTimeout): the server's 503.
//
// Usage:
//   co_await codes.Issue(Sha256(code), grant);                   // grant.expires <= now + 60 s
//   auto consumed = co_await codes.Consume(Sha256(code), now);
//   kConsumed -> check client, redirect_uri, PKCE; issue tokens; then
//                co_await codes.RecordIssued(Sha256(code), {jti, exp, family_id});
//   kReused   -> invalid_grant; revoke consumed->issued (jti, refresh family) if present
//   kUnknown  -> invalid_grant

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "store/errc.hpp"
#include "store/revocation_store.hpp"  // WallTime, ToUnixSeconds

namespace signet::store {

// How long after its expiry a consumed code is still recognised as reused. Longer than any
// sane clock skew between replicas and than a slow client's retries; short enough that the
// store holds few used codes (codes live <= 60 s, so a record is gone 11 minutes after issue).
inline constexpr std::chrono::seconds kCodeReuseWindow{600};

// What an authorization code stands for (RFC 6749 §4.1.3, RFC 7636 §4.6, OIDC Core §3.1.3).
struct AuthorizationGrant {
  std::string client_id;       // the client it was issued to: the exchange must come from it
  std::string redirect_uri;    // exactly as in the authorization request (§4.1.3)
  std::string code_challenge;  // RFC 7636 S256 challenge (base64url); "" when none was sent
  std::string scope;           // granted scope, space separated
  std::string nonce;           // OIDC nonce for the ID token; "" when none was sent
  std::string subject;         // `sub` of the tokens it yields
  WallTime auth_time;          // when the user authenticated (the session's auth_time)
  std::string sid;             // the login session's public id (`sid` claim)
  WallTime expires;            // when the code stops working (the caller picks <= 60 s)
  friend bool operator==(const AuthorizationGrant&, const AuthorizationGrant&) = default;
};

// What the first exchange of a code issued, so that a reuse can revoke it.
struct IssuedFromCode {
  std::string access_jti;         // `jti` of the access token
  WallTime access_expires;        // its `exp` (how long its revocation must be kept)
  std::string refresh_family_id;  // the refresh token family; "" when none was issued
  friend bool operator==(const IssuedFromCode&, const IssuedFromCode&) = default;
};

enum class ConsumeStatus {
  kConsumed,  // first use before expiry: the code is now used
  kReused,    // the code was consumed before: refuse, and revoke what the first use issued
  kUnknown,   // never issued, expired unused, or past its reuse window
};

struct ConsumeResult {
  ConsumeStatus status = ConsumeStatus::kUnknown;
  // kConsumed and kReused: the code's grant (kReused: for the log line); kUnknown: empty.
  AuthorizationGrant grant;
  // kReused: what the first use issued, once it was recorded (RecordIssued); nullopt before
  // that, and for the other statuses.
  std::optional<IssuedFromCode> issued;
};

enum class RecordIssuedStatus {
  kRecorded,  // stored; a later reuse will hand it back
  kReused,    // stored, but the code was presented again meanwhile (between Consume and
              // RecordIssued): that reuse found nothing to revoke, so the caller revokes
              // what it just issued itself
  kUnknown,   // no consumed code of that hash (never consumed, or past its reuse window)
};

class AuthorizationCodeStore {
 public:
  virtual ~AuthorizationCodeStore() = default;

  // Stores a new, unused code. `grant.expires` must be after now; a code with the same hash
  // (a 2^-128 accident) is replaced.
  [[nodiscard]] virtual boost::asio::awaitable<Result<void>> Issue(std::string code_hash,
                                                                   AuthorizationGrant grant) = 0;

  // Atomically: an unused code not expired at `now` becomes used (kConsumed, with its grant);
  // a used one answers kReused (with what RecordIssued stored) until kCodeReuseWindow after
  // its expiry; anything else kUnknown. The caller checks client, redirect_uri and PKCE
  // afterwards (RFC 6749 §4.1.3, RFC 7636 §4.6): a code presented with the wrong ones is
  // burnt all the same, so a stolen code is worth one guess; nothing was issued from it, so
  // a later reuse has nothing to revoke.
  [[nodiscard]] virtual boost::asio::awaitable<Result<ConsumeResult>> Consume(
      std::string code_hash, WallTime now) = 0;

  // Records what the first (kConsumed) exchange issued. Recording again replaces it.
  [[nodiscard]] virtual boost::asio::awaitable<Result<RecordIssuedStatus>> RecordIssued(
      std::string code_hash, IssuedFromCode issued) = 0;
};

}  // namespace signet::store

#pragma once
// Where login sessions live (issue 6: single sign-on). After a login the browser holds a
// session cookie whose value is an opaque random id; the store keeps only its SHA-256
// (`session_hash`, 32 raw bytes, hashed by the caller), so a copy of the store does not let
// anyone ride a session. A session also has a separate public id, `sid`, that goes into ID
// tokens (OIDC Front-Channel Logout 1.0 §3 and Back-Channel Logout 1.0 §2.4 name the session
// by it), and remembers the clients that received tokens in it, so that a logout knows whom
// to tell (Back-Channel Logout 1.0 §2.3, "Remembering Logged-In RPs").
//
// Two implementations behave the same (one contract test suite): MemorySessionStore for a
// single node, RedisSessionStore shared by every replica (a login at one replica is seen by
// all; a logout ends the session for all). A session ends at its absolute `expires`, chosen by
// the caller; records disappear by themselves then (Redis EXPIREAT; memory prunes when
// touched). Redis failures come back as store::Errc (kUnavailable, kTimeout): the server's
// 503 (never "no session", which would silently log the user out).
//
// Usage:
//   co_await sessions.Create(Sha256(cookie), {.sid = sid, .subject = sub, ...});
//   auto session = co_await sessions.Find(Sha256(cookie), now);   // nullopt -> login page
//   co_await sessions.AddClient(Sha256(cookie), client_id, now);  // before issuing the code
//   auto ended = co_await sessions.End(Sha256(cookie));           // RP-initiated logout

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "store/errc.hpp"
#include "store/revocation_store.hpp"  // WallTime, ToUnixSeconds

namespace signet::store {

struct LoginSession {
  std::string sid;                      // public random id: the ID token's `sid` claim
  std::string subject;                  // the user (`sub`)
  WallTime auth_time;                   // when the user logged in (`auth_time`, `max_age`)
  WallTime expires;                     // absolute end of the session
  std::vector<std::string> client_ids;  // clients that received tokens in it; sorted, unique
  friend bool operator==(const LoginSession&, const LoginSession&) = default;
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;

  // Stores a new session (`session.client_ids` are stored too, usually none).
  // `session.expires` must be after now; a session with the same hash is replaced.
  [[nodiscard]] virtual boost::asio::awaitable<Result<void>> Create(std::string session_hash,
                                                                    LoginSession session) = 0;

  // The session, while it has not expired at `now` nor been ended; nullopt otherwise.
  [[nodiscard]] virtual boost::asio::awaitable<Result<std::optional<LoginSession>>> Find(
      std::string session_hash, WallTime now) = 0;

  // Adds `client_id` to the session's clients (idempotent). False when there is no live
  // session of that hash at `now` (the caller then sends the browser to the login page).
  [[nodiscard]] virtual boost::asio::awaitable<Result<bool>> AddClient(std::string session_hash,
                                                                       std::string client_id,
                                                                       WallTime now) = 0;

  // Logout: removes the session for every replica and returns it (its sid and clients, for
  // the logout notifications; possibly already expired); nullopt when there was none.
  [[nodiscard]] virtual boost::asio::awaitable<Result<std::optional<LoginSession>>> End(
      std::string session_hash) = 0;

  // Ends every session of `subject` ("log out everywhere", or a disabled account) and
  // returns how many records it removed (expired ones not yet pruned included).
  [[nodiscard]] virtual boost::asio::awaitable<Result<std::size_t>> EndAllForSubject(
      std::string subject) = 0;
};

}  // namespace signet::store

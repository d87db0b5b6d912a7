#pragma once
// The SessionStore in Redis, shared by every replica (issue 6): a login at one replica is
// single sign-on at all of them, and a logout at one ends the session for all.
//
// Layout (prefix "signet:" by default; <hex> = hex of a SHA-256, never a cookie value):
//   signet:ss:<hex>    hash  sid, subject, auth_time, expires (unix seconds), index (the
//                            subject index key), and one field "c:<client_id>" per client
//                            that received tokens; EXPIREAT `expires`
//   signet:sss:<shex>  zset  the subject's sessions: member = session <hex>, score = its
//                            expires; EXPIREAT the latest of them. <shex> = hex(SHA-256(subject)),
//                            so no user name shows in a key listing. Members whose session is
//                            gone are dropped on the subject's next Create.
//
// Every operation is one Lua script (atomic, one round trip). The scripts reach the index and
// session keys by names stored in the records, so this targets a single Redis (or a primary
// with replicas), not Redis Cluster.
//
// Usage:
//   store::RedisSessionStore sessions(redis_async_client);
//   auto session = co_await sessions.Find(session_hash, now);

#include <string>
#include <string_view>

#include "store/redis_async_client.hpp"
#include "store/session_store.hpp"

namespace signet::store {

class RedisSessionStore final : public SessionStore {
 public:
  // `client` must outlive this store.
  explicit RedisSessionStore(RedisAsyncClient& client, std::string prefix = "signet:");

  [[nodiscard]] boost::asio::awaitable<Result<void>> Create(std::string session_hash,
                                                            LoginSession session) override;
  [[nodiscard]] boost::asio::awaitable<Result<std::optional<LoginSession>>> Find(
      std::string session_hash, WallTime now) override;
  [[nodiscard]] boost::asio::awaitable<Result<bool>> AddClient(std::string session_hash,
                                                               std::string client_id,
                                                               WallTime now) override;
  [[nodiscard]] boost::asio::awaitable<Result<std::optional<LoginSession>>> End(
      std::string session_hash) override;
  [[nodiscard]] boost::asio::awaitable<Result<std::size_t>> EndAllForSubject(
      std::string subject) override;

  // The key names, for tests and operators.
  std::string SessionKey(std::string_view session_hash) const;
  std::string SubjectKey(std::string_view subject) const;

 private:
  RedisAsyncClient& client_;
  std::string session_prefix_;  // "signet:ss:"
  std::string subject_prefix_;  // "signet:sss:"
};

}  // namespace signet::store

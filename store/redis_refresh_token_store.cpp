#include "store/redis_refresh_token_store.hpp"

#include <charconv>
#include <optional>
#include <utility>

#include "store/internal/redis_key_name.hpp"

namespace signet::store {
namespace {

namespace net = boost::asio;

// Makes a session index (a set) live at least until `ends` (unix seconds), never shorter than
// it already does. Compared on the Redis clock (TIME), on which the TTL runs; PTTL -1 (none)
// or -2 (just created) sets it. TIME before writes needs effects replication (Redis >= 5).
#define SIGNET_LUA_EXTEND_INDEX                                                      \
  "local function extend_index(index, ends)\n"                                       \
  "  local pttl = redis.call('PTTL', index)\n"                                       \
  "  local clock = redis.call('TIME')\n"                                             \
  "  if pttl < 0 or tonumber(clock[1]) * 1000 + pttl < tonumber(ends) * 1000 then\n" \
  "    redis.call('EXPIREAT', index, ends)\n"                                        \
  "  end\n"                                                                          \
  "end\n"

// KEYS: token, family, and the session index when the grant has a sid. ARGV: token hex,
// family_id, client_id, subject, scope, audience, auth_time, expires, sid. The family ends
// with its newest token; the index (its field "sidx") lives at least as long.
constexpr std::string_view kIssue = SIGNET_LUA_EXTEND_INDEX R"lua(
redis.call('HSET', KEYS[1], 'family', KEYS[2], 'state', 'current', 'expires', ARGV[8])
redis.call('EXPIREAT', KEYS[1], ARGV[8])
local ends = ARGV[8]
local previous = redis.call('HGET', KEYS[2], 'expires')
if previous and tonumber(previous) > tonumber(ends) then ends = previous end
redis.call('HSET', KEYS[2], 'family_id', ARGV[2], 'client_id', ARGV[3], 'subject', ARGV[4],
           'scope', ARGV[5], 'audience', ARGV[6], 'auth_time', ARGV[7], 'expires', ends,
           'sid', ARGV[9], 'm:' .. ARGV[1], '1')
if KEYS[3] then
  redis.call('HSET', KEYS[2], 'sidx', KEYS[3])
  redis.call('SADD', KEYS[3], KEYS[2])
  extend_index(KEYS[3], ends)
end
redis.call('EXPIREAT', KEYS[2], ends)
return 1
)lua";

// Deletes a family and every member token, and takes it out of its session index.
// ARGV[1] is always the token key prefix.
#define SIGNET_LUA_REVOKE                                      \
  "local function revoke(family)\n"                            \
  "  for _, field in ipairs(redis.call('HKEYS', family)) do\n" \
  "    if string.sub(field, 1, 2) == 'm:' then\n"              \
  "      redis.call('DEL', ARGV[1] .. string.sub(field, 3))\n" \
  "    end\n"                                                  \
  "  end\n"                                                    \
  "  local index = redis.call('HGET', family, 'sidx')\n"       \
  "  if index then redis.call('SREM', index, family) end\n"    \
  "  redis.call('DEL', family)\n"                              \
  "end\n"

// RFC 9700 §4.14.2 refresh token rotation with replay detection: a used token presented
// again revokes the whole family, since the server cannot tell the thief from the client.
// KEYS: old token, new token. ARGV: token key prefix, new hex, new expires, now.
// Returns {0} unknown, {1, grant fields..., sid} rotated, {2, grant fields..., family end, sid}
// reused (the family revoked). sid is nil in a family stored before it existed.
constexpr std::string_view kRotate = SIGNET_LUA_REVOKE SIGNET_LUA_EXTEND_INDEX R"lua(
local token = redis.call('HMGET', KEYS[1], 'family', 'state', 'expires')
local family = token[1]
if not family then return {0} end
local now = tonumber(ARGV[4])
local ends = redis.call('HGET', family, 'expires')
if (not ends) or tonumber(ends) <= now then
  revoke(family)
  redis.call('DEL', KEYS[1])
  return {0}
end
local grant = redis.call('HMGET', family, 'family_id', 'client_id', 'subject', 'scope',
                         'audience', 'auth_time', 'sid')
if token[2] == 'used' then
  revoke(family)
  return {2, grant[1], grant[2], grant[3], grant[4], grant[5], grant[6], ends, grant[7]}
end
if tonumber(token[3]) <= now then return {0} end
if tonumber(ARGV[3]) > tonumber(ends) then ends = ARGV[3] end
redis.call('HSET', KEYS[1], 'state', 'used')
redis.call('HSET', KEYS[2], 'family', family, 'state', 'current', 'expires', ARGV[3])
redis.call('EXPIREAT', KEYS[2], ARGV[3])
redis.call('HSET', family, 'expires', ends, 'm:' .. ARGV[2], '1')
redis.call('EXPIREAT', family, ends)
-- The session index follows the family's end (SADD: recreates it if it was lost).
local index = redis.call('HGET', family, 'sidx')
if index then
  redis.call('SADD', index, family)
  extend_index(index, ends)
end
-- Used tokens live as long as their family, so that a replay is recognised until its end.
for _, field in ipairs(redis.call('HKEYS', family)) do
  if string.sub(field, 1, 2) == 'm:' and string.sub(field, 3) ~= ARGV[2] then
    redis.call('EXPIREAT', ARGV[1] .. string.sub(field, 3), ends)
  end
end
return {1, grant[1], grant[2], grant[3], grant[4], grant[5], grant[6], grant[7]}
)lua";

// KEYS: token. ARGV: now. Returns {0} or {1, grant fields..., token expires, sid}.
constexpr std::string_view kFind = R"lua(
local token = redis.call('HMGET', KEYS[1], 'family', 'state', 'expires')
if (not token[1]) or token[2] ~= 'current' or tonumber(token[3]) <= tonumber(ARGV[1]) then
  return {0}
end
local grant = redis.call('HMGET', token[1], 'family_id', 'client_id', 'subject', 'scope',
                         'audience', 'auth_time', 'sid')
if not grant[1] then return {0} end
return {1, grant[1], grant[2], grant[3], grant[4], grant[5], grant[6], token[3], grant[7]}
)lua";

// KEYS: family. ARGV: token key prefix.
constexpr std::string_view kRevokeFamily = SIGNET_LUA_REVOKE R"lua(
revoke(KEYS[1])
return 1
)lua";

// Logout: every family of the session index, revoked as by kRevokeFamily, then the index.
// A member whose record is gone or names another index is skipped. KEYS: session index.
// ARGV: token key prefix, now. Returns how many families were alive at `now`.
constexpr std::string_view kRevokeSession = SIGNET_LUA_REVOKE R"lua(
local revoked = 0
for _, family in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local record = redis.call('HMGET', family, 'sidx', 'expires')
  if record[1] == KEYS[1] then
    if tonumber(record[2]) > tonumber(ARGV[2]) then revoked = revoked + 1 end
    revoke(family)
  end
end
redis.call('DEL', KEYS[1])
return revoked
)lua";

#undef SIGNET_LUA_REVOKE
#undef SIGNET_LUA_EXTEND_INDEX

std::optional<std::int64_t> ParseInt(std::string_view text) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// The status (first element) of a script's array reply.
Result<std::int64_t> StatusOf(const RedisReply& reply) {
  if (reply.IsError()) return Errc::kServerError;
  if (reply.type() != RedisReply::Type::kArray || reply.elements().empty() ||
      reply.elements()[0].type() != RedisReply::Type::kInteger) {
    return Errc::kReplyType;
  }
  return reply.elements()[0].integer();
}

// Elements 1..6: family_id, client_id, subject, scope, audience, auth_time; the last: sid
// (nil: a family stored before sid existed, read as none).
Result<RefreshGrant> GrantOf(const RedisReply& reply) {
  const auto& items = reply.elements();
  if (items.size() < 8) return Errc::kReplyType;
  const RedisReply& sid = items.back();
  if (!sid.IsNil() && sid.type() != RedisReply::Type::kString) return Errc::kReplyType;
  for (std::size_t i = 1; i < 7; ++i) {
    if (items[i].type() != RedisReply::Type::kString) return Errc::kReplyType;
  }
  auto auth_time = ParseInt(items[6].str());
  if (!auth_time) return Errc::kReplyType;
  RefreshGrant grant;
  grant.family_id = items[1].str();
  grant.client_id = items[2].str();
  grant.subject = items[3].str();
  grant.scope = items[4].str();
  grant.audience = items[5].str();
  grant.auth_time = FromUnixSeconds(*auth_time);
  if (!sid.IsNil()) grant.sid = sid.str();
  return grant;
}

}  // namespace

RedisRefreshTokenStore::RedisRefreshTokenStore(RedisAsyncClient& client, std::string prefix)
    : client_(client),
      token_prefix_(prefix + "rt:"),
      family_prefix_(prefix + "rtf:"),
      session_prefix_(prefix + "rs:") {}

std::string RedisRefreshTokenStore::TokenKey(std::string_view token_hash) const {
  return token_prefix_ + internal::HexOf(token_hash);
}

std::string RedisRefreshTokenStore::FamilyKey(std::string_view family_id) const {
  return family_prefix_ + internal::SafeKeyPart(family_id);
}

std::string RedisRefreshTokenStore::SessionKey(std::string_view sid) const {
  return session_prefix_ + internal::SafeKeyPart(sid);
}

net::awaitable<Result<void>> RedisRefreshTokenStore::Issue(std::string token_hash,
                                                           RefreshGrant grant) {
  const std::string hex = internal::HexOf(token_hash);
  const std::string token_key = token_prefix_ + hex;
  const std::string family_key = FamilyKey(grant.family_id);
  const std::string auth_time = std::to_string(ToUnixSeconds(grant.auth_time));
  const std::string expires = std::to_string(ToUnixSeconds(grant.expires));
  // Without a sid there is no index: the script then sees two keys only. (Two calls, not
  // a co_await inside ?: which GCC 12 miscompiles.)
  Result<RedisReply> reply = Errc::kReplyType;
  const std::string session_key = grant.sid.empty() ? std::string() : SessionKey(grant.sid);
  if (grant.sid.empty()) {
    reply = co_await client_.Command("EVAL", kIssue, "2", token_key, family_key, hex,
                                     grant.family_id, grant.client_id, grant.subject, grant.scope,
                                     grant.audience, auth_time, expires, grant.sid);
  } else {
    reply = co_await client_.Command("EVAL", kIssue, "3", token_key, family_key, session_key, hex,
                                     grant.family_id, grant.client_id, grant.subject, grant.scope,
                                     grant.audience, auth_time, expires, grant.sid);
  }
  if (!reply) co_return reply.error();
  auto done = reply->AsInteger();
  if (!done) co_return done.error();
  co_return Result<void>();
}

net::awaitable<Result<RotateResult>> RedisRefreshTokenStore::Rotate(std::string old_hash,
                                                                    std::string new_hash,
                                                                    WallTime new_expires,
                                                                    WallTime now) {
  const std::string new_hex = internal::HexOf(new_hash);
  const std::string old_key = TokenKey(old_hash);
  const std::string new_key = token_prefix_ + new_hex;
  const std::string expires = std::to_string(ToUnixSeconds(new_expires));
  const std::string now_s = std::to_string(ToUnixSeconds(now));
  auto reply = co_await client_.Command("EVAL", kRotate, "2", old_key, new_key, token_prefix_,
                                        new_hex, expires, now_s);
  if (!reply) co_return reply.error();
  auto status = StatusOf(*reply);
  if (!status) co_return status.error();
  if (*status == 0) co_return RotateResult{};
  if (*status != 1 && *status != 2) co_return Errc::kReplyType;
  auto grant = GrantOf(*reply);
  if (!grant) co_return grant.error();
  if (*status == 1) {
    grant->expires = new_expires;
    co_return RotateResult{RotateStatus::kRotated, std::move(*grant)};
  }
  const auto& items = reply->elements();
  auto ends = items.size() == 9 ? ParseInt(items[7].str()) : std::nullopt;
  if (!ends) co_return Errc::kReplyType;
  grant->expires = FromUnixSeconds(*ends);
  co_return RotateResult{RotateStatus::kReused, std::move(*grant)};
}

net::awaitable<Result<std::optional<RefreshGrant>>> RedisRefreshTokenStore::Find(
    std::string token_hash, WallTime now) {
  const std::string token_key = TokenKey(token_hash);
  const std::string now_s = std::to_string(ToUnixSeconds(now));
  auto reply = co_await client_.Command("EVAL", kFind, "1", token_key, now_s);
  if (!reply) co_return reply.error();
  auto status = StatusOf(*reply);
  if (!status) co_return status.error();
  if (*status == 0) co_return std::optional<RefreshGrant>();
  auto grant = GrantOf(*reply);
  if (!grant) co_return grant.error();
  const auto& items = reply->elements();
  auto expires = items.size() == 9 ? ParseInt(items[7].str()) : std::nullopt;
  if (!expires) co_return Errc::kReplyType;
  grant->expires = FromUnixSeconds(*expires);
  co_return std::optional<RefreshGrant>(std::move(*grant));
}

net::awaitable<Result<void>> RedisRefreshTokenStore::RevokeFamily(std::string family_id) {
  const std::string family_key = FamilyKey(family_id);
  auto reply = co_await client_.Command("EVAL", kRevokeFamily, "1", family_key, token_prefix_);
  if (!reply) co_return reply.error();
  auto done = reply->AsInteger();
  if (!done) co_return done.error();
  co_return Result<void>();
}

net::awaitable<Result<std::size_t>> RedisRefreshTokenStore::RevokeSession(std::string sid,
                                                                          WallTime now) {
  if (sid.empty()) co_return std::size_t{0};  // families without a session are never grouped
  const std::string session_key = SessionKey(sid);
  const std::string now_s = std::to_string(ToUnixSeconds(now));
  auto reply =
      co_await client_.Command("EVAL", kRevokeSession, "1", session_key, token_prefix_, now_s);
  if (!reply) co_return reply.error();
  auto revoked = reply->AsInteger();
  if (!revoked) co_return revoked.error();
  if (*revoked < 0) co_return Errc::kReplyType;
  co_return static_cast<std::size_t>(*revoked);
}

}  // namespace signet::store

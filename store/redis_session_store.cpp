#include "store/redis_session_store.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "store/internal/redis_key_name.hpp"

namespace signet::store {
namespace {

namespace net = boost::asio;

// KEYS: session, subject index. ARGV: session key prefix, session hex, sid, subject,
// auth_time, expires, client ids... The index forgets sessions that ended or expired, so it
// holds the subject's live sessions only, and lives as long as the last of them.
constexpr std::string_view kCreate = R"lua(
local old_index = redis.call('HGET', KEYS[1], 'index')
if old_index then redis.call('ZREM', old_index, ARGV[2]) end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'sid', ARGV[3], 'subject', ARGV[4], 'auth_time', ARGV[5],
           'expires', ARGV[6], 'index', KEYS[2])
for i = 7, #ARGV do redis.call('HSET', KEYS[1], 'c:' .. ARGV[i], '1') end
redis.call('EXPIREAT', KEYS[1], ARGV[6])
for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  if redis.call('EXISTS', ARGV[1] .. member) == 0 then redis.call('ZREM', KEYS[2], member) end
end
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[2])
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
redis.call('EXPIREAT', KEYS[2], string.format('%d', tonumber(last[2])))
return 1
)lua";

// Reads a session hash into {1, sid, subject, auth_time, expires, client ids...} (or nil when
// the key does not exist), plus its index key.
#define SIGNET_LUA_READ_SESSION                                                     \
  "local function read_session(key)\n"                                            \
  "  local fields = redis.call('HGETALL', key)\n"                                 \
  "  if #fields == 0 then return nil end\n"                                       \
  "  local s = {}\n"                                                              \
  "  local clients = {}\n"                                                        \
  "  for i = 1, #fields, 2 do\n"                                                  \
  "    if string.sub(fields[i], 1, 2) == 'c:' then\n"                             \
  "      clients[#clients + 1] = string.sub(fields[i], 3)\n"                      \
  "    else\n"                                                                    \
  "      s[fields[i]] = fields[i + 1]\n"                                          \
  "    end\n"                                                                     \
  "  end\n"                                                                       \
  "  local reply = {1, s['sid'] or '', s['subject'] or '', s['auth_time'] or '',\n" \
  "                 s['expires'] or ''}\n"                                        \
  "  for _, c in ipairs(clients) do reply[#reply + 1] = c end\n"                  \
  "  return reply, s['index']\n"                                                  \
  "end\n"

// KEYS: session. ARGV: now. Returns {0} or the session.
constexpr std::string_view kFind = SIGNET_LUA_READ_SESSION R"lua(
local session = read_session(KEYS[1])
if (not session) or (tonumber(session[5]) or 0) <= tonumber(ARGV[1]) then return {0} end
return session
)lua";

// KEYS: session. ARGV: client_id, now. Returns 1 when added (or present), 0 without a session.
constexpr std::string_view kAddClient = R"lua(
local expires = redis.call('HGET', KEYS[1], 'expires')
if (not expires) or tonumber(expires) <= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'c:' .. ARGV[1], '1')
return 1
)lua";

// KEYS: session. ARGV: session hex. Returns {0} or the ended session.
constexpr std::string_view kEnd = SIGNET_LUA_READ_SESSION R"lua(
local session, index = read_session(KEYS[1])
if not session then return {0} end
if index then redis.call('ZREM', index, ARGV[1]) end
redis.call('DEL', KEYS[1])
return session
)lua";

// KEYS: subject index. ARGV: session key prefix. Returns how many sessions it removed.
constexpr std::string_view kEndAllForSubject = R"lua(
local ended = 0
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  ended = ended + redis.call('DEL', ARGV[1] .. member)
end
redis.call('DEL', KEYS[1])
return ended
)lua";

#undef SIGNET_LUA_READ_SESSION

std::optional<std::int64_t> ParseInt(std::string_view text) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// {0} -> nullopt; {1, sid, subject, auth_time, expires, client ids...} -> the session.
Result<std::optional<LoginSession>> SessionOf(const RedisReply& reply) {
  if (reply.IsError()) return Errc::kServerError;
  const auto& items = reply.elements();
  if (reply.type() != RedisReply::Type::kArray || items.empty() ||
      items[0].type() != RedisReply::Type::kInteger) {
    return Errc::kReplyType;
  }
  if (items[0].integer() == 0) return std::optional<LoginSession>();
  if (items[0].integer() != 1 || items.size() < 5) return Errc::kReplyType;
  for (std::size_t i = 1; i < items.size(); ++i) {
    if (items[i].type() != RedisReply::Type::kString) return Errc::kReplyType;
  }
  const auto auth_time = ParseInt(items[3].str());
  const auto expires = ParseInt(items[4].str());
  if (!auth_time || !expires) return Errc::kReplyType;
  LoginSession session{.sid = items[1].str(),
                       .subject = items[2].str(),
                       .auth_time = FromUnixSeconds(*auth_time),
                       .expires = FromUnixSeconds(*expires),
                       .client_ids = {}};
  for (std::size_t i = 5; i < items.size(); ++i) session.client_ids.push_back(items[i].str());
  std::sort(session.client_ids.begin(), session.client_ids.end());
  return std::optional<LoginSession>(std::move(session));
}

}  // namespace

RedisSessionStore::RedisSessionStore(RedisAsyncClient& client, std::string prefix)
    : client_(client), session_prefix_(prefix + "ss:"), subject_prefix_(prefix + "sss:") {}

std::string RedisSessionStore::SessionKey(std::string_view session_hash) const {
  return session_prefix_ + internal::HexOf(session_hash);
}

std::string RedisSessionStore::SubjectKey(std::string_view subject) const {
  return subject_prefix_ + internal::HexOf(internal::Sha256(subject));
}

net::awaitable<Result<void>> RedisSessionStore::Create(std::string session_hash,
                                                       LoginSession session) {
  const std::string hex = internal::HexOf(session_hash);
  const std::string session_key = session_prefix_ + hex;
  const std::string subject_key = SubjectKey(session.subject);
  const std::string auth_time = std::to_string(ToUnixSeconds(session.auth_time));
  const std::string expires = std::to_string(ToUnixSeconds(session.expires));
  std::vector<std::string_view> args{"EVAL",         kCreate,         "2",
                                     session_key,    subject_key,     session_prefix_,
                                     hex,            session.sid,     session.subject,
                                     auth_time,      expires};
  for (const auto& client_id : session.client_ids) args.emplace_back(client_id);
  auto reply = co_await client_.Command(std::span<const std::string_view>(args));
  if (!reply) co_return reply.error();
  auto done = reply->AsInteger();
  if (!done) co_return done.error();
  co_return Result<void>();
}

net::awaitable<Result<std::optional<LoginSession>>> RedisSessionStore::Find(
    std::string session_hash, WallTime now) {
  const std::string key = SessionKey(session_hash);
  const std::string now_s = std::to_string(ToUnixSeconds(now));
  auto reply = co_await client_.Command("EVAL", kFind, "1", key, now_s);
  if (!reply) co_return reply.error();
  co_return SessionOf(*reply);
}

net::awaitable<Result<bool>> RedisSessionStore::AddClient(std::string session_hash,
                                                          std::string client_id, WallTime now) {
  const std::string key = SessionKey(session_hash);
  const std::string now_s = std::to_string(ToUnixSeconds(now));
  auto reply = co_await client_.Command("EVAL", kAddClient, "1", key, client_id, now_s);
  if (!reply) co_return Result<bool>(boost::system::in_place_error, reply.error());
  auto added = reply->AsInteger();
  if (!added) co_return Result<bool>(boost::system::in_place_error, added.error());
  co_return *added == 1;
}

net::awaitable<Result<std::optional<LoginSession>>> RedisSessionStore::End(
    std::string session_hash) {
  const std::string hex = internal::HexOf(session_hash);
  const std::string key = session_prefix_ + hex;
  auto reply = co_await client_.Command("EVAL", kEnd, "1", key, hex);
  if (!reply) co_return reply.error();
  co_return SessionOf(*reply);
}

net::awaitable<Result<std::size_t>> RedisSessionStore::EndAllForSubject(std::string subject) {
  const std::string key = SubjectKey(subject);
  auto reply = co_await client_.Command("EVAL", kEndAllForSubject, "1", key, session_prefix_);
  if (!reply) co_return reply.error();
  auto ended = reply->AsInteger();
  if (!ended) co_return ended.error();
  if (*ended < 0) co_return Errc::kReplyType;
  co_return static_cast<std::size_t>(*ended);
}

}  // namespace signet::store

#include "store/redis_authorization_code_store.hpp"

#include <charconv>
#include <cstdint>
#include <optional>
#include <utility>

#include "store/internal/redis_key_name.hpp"

namespace signet::store {
namespace {

namespace net = boost::asio;

// KEYS: code. ARGV: client_id, redirect_uri, code_challenge, scope, nonce, subject,
// auth_time, sid, expires. An unused code is worthless after its expiry: it goes then.
constexpr std::string_view kIssue = R"lua(
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'client_id', ARGV[1], 'redirect_uri', ARGV[2],
           'code_challenge', ARGV[3], 'scope', ARGV[4], 'nonce', ARGV[5], 'subject', ARGV[6],
           'auth_time', ARGV[7], 'sid', ARGV[8], 'expires', ARGV[9], 'state', 'fresh')
redis.call('EXPIREAT', KEYS[1], ARGV[9])
return 1
)lua";

// RFC 6749 §4.1.2: single use; a second use is refused and must let the caller revoke what
// the first one issued, so a consumed code is kept (used) until its reuse window ends.
// KEYS: code. ARGV: now, reuse window (seconds).
// Returns {0} unknown, or {1 consumed | 2 reused, client_id, redirect_uri, code_challenge,
// scope, nonce, subject, auth_time, sid, expires, jti, jti_exp, family} ('' when unrecorded).
constexpr std::string_view kConsume = R"lua(
local code = redis.call('HMGET', KEYS[1], 'state', 'client_id', 'redirect_uri',
                        'code_challenge', 'scope', 'nonce', 'subject', 'auth_time', 'sid',
                        'expires', 'jti', 'jti_exp', 'family')
local state = code[1]
if not state then return {0} end
local now = tonumber(ARGV[1])
local expires = tonumber(code[10])
local status = 2
if state == 'fresh' then
  if expires <= now then
    redis.call('DEL', KEYS[1])
    return {0}
  end
  redis.call('HSET', KEYS[1], 'state', 'used')
  redis.call('EXPIREAT', KEYS[1], expires + tonumber(ARGV[2]))
  status = 1
else
  if expires + tonumber(ARGV[2]) <= now then
    redis.call('DEL', KEYS[1])
    return {0}
  end
  redis.call('HSET', KEYS[1], 'state', 'reused')
end
return {status, code[2], code[3], code[4], code[5], code[6], code[7], code[8], code[9],
        code[10], code[11] or '', code[12] or '', code[13] or ''}
)lua";

// KEYS: code. ARGV: jti, jti_exp, family. Returns 0 unknown, 1 recorded, 2 reused meanwhile.
constexpr std::string_view kRecordIssued = R"lua(
local state = redis.call('HGET', KEYS[1], 'state')
if (not state) or state == 'fresh' then return 0 end
redis.call('HSET', KEYS[1], 'jti', ARGV[1], 'jti_exp', ARGV[2], 'family', ARGV[3])
if state == 'reused' then return 2 end
return 1
)lua";

std::optional<std::int64_t> ParseInt(std::string_view text) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// The reply of kConsume: 13 elements, every one after the status a string.
Result<ConsumeResult> ConsumeResultOf(const RedisReply& reply) {
  if (reply.IsError()) return Errc::kServerError;
  const auto& items = reply.elements();
  if (reply.type() != RedisReply::Type::kArray || items.empty() ||
      items[0].type() != RedisReply::Type::kInteger) {
    return Errc::kReplyType;
  }
  const std::int64_t status = items[0].integer();
  if (status == 0) return ConsumeResult{};
  if ((status != 1 && status != 2) || items.size() != 13) return Errc::kReplyType;
  for (std::size_t i = 1; i < items.size(); ++i) {
    if (items[i].type() != RedisReply::Type::kString) return Errc::kReplyType;
  }
  const auto auth_time = ParseInt(items[7].str());
  const auto expires = ParseInt(items[9].str());
  if (!auth_time || !expires) return Errc::kReplyType;
  ConsumeResult result;
  result.status = status == 1 ? ConsumeStatus::kConsumed : ConsumeStatus::kReused;
  result.grant = {.client_id = items[1].str(),
                  .redirect_uri = items[2].str(),
                  .code_challenge = items[3].str(),
                  .scope = items[4].str(),
                  .nonce = items[5].str(),
                  .subject = items[6].str(),
                  .auth_time = FromUnixSeconds(*auth_time),
                  .sid = items[8].str(),
                  .expires = FromUnixSeconds(*expires)};
  if (status == 2 && !items[11].str().empty()) {
    const auto jti_exp = ParseInt(items[11].str());
    if (!jti_exp) return Errc::kReplyType;
    result.issued = IssuedFromCode{items[10].str(), FromUnixSeconds(*jti_exp), items[12].str()};
  }
  return result;
}

}  // namespace

RedisAuthorizationCodeStore::RedisAuthorizationCodeStore(RedisAsyncClient& client,
                                                         std::string prefix)
    : client_(client), code_prefix_(prefix + "ac:") {}

std::string RedisAuthorizationCodeStore::CodeKey(std::string_view code_hash) const {
  return code_prefix_ + internal::HexOf(code_hash);
}

net::awaitable<Result<void>> RedisAuthorizationCodeStore::Issue(std::string code_hash,
                                                                AuthorizationGrant grant) {
  const std::string key = CodeKey(code_hash);
  const std::string auth_time = std::to_string(ToUnixSeconds(grant.auth_time));
  const std::string expires = std::to_string(ToUnixSeconds(grant.expires));
  auto reply = co_await client_.Command("EVAL", kIssue, "1", key, grant.client_id,
                                        grant.redirect_uri, grant.code_challenge, grant.scope,
                                        grant.nonce, grant.subject, auth_time, grant.sid, expires);
  if (!reply) co_return reply.error();
  auto done = reply->AsInteger();
  if (!done) co_return done.error();
  co_return Result<void>();
}

net::awaitable<Result<ConsumeResult>> RedisAuthorizationCodeStore::Consume(std::string code_hash,
                                                                           WallTime now) {
  const std::string key = CodeKey(code_hash);
  const std::string now_s = std::to_string(ToUnixSeconds(now));
  const std::string window = std::to_string(kCodeReuseWindow.count());
  auto reply = co_await client_.Command("EVAL", kConsume, "1", key, now_s, window);
  if (!reply) co_return reply.error();
  co_return ConsumeResultOf(*reply);
}

net::awaitable<Result<RecordIssuedStatus>> RedisAuthorizationCodeStore::RecordIssued(
    std::string code_hash, IssuedFromCode issued) {
  const std::string key = CodeKey(code_hash);
  const std::string jti_exp = std::to_string(ToUnixSeconds(issued.access_expires));
  auto reply = co_await client_.Command("EVAL", kRecordIssued, "1", key, issued.access_jti,
                                        jti_exp, issued.refresh_family_id);
  if (!reply) co_return reply.error();
  auto status = reply->AsInteger();
  if (!status) co_return status.error();
  switch (*status) {
    case 0:
      co_return RecordIssuedStatus::kUnknown;
    case 1:
      co_return RecordIssuedStatus::kRecorded;
    case 2:
      co_return RecordIssuedStatus::kReused;
    default:
      co_return Errc::kReplyType;
  }
}

}  // namespace signet::store

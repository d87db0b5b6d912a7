#include "store/redis_revocation_store.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <utility>
#include <vector>

namespace signet::store {
namespace {

namespace net = boost::asio;

// KEYS: jti zset, revision. ARGV: jti, keep_until. Never lowers keep_until.
constexpr std::string_view kRevokeJti = R"lua(
local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
if current and tonumber(current) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return redis.call('INCR', KEYS[2])
)lua";

// KEYS: subject hash, subject zset, revision. ARGV: subject, cutoff, keep_until.
// Only a later cut-off changes anything; keep_until then never shrinks.
constexpr std::string_view kRevokeSubject = R"lua(
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and tonumber(current) >= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
local until_now = redis.call('ZSCORE', KEYS[2], ARGV[1])
if (not until_now) or tonumber(until_now) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
end
return redis.call('INCR', KEYS[3])
)lua";

// KEYS: jti zset, subject hash, subject zset. ARGV: jti, subject, iat, now.
constexpr std::string_view kIsRevoked = R"lua(
local until_jti = redis.call('ZSCORE', KEYS[1], ARGV[1])
if until_jti and tonumber(until_jti) > tonumber(ARGV[4]) then return 1 end
if ARGV[2] == '' then return 0 end
local cutoff = redis.call('HGET', KEYS[2], ARGV[2])
if not cutoff or tonumber(ARGV[3]) > tonumber(cutoff) then return 0 end
local until_sub = redis.call('ZSCORE', KEYS[3], ARGV[2])
if until_sub and tonumber(until_sub) > tonumber(ARGV[4]) then return 1 end
return 0
)lua";

// The pruning both Prune and Snapshot start with. KEYS: jti zset, subject hash, subject
// zset. ARGV: now. Removes what is past keep_until (a score <= now: IsRevoked counts an entry
// only while keep_until > now) and leaves the count in `pruned`.
constexpr std::string_view kPrunePart = R"lua(
local pruned = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local gone = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[1])
for _, subject in ipairs(gone) do redis.call('HDEL', KEYS[2], subject) end
pruned = pruned + redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[1])
)lua";

// KEYS and ARGV as kPrunePart. Returns the count.
const std::string& PruneScript() {
  static const std::string script = std::string(kPrunePart) + "return pruned\n";
  return script;
}

// KEYS: as kPrunePart, then the revision. ARGV: now.
// Prunes, then returns {revision, jtis WITHSCORES, subject hash}.
const std::string& SnapshotScript() {
  static const std::string script = std::string(kPrunePart) + R"lua(
local revision = redis.call('GET', KEYS[4]) or '0'
return {revision, redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES'),
        redis.call('HGETALL', KEYS[2])}
)lua";
  return script;
}

std::optional<std::int64_t> ParseInt(std::string_view text) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// An integer reply, or an error reply as kServerError.
Result<std::int64_t> IntegerOf(const Result<RedisReply>& reply) {
  if (!reply) return reply.error();
  return reply->AsInteger();
}

// Flat [name, seconds, name, seconds, ...] arrays (ZRANGE WITHSCORES, HGETALL), sorted by
// name. Scores come back as decimal strings; ours are whole seconds.
Result<std::vector<std::pair<std::string, WallTime>>> ParsePairs(const RedisReply& reply) {
  if (reply.type() != RedisReply::Type::kArray || reply.elements().size() % 2 != 0) {
    return Errc::kReplyType;
  }
  std::vector<std::pair<std::string, WallTime>> pairs;
  const auto& items = reply.elements();
  for (std::size_t i = 0; i < items.size(); i += 2) {
    auto seconds = ParseInt(items[i + 1].str());
    if (!seconds) return Errc::kReplyType;
    pairs.emplace_back(items[i].str(), FromUnixSeconds(*seconds));
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

Result<RevocationSnapshot> ParseSnapshot(const RedisReply& reply) {
  if (reply.type() != RedisReply::Type::kArray || reply.elements().size() != 3) {
    return Errc::kReplyType;
  }
  RevocationSnapshot snapshot;
  auto revision = ParseInt(reply.elements()[0].str());
  if (!revision || *revision < 0) return Errc::kReplyType;
  snapshot.revision = static_cast<std::uint64_t>(*revision);
  auto jtis = ParsePairs(reply.elements()[1]);
  if (!jtis) return jtis.error();
  for (auto& [jti, until] : *jtis) snapshot.jtis.push_back({std::move(jti), until});
  auto subjects = ParsePairs(reply.elements()[2]);
  if (!subjects) return subjects.error();
  for (auto& [subject, cutoff] : *subjects) {
    snapshot.subjects.push_back({std::move(subject), cutoff});
  }
  return snapshot;
}

}  // namespace

RedisRevocationStore::RedisRevocationStore(RedisAsyncClient& client, std::string prefix)
    : client_(client),
      jti_key_(prefix + "revoked:jti"),
      subject_key_(prefix + "revoked:sub"),
      subject_until_key_(prefix + "revoked:sub:until"),
      revision_key_(prefix + "revoked:rev") {}

net::awaitable<Result<void>> RedisRevocationStore::RevokeJti(std::string jti, WallTime keep_until) {
  const std::string until = std::to_string(ToUnixSeconds(keep_until));
  auto changed = IntegerOf(
      co_await client_.Command("EVAL", kRevokeJti, "2", jti_key_, revision_key_, jti, until));
  if (!changed) co_return changed.error();
  co_return Result<void>();
}

net::awaitable<Result<void>> RedisRevocationStore::RevokeSubject(std::string subject,
                                                                 WallTime cutoff,
                                                                 WallTime keep_until) {
  const std::string cut = std::to_string(ToUnixSeconds(cutoff));
  const std::string until = std::to_string(ToUnixSeconds(keep_until));
  auto changed =
      IntegerOf(co_await client_.Command("EVAL", kRevokeSubject, "3", subject_key_,
                                         subject_until_key_, revision_key_, subject, cut, until));
  if (!changed) co_return changed.error();
  co_return Result<void>();
}

net::awaitable<Result<bool>> RedisRevocationStore::IsRevoked(std::string jti, std::string subject,
                                                             WallTime issued_at, WallTime now) {
  const std::string iat = std::to_string(ToUnixSeconds(issued_at));
  const std::string now_s = std::to_string(ToUnixSeconds(now));
  auto revoked = IntegerOf(co_await client_.Command("EVAL", kIsRevoked, "3", jti_key_, subject_key_,
                                                    subject_until_key_, jti, subject, iat, now_s));
  if (!revoked) co_return Result<bool>(boost::system::in_place_error, revoked.error());
  co_return *revoked == 1;
}

net::awaitable<Result<std::uint64_t>> RedisRevocationStore::Revision() {
  auto reply = co_await client_.Command("GET", revision_key_);
  if (!reply) co_return reply.error();
  auto text = reply->AsOptionalString();
  if (!text) co_return text.error();
  auto value = ParseInt(text->value_or("0"));
  if (!value || *value < 0) co_return Errc::kReplyType;
  co_return static_cast<std::uint64_t>(*value);
}

net::awaitable<Result<RevocationSnapshot>> RedisRevocationStore::Snapshot(WallTime now) {
  const std::string now_s = std::to_string(ToUnixSeconds(now));
  auto reply = co_await client_.Command("EVAL", SnapshotScript(), "4", jti_key_, subject_key_,
                                        subject_until_key_, revision_key_, now_s);
  if (!reply) co_return reply.error();
  if (reply->IsError()) co_return Errc::kServerError;
  co_return ParseSnapshot(*reply);
}

net::awaitable<Result<std::size_t>> RedisRevocationStore::Prune(WallTime now) {
  const std::string now_s = std::to_string(ToUnixSeconds(now));
  auto pruned = IntegerOf(co_await client_.Command("EVAL", PruneScript(), "3", jti_key_,
                                                   subject_key_, subject_until_key_, now_s));
  if (!pruned) co_return pruned.error();
  if (*pruned < 0) co_return Errc::kReplyType;
  co_return static_cast<std::size_t>(*pruned);
}

}  // namespace signet::store

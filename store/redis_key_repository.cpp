#include "store/redis_key_repository.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include <openssl/rand.h>

#include "keys/key_codec.hpp"

namespace signet::store {
namespace {

// 128 random bits, hex: the revision written with every change. A counter (INCR) would
// restart after Redis lost its data and could climb back to a value a replica still holds
// for its old key set, which then never reloads; a random value never repeats (issue 4).
keys::Result<std::string> RandomRevision() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return keys::Errc::kRandomFailed;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string revision;
  revision.reserve(2 * bytes.size());
  for (unsigned char b : bytes) {
    revision.push_back(kHex[b >> 4]);
    revision.push_back(kHex[b & 0x0f]);
  }
  return revision;
}

}  // namespace

RedisKeyRepository::RedisKeyRepository(RedisSyncClient client, std::optional<keys::Kek> kek,
                                       std::string prefix)
    : client_(std::move(client)),
      kek_(std::move(kek)),
      hash_key_(prefix + "keys"),
      revision_key_(prefix + "keys:rev") {}

keys::Result<std::vector<keys::StoredKey>> RedisKeyRepository::LoadAll() {
  last_error_detail_.clear();
  auto reply = client_.Command("HGETALL", hash_key_);
  if (!reply) return reply.error();
  if (reply->IsError()) return Errc::kServerError;
  if (reply->type() != RedisReply::Type::kArray || reply->elements().size() % 2 != 0) {
    return Errc::kReplyType;
  }
  std::vector<std::pair<std::string, const std::string*>> entries;  // kid -> text, by kid
  const auto& items = reply->elements();
  for (std::size_t i = 0; i < items.size(); i += 2) {
    entries.emplace_back(items[i].str(), &items[i + 1].str());
  }
  std::sort(entries.begin(), entries.end());

  std::vector<keys::StoredKey> loaded;
  std::vector<std::string> to_rewrite;
  for (const auto& [kid, text] : entries) {
    keys::DecodeDetail detail;
    auto key = keys::DecodeStoredKey(*text, kek_ ? &*kek_ : nullptr, &detail);
    if (!key) {
      last_error_detail_ =
          detail.message.empty() ? "key " + kid + " in " + hash_key_ : detail.message;
      return key.error();
    }
    if (key->metadata.kid != kid) {  // a value stored under another kid's field
      last_error_detail_ = "key " + kid + " in " + hash_key_ + " holds another kid";
      return keys::Errc::kKeyFileInvalid;
    }
    if (detail.stored_in_clear && kek_) to_rewrite.push_back(kid);
    loaded.push_back(std::move(*key));
  }
  kids_to_rewrite_ = std::move(to_rewrite);
  return loaded;
}

keys::Result<void> RedisKeyRepository::Save(const keys::StoredKey& key) {
  last_error_detail_.clear();
  auto text = keys::EncodeStoredKey(key, kek_ ? &*kek_ : nullptr);
  if (!text) return text.error();
  const std::array<std::string_view, 4> change{"HSET", hash_key_, key.metadata.kid, *text};
  return Transaction(change);
}

keys::Result<void> RedisKeyRepository::Remove(const keys::KeyMetadata& metadata) {
  last_error_detail_.clear();
  const std::array<std::string_view, 3> change{"HDEL", hash_key_, metadata.kid};
  return Transaction(change);
}

keys::Result<std::string> RedisKeyRepository::Revision() {
  auto reply = client_.Command("GET", revision_key_);
  if (!reply) return reply.error();
  auto value = reply->AsOptionalString();
  if (!value) return value.error();
  return value->value_or("0");
}

// MULTI / change / SET rev <random> / EXEC. A transport failure in between drops the
// connection, and Redis discards a transaction whose connection closed before EXEC: all or
// nothing.
keys::Result<void> RedisKeyRepository::Transaction(std::span<const std::string_view> change) {
  auto revision = RandomRevision();
  if (!revision) return revision.error();
  auto multi = client_.Command("MULTI");
  if (!multi) return multi.error();
  if (auto ok = multi->ExpectStatus("OK"); !ok) return ok.error();
  auto queued = client_.Command(change);
  if (!queued) return queued.error();
  auto set = client_.Command("SET", revision_key_, *revision);
  if (!set) return set.error();
  auto exec = client_.Command("EXEC");
  if (!exec) return exec.error();
  if (exec->IsError() || queued->IsError() || set->IsError()) return Errc::kServerError;
  if (exec->type() != RedisReply::Type::kArray || exec->elements().size() != 2) {
    return Errc::kReplyType;
  }
  for (const RedisReply& result : exec->elements()) {
    if (result.IsError()) return Errc::kServerError;  // e.g. WRONGTYPE on a foreign key
  }
  return {};
}

}  // namespace signet::store

#include "store/redis_key_repository.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "keys/key_codec.hpp"

namespace signet::store {

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

// MULTI / change / INCR rev / EXEC. A transport failure in between drops the connection, and
// Redis discards a transaction whose connection closed before EXEC: all or nothing.
keys::Result<void> RedisKeyRepository::Transaction(std::span<const std::string_view> change) {
  auto multi = client_.Command("MULTI");
  if (!multi) return multi.error();
  if (auto ok = multi->ExpectStatus("OK"); !ok) return ok.error();
  auto queued = client_.Command(change);
  if (!queued) return queued.error();
  auto incr = client_.Command("INCR", revision_key_);
  if (!incr) return incr.error();
  auto exec = client_.Command("EXEC");
  if (!exec) return exec.error();
  if (exec->IsError() || queued->IsError() || incr->IsError()) return Errc::kServerError;
  if (exec->type() != RedisReply::Type::kArray || exec->elements().size() != 2) {
    return Errc::kReplyType;
  }
  for (const RedisReply& result : exec->elements()) {
    if (result.IsError()) return Errc::kServerError;  // e.g. WRONGTYPE on a foreign key
  }
  return {};
}

}  // namespace signet::store

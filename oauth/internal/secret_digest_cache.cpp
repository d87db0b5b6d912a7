#include "oauth/internal/secret_digest_cache.hpp"

#include <mutex>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "keys/secret.hpp"

namespace signet::oauth::internal {

namespace {

struct MacFree {
  void operator()(EVP_MAC* mac) const noexcept { EVP_MAC_free(mac); }
};

}  // namespace

void SecretDigestCache::MacCtxFree::operator()(EVP_MAC_CTX* ctx) const noexcept {
  EVP_MAC_CTX_free(ctx);  // cleanses the keyed state
}

Expected<std::unique_ptr<SecretDigestCache>> SecretDigestCache::Create() {
  std::unique_ptr<SecretDigestCache> cache(new SecretDigestCache());
  if (RAND_bytes(cache->key_.data(), static_cast<int>(cache->key_.size())) != 1) {
    return MakeError(ErrorCode::kServerError, "", "RAND_bytes failed for the secret cache key");
  }
  const std::unique_ptr<EVP_MAC, MacFree> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  if (!mac) return MakeError(ErrorCode::kServerError, "", "HMAC unavailable");
  cache->keyed_.reset(EVP_MAC_CTX_new(mac.get()));
  char digest_name[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string("digest", digest_name, 0),
      OSSL_PARAM_construct_end(),
  };
  if (!cache->keyed_ ||
      EVP_MAC_init(cache->keyed_.get(), cache->key_.data(), cache->key_.size(), params) != 1) {
    return MakeError(ErrorCode::kServerError, "", "HMAC-SHA256 initialisation failed");
  }
  return cache;
}

SecretDigestCache::~SecretDigestCache() { OPENSSL_cleanse(key_.data(), key_.size()); }

std::optional<SecretDigest> SecretDigestCache::DigestOf(std::string_view secret) const {
  // A private copy of the keyed template: the template itself is never written after
  // Create(), so concurrent calls share nothing mutable.
  const std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx(EVP_MAC_CTX_dup(keyed_.get()));
  SecretDigest digest{};
  std::size_t length = 0;
  if (!ctx ||
      EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size()) != 1 ||
      EVP_MAC_final(ctx.get(), digest.data(), &length, digest.size()) != 1 ||
      length != digest.size()) {
    return std::nullopt;
  }
  return digest;
}

bool SecretDigestCache::Equal(const SecretDigest& a, const SecretDigest& b) noexcept {
  return keys::ConstantTimeEquals(
      std::string_view(reinterpret_cast<const char*>(a.data()), a.size()),
      std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
}

bool SecretDigestCache::Matches(std::string_view client_id, const SecretDigest& digest) const {
  std::shared_lock lock(mutex_);
  const auto it = digests_.find(client_id);
  return it != digests_.end() && Equal(it->second, digest);
}

void SecretDigestCache::Remember(std::string_view client_id, const SecretDigest& digest) {
  std::unique_lock lock(mutex_);
  digests_.insert_or_assign(std::string(client_id), digest);
}

}  // namespace signet::oauth::internal

#include "oauth/internal/secret_digest_cache.hpp"

#include <mutex>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "keys/secret.hpp"

namespace signet::oauth::internal {

Expected<std::unique_ptr<SecretDigestCache>> SecretDigestCache::Create() {
  std::unique_ptr<SecretDigestCache> cache(new SecretDigestCache());
  if (RAND_bytes(cache->key_.data(), static_cast<int>(cache->key_.size())) != 1) {
    return MakeError(ErrorCode::kServerError, "", "RAND_bytes failed for the secret cache key");
  }
  return cache;
}

SecretDigestCache::~SecretDigestCache() { OPENSSL_cleanse(key_.data(), key_.size()); }

std::optional<SecretDigest> SecretDigestCache::DigestOf(std::string_view secret) const {
  SecretDigest digest{};
  unsigned int length = 0;
  // HMAC() is the one-shot EVP-backed API of OpenSSL 3 (not among the deprecated
  // HMAC_CTX functions).
  if (HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
           reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), digest.data(),
           &length) == nullptr ||
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

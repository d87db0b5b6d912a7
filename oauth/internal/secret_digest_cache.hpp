#pragma once
// Remembers client secrets that passed an argon2id check, as HMAC-SHA256 digests under a
// random key that lives only in this process, so that a client's next request costs one
// HMAC and one constant-time comparison instead of another argon2 run.
//
// Why a keyed digest and not the secret: the cache never holds a secret, and a digest read
// from a core dump is useless without the per-process key (which is cleansed on exit).
// The cache holds one entry per registered client at most (callers only Remember() after a
// successful check against a configured hash), so it needs no eviction.
//
// Usage:
//   auto cache = internal::SecretDigestCache::Create();
//   const auto digest = (*cache)->DigestOf(presented_secret);
//   if (digest && (*cache)->Matches(client_id, *digest)) ...        // fast path
//   else if (VerifyArgon2(...) && digest) (*cache)->Remember(client_id, *digest);

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include <openssl/types.h>

#include "oauth/error.hpp"

namespace signet::oauth::internal {

using SecretDigest = std::array<unsigned char, 32>;

class SecretDigestCache {
 public:
  // Draws the HMAC key from RAND_bytes; server_error if the CSPRNG fails.
  [[nodiscard]] static Expected<std::unique_ptr<SecretDigestCache>> Create();
  ~SecretDigestCache();
  SecretDigestCache(const SecretDigestCache&) = delete;
  SecretDigestCache& operator=(const SecretDigestCache&) = delete;

  // HMAC-SHA256(process key, secret); nullopt only if OpenSSL fails (allocation), in
  // which case callers must treat the secret as not matching. Thread-safe.
  std::optional<SecretDigest> DigestOf(std::string_view secret) const;

  // True when `digest` equals the remembered one for `client_id` (keys::ConstantTimeEquals).
  bool Matches(std::string_view client_id, const SecretDigest& digest) const;
  void Remember(std::string_view client_id, const SecretDigest& digest);

  // Constant-time equality of two digests.
  static bool Equal(const SecretDigest& a, const SecretDigest& b) noexcept;

 private:
  struct MacCtxFree {
    void operator()(EVP_MAC_CTX* ctx) const noexcept;
  };
  SecretDigestCache() = default;

  std::array<unsigned char, 32> key_{};
  // HMAC-SHA256 already keyed with key_: each digest duplicates it instead of fetching the
  // algorithm and expanding the key again (HMAC() one-shot cost ~20k instructions, callgrind).
  std::unique_ptr<EVP_MAC_CTX, MacCtxFree> keyed_;
  mutable std::shared_mutex mutex_;
  std::map<std::string, SecretDigest, std::less<>> digests_;
};

}  // namespace signet::oauth::internal

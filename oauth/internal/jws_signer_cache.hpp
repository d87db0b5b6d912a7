#pragma once
// The JWS signer of each active key, with its protected header already encoded.
//
// An access token's header ({"alg","kid","typ":"at+jwt"}, RFC 9068 §2.1) depends only on the
// key and typ, yet token::SignCompact encodes it again for every token (two JSON string
// dumps and a base64url: about 15k instructions per token, callgrind). This cache builds one
// token::JwsSigner per key the first time the key signs, and rebuilds it when the key ring's
// active key for that algorithm changes.
//
// Each entry holds the shared_ptr it was built from, so a cached pointer can never be reused
// by another key; at most one superseded key per algorithm stays alive until replaced.
//
// Usage (oauth/access_token_issuer.cpp):
//   internal::JwsSignerCache cache(token::kTypAccessToken);
//   auto jws = cache.For(active_signer);      // Result<std::shared_ptr<const JwsSigner>>
//   auto compact = (*jws)->Sign(payload);

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "keys/signer.hpp"
#include "token/jws.hpp"

namespace signet::oauth::internal {

class JwsSignerCache {
 public:
  explicit JwsSignerCache(std::string_view typ) : typ_(typ) {}
  JwsSignerCache(const JwsSignerCache&) = delete;
  JwsSignerCache& operator=(const JwsSignerCache&) = delete;

  // The signer for `signer` (non-null), built on first use. Thread-safe.
  [[nodiscard]] token::Result<std::shared_ptr<const token::JwsSigner>> For(
      const std::shared_ptr<const keys::Signer>& signer);

 private:
  struct Entry {
    std::shared_ptr<const keys::Signer> source;
    std::shared_ptr<const token::JwsSigner> jws;
  };

  const std::string typ_;
  std::mutex mutex_;
  std::vector<Entry> entries_;  // one per algorithm in use
};

}  // namespace signet::oauth::internal

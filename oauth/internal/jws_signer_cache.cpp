#include "oauth/internal/jws_signer_cache.hpp"

#include <algorithm>
#include <utility>

namespace signet::oauth::internal {

token::Result<std::shared_ptr<const token::JwsSigner>> JwsSignerCache::For(
    const std::shared_ptr<const keys::Signer>& signer) {
  std::lock_guard lock(mutex_);
  const auto same_key = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& entry) {
    return entry.source.get() == signer.get();
  });
  if (same_key != entries_.end()) return same_key->jws;

  // A copy of the Signer shares its key (PrivateKey holds the EVP_PKEY by shared_ptr).
  auto built = token::JwsSigner::Create(*signer, typ_);
  if (!built) return built.error();
  auto jws = std::make_shared<const token::JwsSigner>(std::move(*built));
  const auto same_alg = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& entry) {
    return entry.source->algorithm() == signer->algorithm();
  });
  if (same_alg != entries_.end()) {
    *same_alg = Entry{signer, jws};  // the ring rotated this algorithm's active key
  } else {
    entries_.push_back(Entry{signer, jws});
  }
  return jws;
}

}  // namespace signet::oauth::internal

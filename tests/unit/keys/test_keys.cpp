#include "tests/unit/keys/test_keys.hpp"

#include <map>
#include <mutex>
#include <stdexcept>

namespace signet::keys::testing {

const PrivateKey& CachedKey(Algorithm alg) {
  static std::mutex mutex;
  static std::map<Algorithm, PrivateKey> keys;
  std::lock_guard lock(mutex);
  auto it = keys.find(alg);
  if (it == keys.end()) {
    auto key = PrivateKey::Generate(alg);
    if (!key) throw std::runtime_error("key generation failed");
    it = keys.emplace(alg, std::move(*key)).first;
  }
  return it->second;
}

std::string AlgName(const ::testing::TestParamInfo<Algorithm>& info) {
  return std::string(JwaName(info.param));
}

}  // namespace signet::keys::testing

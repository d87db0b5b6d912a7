#include "keys/rotation_apply.hpp"

#include <algorithm>
#include <variant>

#include "keys/jwk_thumbprint.hpp"

namespace signet::keys {
namespace {

class Applier {
 public:
  Applier(KeyRepository& repository, std::span<const StoredKey> current, const KeySource& source)
      : repository_(repository), current_(current), source_(source) {}

  Result<void> operator()(const GenerateKeyAction& action) {
    auto key = source_(action.alg);
    if (!key) return key.error();
    if (key->algorithm() != action.alg) return Errc::kKeyTypeMismatch;
    auto fresh = MakeStoredKey(action, std::move(*key));
    if (!fresh) return fresh.error();
    return repository_.Save(*fresh);
  }

  Result<void> operator()(const UpdateKeyAction& action) {
    const auto it = std::find_if(current_.begin(), current_.end(), [&](const StoredKey& k) {
      return k.metadata.kid == action.metadata.kid && k.metadata.alg == action.metadata.alg;
    });
    if (it == current_.end()) return Errc::kKeyNotFound;
    return repository_.Save(StoredKey{action.metadata, it->key});
  }

  Result<void> operator()(const RemoveKeyAction& action) {
    return repository_.Remove(action.metadata);
  }

 private:
  KeyRepository& repository_;
  std::span<const StoredKey> current_;
  const KeySource& source_;
};

}  // namespace

Result<StoredKey> MakeStoredKey(const GenerateKeyAction& action, PrivateKey key) {
  auto members = ExportPublicMembers(key.public_key());
  if (!members) return members.error();
  KeyMetadata metadata{Rfc7638Thumbprint(*members), action.alg,    action.created,
                       action.activates,            action.retires, action.expires};
  return StoredKey{std::move(metadata), std::move(key)};
}

Result<void> ApplyRotationPlan(KeyRepository& repository, std::span<const StoredKey> current,
                               std::span<const RotationAction> actions,
                               const KeySource& source) {
  Applier applier(repository, current, source);
  for (const RotationAction& action : actions) {
    if (auto ok = std::visit(applier, action); !ok) return ok.error();
  }
  return {};
}

}  // namespace signet::keys

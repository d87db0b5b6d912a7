#include "config/key_timing.hpp"

#include <algorithm>

namespace signet::config {
namespace {

constexpr std::chrono::seconds kMaxAgeCap = std::chrono::hours(1);

}  // namespace

std::chrono::seconds JwksMaxAge(std::chrono::seconds publish_ahead) noexcept {
  return std::clamp(publish_ahead, std::chrono::seconds(0), kMaxAgeCap) / 2;
}

std::chrono::seconds KeyRetention(const Config& config) noexcept {
  return std::max(config.tokens.access_token_ttl, config.tokens.id_token_ttl) +
         config.tokens.leeway + JwksMaxAge(config.keys.publish_ahead);
}

std::chrono::milliseconds KeyPollInterval(std::chrono::seconds rotate_every) noexcept {
  using std::chrono::milliseconds;
  const milliseconds eighth = std::chrono::duration_cast<milliseconds>(rotate_every) / 8;
  return std::clamp(eighth, milliseconds(100), milliseconds(1000));
}

keys::RotationPolicy RotationPolicyFor(const Config& config) noexcept {
  keys::RotationPolicy policy;
  policy.rotate_every = config.keys.rotate_every;
  policy.publish_ahead = config.keys.publish_ahead;
  policy.retention = KeyRetention(config);
  policy.propagation =
      std::chrono::ceil<std::chrono::seconds>(2 * KeyPollInterval(config.keys.rotate_every));
  return policy;
}

}  // namespace signet::config

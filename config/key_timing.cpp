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

keys::RotationPolicy RotationPolicyFor(const Config& config) noexcept {
  keys::RotationPolicy policy;
  policy.rotate_every = config.keys.rotate_every;
  policy.publish_ahead = config.keys.publish_ahead;
  policy.retention = KeyRetention(config);
  return policy;
}

}  // namespace signet::config

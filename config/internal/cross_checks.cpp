// Checks that relate several sections. They run on a finished Config, after the per-field
// checks, and again after environment overrides.

#include <algorithm>
#include <string>

#include "config/internal/sections.hpp"
#include "config/key_timing.hpp"
#include "config/key_names.hpp"

namespace signet::config::internal {
namespace {

bool Enabled(const Keys& keys, keys::Algorithm alg) {
  return std::find(keys.algorithms.begin(), keys.algorithms.end(), alg) != keys.algorithms.end();
}

// Only a key of an enabled algorithm exists in the key ring, so anything else could never sign.
void CheckEnabled(const Keys& keys, const std::optional<keys::Algorithm>& alg,
                  const std::string& path, ProblemList& problems) {
  if (!alg || Enabled(keys, *alg)) return;
  problems.Add(path, Errc::kAlgorithmNotEnabled,
               std::string(keys::JwaName(*alg)) +
                   " is not listed in keys.algorithms, so no key exists to sign with it");
}

}  // namespace

void CheckCrossFields(const Config& config, ProblemList& problems) {
  const std::string tokens_path(key::kTokens);
  const std::string keys_path(key::kKeys);
  if (!config.keys.algorithms.empty()) {
    CheckEnabled(config.keys, config.tokens.signing_alg, JoinPath(tokens_path, key::kSigningAlg),
                 problems);
    for (std::size_t i = 0; i < config.clients.size(); ++i) {
      const std::string client_path = IndexPath(key::kClients, i);
      const Client& client = config.clients[i];
      CheckEnabled(config.keys, client.access_token_signed_response_alg,
                   JoinPath(client_path, key::kAccessTokenSignedResponseAlg), problems);
      CheckEnabled(config.keys, client.id_token_signed_response_alg,
                   JoinPath(client_path, key::kIdTokenSignedResponseAlg), problems);
    }
  }
  // A next key must be published no earlier than the previous rotation, or two keys would
  // wait in "next" at once.
  if (config.keys.publish_ahead > config.keys.rotate_every) {
    problems.Add(JoinPath(keys_path, key::kPublishAhead), Errc::kConflictingSettings,
                 "publish_ahead (" + std::to_string(config.keys.publish_ahead.count()) +
                     "s) must not exceed rotate_every (" +
                     std::to_string(config.keys.rotate_every.count()) + "s)");
  }
  // issue 4: a next key must be in the JWKS for at least one cache lifetime of the JWKS before
  // it signs, or a verifier with a cached copy meets an unknown kid. With max-age =
  // min(publish_ahead, 1 h) / 2 this always holds; the check keeps it true if either changes.
  if (config.keys.publish_ahead < JwksMaxAge(config.keys.publish_ahead)) {
    problems.Add(JoinPath(keys_path, key::kPublishAhead), Errc::kConflictingSettings,
                 "publish_ahead (" + std::to_string(config.keys.publish_ahead.count()) +
                     "s) must not be shorter than the JWKS max-age (" +
                     std::to_string(JwksMaxAge(config.keys.publish_ahead).count()) + "s)");
  }
  // interface.md: the KEK is required with Redis, which stores private keys for every replica.
  if (!config.redis.url.empty() && config.keys.encryption_key_file.empty()) {
    problems.Add(JoinPath(keys_path, key::kEncryptionKeyFile), Errc::kMissingValue,
                 "required when redis.url is set: private keys in Redis are encrypted with it "
                 "(create one with `openssl rand 32 > kek`)");
  }
}

}  // namespace signet::config::internal

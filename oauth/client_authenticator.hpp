#pragma once
// Client authentication at the token endpoint (RFC 6749 §2.3).
//
// Supported: client_secret_basic (§2.3.1, Authorization: Basic with form-urlencoded id and
// secret), client_secret_post (§2.3.1, client_id + client_secret in the body) and `none`
// (public clients, RFC 7591 §2: client_id only). private_key_jwt is not implemented yet and
// fails as invalid_client.
//
// Rules enforced:
//  - one method per request (§2.3: "MUST NOT use more than one") -> invalid_request;
//  - the method used must be the client's registered token_endpoint_auth_method
//    -> invalid_client;
//  - unknown client, wrong secret and wrong method all give the same client-visible
//    invalid_client (the reason is only in Error::debug), and cost about the same time:
//    the secret is checked before the method, and an unknown client is checked against some
//    configured argon2 hash so that it costs one argon2 run, like a wrong secret;
//  - every comparison is constant time (CRYPTO_memcmp over HMAC digests, which also hides
//    the secret's length).
//
// Hashed secrets (client_secret_hash): the first correct secret costs one argon2id
// verification (through the injected AsyncSecretHashVerifier, which the server runs on a
// worker pool so that 20-40 ms of argon2 never block an I/O thread); its keyed digest is then
// remembered (internal::SecretDigestCache) and later requests with the same secret cost one HMAC. A
// wrong secret is always checked with argon2: the cache can only say "this is the secret that
// passed before", and answering a mismatch quickly would make a known client_id faster to reject
// than an unknown one. Failed attempts therefore stay expensive; limiting their rate is the
// server's job (the verifier may answer temporarily_unavailable when too many checks are pending;
// that error is passed on unchanged, for a known and an unknown client alike).
//
// Usage:
//   auto auth = oauth::ClientAuthenticator::Create(
//       registry, oauth::InlineVerifier(oauth::Argon2SecretVerifier()));
//   Expected<AuthenticatedClient> client = co_await (*auth)->Authenticate(request);

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "config/config.hpp"
#include "oauth/client_registry.hpp"
#include "oauth/error.hpp"
#include "oauth/internal/secret_digest_cache.hpp"
#include "oauth/token_request.hpp"

namespace signet::oauth {

// Checks `secret` against an argon2id encoding (keys::VerifyPassword in production).
// Injected so that tests can count runs. Must be thread-safe.
using SecretHashVerifier =
    std::function<bool(std::string_view encoded_hash, std::string_view secret)>;

// The production SecretHashVerifier: keys::VerifyPassword (argon2id, PHC encoding). A
// malformed encoding verifies nothing (the config loader rejects those at start-up).
SecretHashVerifier Argon2SecretVerifier();

// The same check as a coroutine, so that it can run elsewhere (server/secret_verifier_pool.hpp
// runs it on a worker pool): true/false, or an Error such as temporarily_unavailable when the
// check cannot run now. The views must stay valid until the awaitable completes (callers
// co_await it at once; both point into the registry and the request).
using AsyncSecretHashVerifier = std::function<boost::asio::awaitable<Expected<bool>>(
    std::string_view encoded_hash, std::string_view secret)>;

// Runs `verify` on the awaiting thread (tests, tools, and anything not on an event loop).
AsyncSecretHashVerifier InlineVerifier(SecretHashVerifier verify);

struct AuthenticatedClient {
  const config::Client* client = nullptr;  // points into the registry's configuration
  config::TokenEndpointAuthMethod method = config::TokenEndpointAuthMethod::kNone;
};

class ClientAuthenticator {
 public:
  // `registry` must outlive the authenticator. server_error if the CSPRNG fails.
  [[nodiscard]] static Expected<std::unique_ptr<ClientAuthenticator>> Create(
      const ClientRegistry& registry, AsyncSecretHashVerifier verify_hash);

  // Thread-safe. `request` must stay valid until the awaitable completes.
  [[nodiscard]] boost::asio::awaitable<Expected<AuthenticatedClient>> Authenticate(
      const TokenRequest& request) const;

  // The registered client named by the request (Basic user-id or body client_id), or
  // nullptr; lets callers log a client_id only when it is one of ours (an unknown value
  // may be a secret pasted into the wrong field).
  const config::Client* ClaimedClient(const TokenRequest& request) const;

 private:
  ClientAuthenticator(const ClientRegistry& registry, AsyncSecretHashVerifier verify_hash,
                      std::unique_ptr<internal::SecretDigestCache> cache)
      : registry_(registry), verify_hash_(std::move(verify_hash)), cache_(std::move(cache)) {}

  boost::asio::awaitable<Expected<bool>> SecretMatches(const config::Client& client,
                                                       std::string_view secret) const;
  // What a wrong secret costs, for a client_id that is not registered; an Error only when
  // the verifier cannot run now (temporarily_unavailable).
  boost::asio::awaitable<std::optional<Error>> SpendComparableTime(std::string_view secret) const;

  const ClientRegistry& registry_;
  AsyncSecretHashVerifier verify_hash_;
  std::unique_ptr<internal::SecretDigestCache> cache_;
  // Digests of plain client_secret values (development configs), computed once.
  std::map<std::string, internal::SecretDigest, std::less<>> plain_digests_;
  internal::SecretDigest dummy_digest_{};
};

}  // namespace signet::oauth

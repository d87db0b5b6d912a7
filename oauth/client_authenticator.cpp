#include "oauth/client_authenticator.hpp"

#include <memory>

#include "keys/password_hash.hpp"
#include "oauth/internal/basic_credentials.hpp"

namespace signet::oauth {
namespace {

using config::TokenEndpointAuthMethod;

// The credentials a request presents, before looking the client up.
struct Presented {
  std::string client_id;
  std::string secret;
  TokenEndpointAuthMethod method = TokenEndpointAuthMethod::kNone;
  bool used_basic = false;
};

// One description for every authentication failure, so that a response never tells an
// unknown client_id from a wrong secret or a wrong method (the reason goes to `debug`).
constexpr std::string_view kAuthFailed = "client authentication failed";

Error AuthFailed(bool used_basic, std::string debug) {
  Error error = MakeError(ErrorCode::kInvalidClient, std::string(kAuthFailed), std::move(debug));
  error.client_used_basic_auth = used_basic;
  return error;
}

Error WithBasicFlag(Error error, bool used_basic) {
  error.client_used_basic_auth = used_basic;
  return error;
}

Expected<Presented> ExtractCredentials(const TokenRequest& request) {
  auto basic = internal::ParseBasicAuthorization(request.authorization());
  if (!basic) return basic.error();
  const bool used_basic = basic->has_value();
  const auto body_id = request.Get("client_id");
  const auto body_secret = request.Get("client_secret");
  // RFC 7521 §4.2 / RFC 7523 §2.2 client assertions (private_key_jwt).
  const bool used_assertion =
      request.Has("client_assertion") || request.Has("client_assertion_type");

  // RFC 6749 §2.3: "The client MUST NOT use more than one authentication method in each
  // request."
  if (static_cast<int>(used_basic) + static_cast<int>(body_secret.has_value()) +
          static_cast<int>(used_assertion) >
      1) {
    return WithBasicFlag(
        MakeError(ErrorCode::kInvalidRequest, "more than one client authentication method used"),
        used_basic);
  }
  if (used_basic) {
    Presented presented{std::move((*basic)->client_id), std::move((*basic)->client_secret),
                        TokenEndpointAuthMethod::kClientSecretBasic, true};
    // A client_id in the body is allowed alongside Basic but must name the same client.
    if (body_id && *body_id != presented.client_id) {
      return WithBasicFlag(MakeError(ErrorCode::kInvalidRequest,
                                     "client_id does not match the Authorization header"),
                           true);
    }
    return presented;
  }
  if (used_assertion) {
    return AuthFailed(false, "client assertions (private_key_jwt) are not supported yet");
  }
  if (!body_id) {
    // No credentials at all: RFC 6749 §5.2 "no client authentication included".
    return MakeError(ErrorCode::kInvalidClient, "client authentication required",
                     "no Authorization header and no client_id");
  }
  if (body_secret) {
    return Presented{std::string(*body_id), std::string(*body_secret),
                     TokenEndpointAuthMethod::kClientSecretPost, false};
  }
  return Presented{std::string(*body_id), {}, TokenEndpointAuthMethod::kNone, false};
}

bool UsesSecret(TokenEndpointAuthMethod method) noexcept {
  return method == TokenEndpointAuthMethod::kClientSecretBasic ||
         method == TokenEndpointAuthMethod::kClientSecretPost;
}

}  // namespace

SecretHashVerifier Argon2SecretVerifier() {
  return [](std::string_view encoded_hash, std::string_view secret) {
    const auto matches = keys::VerifyPassword(encoded_hash, secret);
    return matches.has_value() && *matches;
  };
}

namespace {

// A coroutine with its state in parameters (a capturing lambda coroutine would refer to a
// closure that may be gone when it resumes).
boost::asio::awaitable<Expected<bool>> VerifyInline(
    std::shared_ptr<const SecretHashVerifier> verify, std::string_view encoded_hash,
    std::string_view secret) {
  co_return (*verify)(encoded_hash, secret);
}

}  // namespace

AsyncSecretHashVerifier InlineVerifier(SecretHashVerifier verify) {
  auto shared = std::make_shared<const SecretHashVerifier>(std::move(verify));
  return [shared](std::string_view encoded_hash, std::string_view secret) {
    return VerifyInline(shared, encoded_hash, secret);
  };
}

Expected<std::unique_ptr<ClientAuthenticator>> ClientAuthenticator::Create(
    const ClientRegistry& registry, AsyncSecretHashVerifier verify_hash) {
  auto cache = internal::SecretDigestCache::Create();
  if (!cache) return cache.error();
  std::unique_ptr<ClientAuthenticator> auth(
      new ClientAuthenticator(registry, std::move(verify_hash), std::move(*cache)));
  // The dummy digest is the HMAC of nothing anybody knows: 32 fresh random bytes would do
  // as well, but any HMAC output is unguessable without the process key.
  auto dummy = auth->cache_->DigestOf("signet: no such client");
  if (!dummy) return MakeError(ErrorCode::kServerError, "", "HMAC failed at startup");
  auth->dummy_digest_ = *dummy;
  for (const config::Client& client : registry.clients()) {
    if (client.client_secret.empty() || !client.client_secret_hash.empty()) continue;
    auto digest = auth->cache_->DigestOf(client.client_secret);
    if (!digest) return MakeError(ErrorCode::kServerError, "", "HMAC failed at startup");
    auth->plain_digests_.emplace(client.client_id, *digest);
  }
  return auth;
}

const config::Client* ClientAuthenticator::ClaimedClient(const TokenRequest& request) const {
  auto basic = internal::ParseBasicAuthorization(request.authorization());
  if (basic && basic->has_value()) return registry_.Find((*basic)->client_id);
  const auto body_id = request.Get("client_id");
  return body_id ? registry_.Find(*body_id) : nullptr;
}

boost::asio::awaitable<Expected<AuthenticatedClient>> ClientAuthenticator::Authenticate(
    const TokenRequest& request) const {
  auto presented = ExtractCredentials(request);
  if (!presented) co_return presented.error();
  const bool used_basic = presented->used_basic;
  const bool uses_secret = UsesSecret(presented->method);

  const config::Client* client = registry_.Find(presented->client_id);
  if (client == nullptr) {
    if (uses_secret) {
      std::optional<Error> busy = co_await SpendComparableTime(presented->secret);
      if (busy) co_return WithBasicFlag(std::move(*busy), used_basic);
    }
    co_return AuthFailed(used_basic, "unknown client_id");
  }
  // Check the secret before the method so that a wrong method costs what a wrong secret
  // costs and does not reveal that the client exists.
  if (uses_secret) {
    auto matches = co_await SecretMatches(*client, presented->secret);
    if (!matches) co_return WithBasicFlag(matches.error(), used_basic);
    if (!*matches) co_return AuthFailed(used_basic, "wrong client secret");
  }
  if (presented->method != client->token_endpoint_auth_method) {
    co_return AuthFailed(
        used_basic, std::string("client used ") + std::string(AuthMethodName(presented->method)) +
                        ", registered method is " +
                        std::string(AuthMethodName(client->token_endpoint_auth_method)));
  }
  co_return AuthenticatedClient{client, presented->method};
}

boost::asio::awaitable<Expected<bool>> ClientAuthenticator::SecretMatches(
    const config::Client& client, std::string_view secret) const {
  const auto digest = cache_->DigestOf(secret);
  if (!client.client_secret_hash.empty()) {
    if (digest && cache_->Matches(client.client_id, *digest)) co_return true;
    auto verified = co_await verify_hash_(client.client_secret_hash, secret);
    if (!verified || !*verified) co_return verified;
    if (digest) cache_->Remember(client.client_id, *digest);
    co_return true;
  }
  const auto it = plain_digests_.find(client.client_id);
  if (it == plain_digests_.end() || !digest) {
    co_return false;  // no secret configured: a confidential method cannot succeed
  }
  co_return internal::SecretDigestCache::Equal(it->second, *digest);
}

boost::asio::awaitable<std::optional<Error>> ClientAuthenticator::SpendComparableTime(
    std::string_view secret) const {
  if (const config::Client* hashed = registry_.AnyHashedClient()) {
    auto verified = co_await verify_hash_(hashed->client_secret_hash, secret);
    if (!verified) co_return verified.error();
    co_return std::nullopt;
  }
  const auto digest = cache_->DigestOf(secret);
  if (digest) (void)internal::SecretDigestCache::Equal(dummy_digest_, *digest);
  co_return std::nullopt;
}

}  // namespace signet::oauth

#pragma once
// Verifies signet's own access tokens for the revocation and introspection endpoints
// (RFC 7009 §2.1, RFC 7662 §2.2): the signature against the key ring (every published key:
// next, active and retiring, so a token signed before a rotation still verifies), header typ
// "at+jwt" (RFC 9068 §2.1, so an ID token is never taken for an access token), the issuer,
// and exp / nbf / iat with the configured leeway (token::Validator).
//
// The key is chosen by the header's kid among the ring's keys and the algorithm comes from
// that key, never from the token (RFC 8725 §3.1). A token without a kid, or with one the ring
// does not hold, fails as kUnknownKid: signet always writes kid.
//
// Usage:
//   auto verifier = oauth::AccessTokenVerifier::Create(config, oauth::KeyRingSnapshots(ring),
//                                                      oauth::SystemClock());
//   auto jwt = verifier->Verify(token_text);
//   if (!jwt) ... jwt.error() is a token::Errc (kExpired, kUnknownKid, kMalformed, ...)

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "config/config.hpp"
#include "keys/key_ring.hpp"
#include "oauth/clock.hpp"
#include "oauth/error.hpp"
#include "token/validator.hpp"

namespace signet::oauth {

// The key set to verify with, taken once per request. Must be thread-safe.
using VerificationKeysFn = std::function<std::shared_ptr<const keys::KeySetSnapshot>()>;

// The production VerificationKeysFn: the ring's current snapshot. `ring` must outlive it.
VerificationKeysFn KeyRingSnapshots(const keys::KeyRing& ring);

class AccessTokenVerifier {
 public:
  // Uses config.issuer and config.tokens.leeway. server_error when `keys` or `clock` is
  // empty or the leeway is negative.
  [[nodiscard]] static Expected<AccessTokenVerifier> Create(const config::Config& config,
                                                            VerificationKeysFn keys, Clock clock);

  // Thread-safe.
  [[nodiscard]] token::Result<token::VerifiedJwt> Verify(std::string_view compact) const;

  std::chrono::seconds leeway() const noexcept { return validator_.options().leeway; }

 private:
  AccessTokenVerifier(VerificationKeysFn keys, token::Validator validator)
      : keys_(std::move(keys)), validator_(std::move(validator)) {}

  VerificationKeysFn keys_;
  token::Validator validator_;
};

}  // namespace signet::oauth

#pragma once
// CSRF tokens for the login form (issue 6 point 2; OWASP "HMAC based token pattern").
//
// The login page carries a hidden pending-request id (the authorization request waiting for
// the login) and a token = BASE64URL(HMAC-SHA256(key, context)) over that id and an optional
// browser binding. The POST is accepted only when the token recomputes, compared in constant
// time. Nothing needs to be stored per page.
//
// The binding: an id alone proves only that the form came from signet, not that it came to
// *this* browser. An attacker could start their own authorization request and make a victim's
// browser post it with the attacker's credentials (login CSRF). Passing a value bound to the
// browser (a random cookie set together with the login page) as `binding` closes that: the
// attacker's token does not verify with the victim's cookie.
//
// Keys: Create() draws a random per-process key (one node, no Redis). Replicas behind a load
// balancer must share the key (a form served by one is posted to another), so FromKek()
// derives it from the key-encryption key that every Redis deployment already shares
// (keys.encryption_key_file is required with redis.url): no extra secret to distribute, and
// a KEK rotation rotates the CSRF key too (forms open at that moment must be sent again).
//
// Usage:
//   auto csrf = oauth::LoginCsrf::Create();
//   auto token = (*csrf)->Issue(pending_id, cookie_value);             // into the form
//   if (!(*csrf)->Verify(form_pending_id, cookie_value, form_token)) ... // 400 / page again

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "keys/key_encryption.hpp"
#include "keys/secret.hpp"
#include "oauth/error.hpp"

namespace signet::oauth {

class LoginCsrf {
 public:
  static constexpr std::size_t kKeyLength = 32;  // HMAC-SHA256: a key of the hash's length

  // A random key (RAND_bytes); server_error if the CSPRNG fails.
  [[nodiscard]] static Expected<std::unique_ptr<LoginCsrf>> Create();
  // A configured key shared by replicas; invalid_request if shorter than kKeyLength bytes.
  [[nodiscard]] static Expected<std::unique_ptr<LoginCsrf>> FromKey(keys::SecretBytes key);
  // HKDF-Expand(KEK, "signet login csrf key v1", 32) (RFC 5869 §2.3; Extract is skipped, the
  // KEK being uniformly random already, §3.3): a key independent of the KEK's AES use.
  [[nodiscard]] static Expected<std::unique_ptr<LoginCsrf>> FromKek(const keys::Kek& kek);

  // The token for this pending request (43 base64url characters); server_error only when
  // OpenSSL fails.
  [[nodiscard]] Expected<std::string> Issue(std::string_view pending_id,
                                            std::string_view binding = {}) const;

  // True when `token` is the one Issue() gives for these values (constant-time comparison).
  bool Verify(std::string_view pending_id, std::string_view binding, std::string_view token) const;

 private:
  explicit LoginCsrf(keys::SecretBytes key) : key_(std::move(key)) {}

  keys::SecretBytes key_;
};

}  // namespace signet::oauth

#include "oauth/password_login.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "keys/password_hash.hpp"
#include "oauth/client_registry.hpp"
#include "oauth/opaque_secret.hpp"

namespace signet::oauth {
namespace {

constexpr std::string_view kInvalidCredentials = "invalid username or password";

// Constant-time equality of two clear-text passwords (development configs): compares
// fixed-size digests so that neither the content nor the length leaks through timing.
bool PlainPasswordEquals(std::string_view expected, std::string_view presented) {
  const std::string a = HashOpaqueSecret(expected);  // SHA-256, 32 bytes
  const std::string b = HashOpaqueSecret(presented);
  if (a.size() != 32 || b.size() != 32) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// Standard base64 without padding, as PHC strings carry salt and hash.
std::string UnpaddedBase64(const unsigned char* bytes, std::size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes,
                                      static_cast<int>(size));
  out.resize(static_cast<std::size_t>(written));
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

Error Unavailable(std::string debug) {
  return MakeError(ErrorCode::kTemporarilyUnavailable, "login temporarily unavailable",
                   std::move(debug));
}

}  // namespace

std::optional<std::string> DummyPasswordEncoding() {
  std::array<unsigned char, keys::kArgon2SaltBytes> salt{};
  std::array<unsigned char, keys::kArgon2HashBytes> hash{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1 ||
      RAND_bytes(hash.data(), static_cast<int>(hash.size())) != 1) {
    return std::nullopt;
  }
  return "$argon2id$v=19$m=" + std::to_string(keys::kArgon2MemoryKib) +
         ",t=" + std::to_string(keys::kArgon2Iterations) +
         ",p=" + std::to_string(keys::kArgon2Parallelism) + "$" +
         UnpaddedBase64(salt.data(), salt.size()) + "$" + UnpaddedBase64(hash.data(), hash.size());
}

PasswordLogin::PasswordLogin(const config::Config& config, PasswordLoginDeps deps)
    : config_(config),
      deps_(std::move(deps)),
      per_username_{config.login.max_failures_per_username, config.login.failure_window},
      per_ip_{config.login.max_failures_per_ip, config.login.failure_window} {}

Expected<std::unique_ptr<PasswordLogin>> PasswordLogin::Create(const config::Config& config,
                                                               PasswordLoginDeps deps) {
  if (!deps.verify_hash || deps.failures == nullptr || !deps.clock) {
    return MakeError(ErrorCode::kServerError, "", "PasswordLoginDeps is incomplete");
  }
  std::unique_ptr<PasswordLogin> login(new PasswordLogin(config, std::move(deps)));
  auto dummy = DummyPasswordEncoding();
  if (!dummy) return MakeError(ErrorCode::kServerError, "", "RAND_bytes failed for the dummy hash");
  login->dummy_hash_ = std::move(*dummy);
  return login;
}

boost::asio::awaitable<Expected<const config::User*>> PasswordLogin::Authenticate(
    std::string_view username, std::string_view password, std::string_view client_ip) const {
  std::string user_key = "user:" + std::string(username);
  std::string ip_key = "ip:" + std::string(client_ip);
  const auto now = deps_.clock();

  auto by_user = co_await deps_.failures->Check(user_key, per_username_, now);
  if (!by_user) co_return Unavailable("failure limiter: " + by_user.error().message());
  auto by_ip = co_await deps_.failures->Check(ip_key, per_ip_, now);
  if (!by_ip) co_return Unavailable("failure limiter: " + by_ip.error().message());
  if (by_user->blocked() || by_ip->blocked()) {
    co_return TooManyAttempts(std::max(by_user->retry_after, by_ip->retry_after),
                              by_user->blocked() ? "too many failures for this username"
                                                 : "too many failures from this address");
  }

  const config::User* user = FindUser(config_, username);
  auto matches = co_await PasswordMatches(user, password);
  if (!matches) co_return matches.error();
  if (user != nullptr && *matches) co_return user;

  co_await CountFailure(std::move(user_key), std::move(ip_key));
  co_return MakeError(ErrorCode::kInvalidGrant, std::string(kInvalidCredentials),
                      user == nullptr ? "unknown username" : "wrong password");
}

boost::asio::awaitable<Expected<bool>> PasswordLogin::PasswordMatches(
    const config::User* user, std::string_view password) const {
  if (user != nullptr && !user->password_hash.empty()) {
    co_return co_await deps_.verify_hash(user->password_hash, password);
  }
  // Unknown user or a clear-text development password: spend one argon2id run anyway.
  auto spent = co_await deps_.verify_hash(dummy_hash_, password);
  if (!spent) co_return spent.error();
  co_return user != nullptr && PlainPasswordEquals(user->password, password);
}

boost::asio::awaitable<void> PasswordLogin::CountFailure(std::string user_key,
                                                         std::string ip_key) const {
  // A counter that cannot be written loses one failure; the answer is invalid_grant either way.
  const auto now = deps_.clock();
  (void)co_await deps_.failures->RecordFailure(std::move(user_key), per_username_, now);
  (void)co_await deps_.failures->RecordFailure(std::move(ip_key), per_ip_, now);
}

}  // namespace signet::oauth

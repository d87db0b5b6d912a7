#include "oauth/access_token_issuer.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "keys/base64url.hpp"
#include "oauth/internal/json_text.hpp"
#include "oauth/scope.hpp"
#include "token/jws.hpp"
#include "token/jwt.hpp"

namespace signet::oauth {
namespace {

// RFC 9068 §2.2 / RFC 7519 §4.1.7: jti must be unique; 128 random bits make a collision
// negligible without any coordination between replicas.
constexpr std::size_t kJtiBytes = 16;

// Random bytes for jti values, drawn from RAND_bytes a block at a time per thread: one DRBG
// call (and its fork-detection getpid syscall) per kJtiPerBlock tokens instead of per token.
// A jti is public (it is in the token), so buffering its bytes exposes nothing.
constexpr std::size_t kJtiPerBlock = 64;

class JtiBytes {
 public:
  bool Next(std::array<unsigned char, kJtiBytes>& out) {
    if (used_ == block_.size()) {
      if (RAND_bytes(block_.data(), static_cast<int>(block_.size())) != 1) return false;
      used_ = 0;
    }
    std::copy_n(block_.begin() + static_cast<std::ptrdiff_t>(used_), kJtiBytes, out.begin());
    OPENSSL_cleanse(block_.data() + used_, kJtiBytes);  // each value is handed out once
    used_ += kJtiBytes;
    return true;
  }

 private:
  std::array<unsigned char, kJtiBytes * kJtiPerBlock> block_{};
  std::size_t used_ = block_.size();  // empty: the first call fills it
};

}  // namespace

TokenResponse ResponseFor(IssuedAccessToken issued, std::span<const std::string> scope) {
  TokenResponse response;
  response.access_token = std::move(issued.token);
  response.expires_in = issued.expires_in;
  response.scope = JoinScope(scope);
  response.jti = std::move(issued.jti);
  response.kid = std::move(issued.kid);
  return response;
}

std::optional<std::string> NewTokenId() {
  thread_local JtiBytes source;
  std::array<unsigned char, kJtiBytes> bytes{};
  if (!source.Next(bytes)) return std::nullopt;
  return keys::Base64UrlEncode(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string AccessTokenPayload(std::string_view issuer, const AccessTokenClaims& claims,
                               std::int64_t iat, std::int64_t exp, std::string_view jti) {
  using internal::AppendJsonKey;
  using internal::AppendJsonString;
  std::string out;
  out.reserve(256);
  out.push_back('{');
  AppendJsonKey(out, "iss");
  AppendJsonString(out, issuer);
  out.push_back(',');
  AppendJsonKey(out, "sub");
  AppendJsonString(out, claims.subject);
  out.push_back(',');
  AppendJsonKey(out, "aud");
  // RFC 7519 §4.1.3: a single audience may be a plain string.
  if (claims.audience.size() == 1) {
    AppendJsonString(out, claims.audience.front());
  } else {
    internal::AppendJsonStringArray(out, claims.audience);
  }
  out.push_back(',');
  AppendJsonKey(out, "exp");
  internal::AppendJsonInt(out, exp);
  out.push_back(',');
  AppendJsonKey(out, "iat");
  internal::AppendJsonInt(out, iat);
  out.push_back(',');
  AppendJsonKey(out, "jti");
  AppendJsonString(out, jti);
  out.push_back(',');
  AppendJsonKey(out, "client_id");
  AppendJsonString(out, claims.client->client_id);
  if (!claims.scope.empty()) {
    // RFC 9068 §2.2.3: space-delimited, as the scope parameter of RFC 6749 §3.3.
    out.push_back(',');
    AppendJsonKey(out, "scope");
    AppendJsonString(out, JoinScope(claims.scope));
  }
  out.push_back('}');
  return out;
}

ActiveSignerFn KeyRingSigners(const keys::KeyRing& ring) {
  return [&ring](keys::Algorithm alg) -> std::shared_ptr<const keys::Signer> {
    std::shared_ptr<const keys::KeySetSnapshot> snapshot = ring.Snapshot();
    const keys::Signer* signer = snapshot ? snapshot->ActiveSigner(alg) : nullptr;
    if (signer == nullptr) return nullptr;
    // Aliasing constructor: the pointer shares ownership of the whole snapshot.
    return std::shared_ptr<const keys::Signer>(std::move(snapshot), signer);
  };
}

AccessTokenIssuer::AccessTokenIssuer(const config::Config& config, ActiveSignerFn active_signer,
                                     Clock clock)
    : issuer_(config.issuer),
      userinfo_audience_(UserinfoAudience(config.issuer)),
      ttl_(config.tokens.access_token_ttl),
      default_alg_(config.tokens.signing_alg),
      active_signer_(std::move(active_signer)),
      clock_(std::move(clock)),
      jws_signers_(std::make_unique<internal::JwsSignerCache>(token::kTypAccessToken)) {}

keys::Algorithm AccessTokenIssuer::AlgorithmFor(const config::Client& client) const noexcept {
  return client.access_token_signed_response_alg.value_or(default_alg_);
}

std::string UserinfoAudience(std::string_view issuer) {
  return std::string(issuer) + "/oauth2/userinfo";
}

Expected<IssuedAccessToken> AccessTokenIssuer::Issue(const AccessTokenClaims& requested) const {
  // Only tokens with openid pay for the copy; client_credentials tokens take the fast path.
  AccessTokenClaims claims = requested;
  std::vector<std::string> with_userinfo;
  // (HasScope is a plain membership test: it serves the audience list as well.)
  if (HasScope(claims.scope, "openid") && !HasScope(claims.audience, userinfo_audience_)) {
    with_userinfo.assign(claims.audience.begin(), claims.audience.end());
    with_userinfo.push_back(userinfo_audience_);
    claims.audience = with_userinfo;
  }
  if (claims.client == nullptr || claims.audience.empty()) {
    return MakeError(ErrorCode::kServerError, "", "access token without client or audience");
  }
  const keys::Algorithm alg = AlgorithmFor(*claims.client);
  const std::shared_ptr<const keys::Signer> signer = active_signer_(alg);
  if (!signer) {
    return MakeError(ErrorCode::kServerError, "",
                     "no active signing key for " + std::string(keys::JwaName(alg)));
  }
  auto jti = NewTokenId();
  if (!jti) return MakeError(ErrorCode::kServerError, "", "RAND_bytes failed for jti");

  const auto now = std::chrono::floor<std::chrono::seconds>(clock_());
  const std::int64_t iat = now.time_since_epoch().count();
  const std::int64_t exp = iat + ttl_.count();
  const std::string payload = AccessTokenPayload(issuer_, claims, iat, exp, *jti);

  // RFC 9068 §2.1: typ "at+jwt", so that an access token cannot pass for an ID token.
  auto jws = jws_signers_->For(signer);
  if (!jws) {
    return MakeError(ErrorCode::kServerError, "",
                     "encoding the access token header failed: " + jws.error().message());
  }
  auto compact = (*jws)->Sign(std::string_view(payload));
  if (!compact) {
    return MakeError(ErrorCode::kServerError, "",
                     "signing the access token failed: " + compact.error().message());
  }
  return IssuedAccessToken{std::move(*compact), std::move(*jti), signer->kid(), alg, ttl_};
}

}  // namespace signet::oauth

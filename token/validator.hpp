#pragma once
// JWT validation policy (RFC 7519 §7.2, RFC 8725 §3, RFC 9068 §4): signature through
// token/jws.hpp, then header typ and the time and identity claims.
//
// Usage (resource server, or `signet token verify`):
//   token::ValidatorOptions options;
//   options.issuer = "https://id.example.com";
//   options.audiences = {"https://api.example.com"};
//   options.typ = "at+jwt";
//   auto validator = token::Validator::Create(options);          // system clock
//   auto jwt = validator->Verify(compact, jwk_set);
//   if (jwt) use(jwt->claims()); else log(jwt.error().message());
//
// Rules, in order: typ (when expected; compared as a media type: case-insensitive, an
// "application/" prefix ignored, RFC 7515 §4.1.9); exp required, now < exp + leeway;
// nbf (optional) <= now + leeway; iat (optional) <= now + leeway; iss equal to the
// expected issuer (when set; then required); aud contains an accepted audience (when any
// is set; then required).

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "jwks/jwk_set.hpp"
#include "token/errc.hpp"
#include "token/jws.hpp"

namespace signet::token {

using Clock = std::function<std::chrono::system_clock::time_point()>;

// std::chrono::system_clock::now, the default clock.
Clock SystemClock();

struct ValidatorOptions {
  std::string issuer;                  // expected "iss"; empty: not checked
  std::vector<std::string> audiences;  // accepted "aud" values; empty: not checked
  std::chrono::seconds leeway{30};     // clock skew allowed on exp, nbf and iat (>= 0)
  std::string typ;                     // expected header "typ"; empty: not checked
};

// A JWT whose signature and claims passed validation. Only a Validator creates one.
class VerifiedJwt {
 public:
  const nlohmann::json& header() const noexcept { return header_; }
  const nlohmann::json& claims() const noexcept { return claims_; }
  const std::string& kid() const noexcept { return kid_; }
  keys::Algorithm algorithm() const noexcept { return alg_; }

  // A string claim, or nullopt when absent or not a string.
  std::optional<std::string> StringClaim(std::string_view name) const;
  std::optional<std::string> subject() const { return StringClaim("sub"); }
  std::optional<std::string> issuer() const { return StringClaim("iss"); }
  std::optional<std::string> jwt_id() const { return StringClaim("jti"); }
  // exp as seconds since the epoch (validation guarantees it is present).
  double expiration() const noexcept { return exp_; }

 private:
  friend class Validator;
  VerifiedJwt(VerifiedJws jws, nlohmann::json claims, double exp)
      : header_(std::move(jws.header)),
        claims_(std::move(claims)),
        kid_(std::move(jws.kid)),
        alg_(jws.alg),
        exp_(exp) {}

  nlohmann::json header_;
  nlohmann::json claims_;
  std::string kid_;
  keys::Algorithm alg_;
  double exp_;
};

class Validator {
 public:
  // kInvalidOptions when leeway is negative or the clock is empty.
  [[nodiscard]] static Result<Validator> Create(ValidatorOptions options,
                                                Clock clock = SystemClock());

  // VerifyCompact against `keys`, then Validate.
  [[nodiscard]] Result<VerifiedJwt> Verify(std::string_view compact,
                                           const jwks::JwkSet& keys) const;
  // Claims checks on an already signature-verified JWS.
  [[nodiscard]] Result<VerifiedJwt> Validate(VerifiedJws jws) const;

  const ValidatorOptions& options() const noexcept { return options_; }

 private:
  Validator(ValidatorOptions options, Clock clock)
      : options_(std::move(options)), clock_(std::move(clock)) {}

  [[nodiscard]] Result<void> CheckTyp(const nlohmann::json& header) const;
  [[nodiscard]] Result<double> CheckTimes(const nlohmann::json& claims) const;
  [[nodiscard]] Result<void> CheckIssuerAndAudience(const nlohmann::json& claims) const;

  ValidatorOptions options_;
  Clock clock_;
};

}  // namespace signet::token

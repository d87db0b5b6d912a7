#include "token/validator.hpp"

#include <algorithm>
#include <cctype>

#include "token/jwt.hpp"

namespace signet::token {
namespace {

// RFC 7515 §4.1.9: typ is a media type; compare case-insensitively and treat "at+jwt" and
// "application/at+jwt" as the same value (the prefix may be omitted when no other '/').
std::string NormalizeMediaType(std::string_view value) {
  std::string out(value);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  constexpr std::string_view kPrefix = "application/";
  if (out.size() > kPrefix.size() && out.compare(0, kPrefix.size(), kPrefix) == 0 &&
      out.find('/', kPrefix.size()) == std::string::npos) {
    out.erase(0, kPrefix.size());
  }
  return out;
}

}  // namespace

Clock SystemClock() {
  return [] { return std::chrono::system_clock::now(); };
}

std::optional<std::string> VerifiedJwt::StringClaim(std::string_view name) const {
  const auto it = claims_.find(name);
  if (it == claims_.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

Result<Validator> Validator::Create(ValidatorOptions options, Clock clock) {
  if (options.leeway < std::chrono::seconds::zero() || !clock) return Errc::kInvalidOptions;
  return Validator(std::move(options), std::move(clock));
}

Result<VerifiedJwt> Validator::Verify(std::string_view compact, const jwks::JwkSet& keys) const {
  auto jws = VerifyCompact(compact, keys);
  if (!jws) return jws.error();
  return Validate(std::move(*jws));
}

Result<VerifiedJwt> Validator::Validate(VerifiedJws jws) const {
  if (auto typ = CheckTyp(jws.header); !typ) return typ.error();
  auto claims = ParseClaims(jws.payload);
  if (!claims) return claims.error();
  auto exp = CheckTimes(*claims);
  if (!exp) return exp.error();
  if (auto ids = CheckIssuerAndAudience(*claims); !ids) return ids.error();
  return VerifiedJwt(std::move(jws), std::move(*claims), *exp);
}

Result<void> Validator::CheckTyp(const nlohmann::json& header) const {
  if (options_.typ.empty()) return {};
  const auto typ = header.find("typ");
  if (typ == header.end() || !typ->is_string()) return Errc::kTypMismatch;
  if (NormalizeMediaType(typ->get_ref<const std::string&>()) != NormalizeMediaType(options_.typ)) {
    return Errc::kTypMismatch;
  }
  return {};
}

Result<double> Validator::CheckTimes(const nlohmann::json& claims) const {
  const double now = static_cast<double>(ToNumericDate(clock_()));
  const double leeway = static_cast<double>(options_.leeway.count());

  auto exp = ReadNumericDate(claims, "exp");
  if (!exp) return exp.error();
  if (!*exp) return Errc::kMissingClaim;
  // RFC 7519 §4.1.4: the current time MUST be before exp.
  if (now >= **exp + leeway) return Errc::kExpired;

  auto nbf = ReadNumericDate(claims, "nbf");
  if (!nbf) return nbf.error();
  // RFC 7519 §4.1.5: the current time MUST be after or equal to nbf.
  if (*nbf && now + leeway < **nbf) return Errc::kNotYetValid;

  auto iat = ReadNumericDate(claims, "iat");
  if (!iat) return iat.error();
  if (*iat && **iat > now + leeway) return Errc::kIssuedInFuture;
  return **exp;
}

Result<void> Validator::CheckIssuerAndAudience(const nlohmann::json& claims) const {
  if (!options_.issuer.empty()) {
    auto iss = ReadStringClaim(claims, "iss");
    if (!iss) return iss.error();
    if (!*iss) return Errc::kMissingClaim;
    // RFC 7519 §4.1.1: StringOrURI values compare as case-sensitive strings, no normalising.
    if (**iss != options_.issuer) return Errc::kIssuerMismatch;
  }
  if (!options_.audiences.empty()) {
    if (!claims.contains("aud")) return Errc::kMissingClaim;
    auto audiences = ReadAudiences(claims);
    if (!audiences) return audiences.error();
    for (const auto& aud : *audiences) {
      if (std::find(options_.audiences.begin(), options_.audiences.end(), aud) !=
          options_.audiences.end()) {
        return {};
      }
    }
    return Errc::kAudienceNotAllowed;
  }
  return {};
}

}  // namespace signet::token

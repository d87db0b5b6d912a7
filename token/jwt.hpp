#pragma once
// JSON Web Tokens (RFC 7519) on top of token/jws.hpp: minting a signed JWT from a claims
// object, and typed reads of the registered claims.
//
// Usage (issuer):
//   auto access = token::JwsSigner::Create(signer, "at+jwt");        // once per key + typ
//   nlohmann::json claims = {{"iss", issuer}, {"sub", "alice"}, {"aud", "https://api"},
//                            {"exp", token::ToNumericDate(now + 15min)}, ...};
//   auto jwt = token::MintJwt(*access, claims);

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "token/errc.hpp"
#include "token/jws.hpp"

namespace signet::token {

// The header typ values signet issues (RFC 9068 §2.1; RFC 8725 §3.11 explicit typing).
inline constexpr std::string_view kTypAccessToken = "at+jwt";
inline constexpr std::string_view kTypJwt = "JWT";

// Signs `claims` (must be a JSON object: kPayloadNotJson otherwise).
[[nodiscard]] Result<std::string> MintJwt(const JwsSigner& signer, const nlohmann::json& claims);
[[nodiscard]] Result<std::string> MintJwt(const keys::Signer& signer, std::string_view typ,
                                          const nlohmann::json& claims);

// Parses a JWS payload as a JWT claims set (a JSON object), else kPayloadNotJson.
[[nodiscard]] Result<nlohmann::json> ParseClaims(std::string_view payload);

// NumericDate (RFC 7519 §2): whole seconds since the epoch.
std::int64_t ToNumericDate(std::chrono::system_clock::time_point t) noexcept;

// A NumericDate claim as seconds (fractions allowed): nullopt when absent,
// kClaimWrongType when not a JSON number.
[[nodiscard]] Result<std::optional<double>> ReadNumericDate(const nlohmann::json& claims,
                                                            std::string_view name);

// A string claim: nullopt when absent, kClaimWrongType when not a string.
[[nodiscard]] Result<std::optional<std::string>> ReadStringClaim(const nlohmann::json& claims,
                                                                 std::string_view name);

// "aud" (RFC 7519 §4.1.3): a string or an array of strings; empty when absent,
// kClaimWrongType otherwise.
[[nodiscard]] Result<std::vector<std::string>> ReadAudiences(const nlohmann::json& claims);

}  // namespace signet::token

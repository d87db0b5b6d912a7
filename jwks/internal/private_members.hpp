#pragma once
// The JWK members that only private or symmetric keys carry (RFC 7518 §6.2.2, §6.3.2, §6.4;
// RFC 8037 §2). A public JWK or a published JWK Set must contain none of them (RFC 7517 §9.2).

#include <array>
#include <string_view>

#include <nlohmann/json.hpp>

namespace signet::jwks::internal {

inline constexpr std::array<std::string_view, 8> kPrivateMembers{"d",  "p",  "q",   "dp",
                                                                 "dq", "qi", "oth", "k"};

inline bool HasPrivateMember(const nlohmann::json& jwk) {
  for (std::string_view member : kPrivateMembers) {
    if (jwk.contains(member)) return true;
  }
  return false;
}

}  // namespace signet::jwks::internal

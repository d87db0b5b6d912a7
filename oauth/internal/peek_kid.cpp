#include "oauth/internal/peek_kid.hpp"

#include <nlohmann/json.hpp>

#include "keys/base64url.hpp"

namespace signet::oauth::internal {

token::Result<std::string> PeekKid(std::string_view compact) {
  const auto dot = compact.find('.');
  if (dot == std::string_view::npos) return token::Errc::kMalformed;
  auto header_bytes = keys::Base64UrlDecode(compact.substr(0, dot));
  if (!header_bytes) return token::Errc::kBadBase64url;
  const auto header = nlohmann::json::parse(*header_bytes, nullptr, /*allow_exceptions=*/false);
  if (!header.is_object()) return token::Errc::kHeaderNotJson;
  const auto kid = header.find("kid");
  if (kid == header.end()) return token::Errc::kKidMissing;
  if (!kid->is_string()) return token::Errc::kHeaderInvalid;
  return kid->get<std::string>();
}

}  // namespace signet::oauth::internal

#include "token/jws.hpp"

#include <cctype>
#include <functional>
#include <optional>

#include "keys/algorithm.hpp"
#include "keys/base64url.hpp"

namespace signet::token {
namespace {

// A JSON string literal for `value`; nullopt if it is not valid UTF-8.
std::optional<std::string> JsonString(std::string_view value) {
  try {
    return nlohmann::json(value).dump();
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

Result<std::string> EncodedHeaderPrefix(const keys::Signer& signer, std::string_view typ) {
  std::string header = "{\"alg\":\"";
  header += keys::JwaName(signer.algorithm());
  header += '"';
  if (!signer.kid().empty()) {
    auto kid = JsonString(signer.kid());
    if (!kid) return Errc::kHeaderInvalid;
    header += ",\"kid\":";
    header += *kid;
  }
  if (!typ.empty()) {
    auto typ_json = JsonString(typ);
    if (!typ_json) return Errc::kHeaderInvalid;
    header += ",\"typ\":";
    header += *typ_json;
  }
  header += '}';
  std::string prefix = keys::Base64UrlEncode(header);
  prefix += '.';
  return prefix;
}

Result<std::string> SignWithPrefix(const keys::Signer& signer, std::string_view prefix,
                                   std::string_view payload) {
  // RFC 7515 §5.1 steps 5-8: signing input = header '.' payload; output adds '.' signature.
  // Base64url of the largest signature signet makes (RSA-4096, 512 bytes) is 683 characters.
  constexpr size_t kMaxSignatureChars = 683;
  std::string out;
  out.reserve(prefix.size() + (payload.size() * 4 + 2) / 3 + 1 + kMaxSignatureChars);
  out.append(prefix);
  out.append(keys::Base64UrlEncode(payload));
  auto signature = signer.Sign(out);
  if (!signature) return signature.error();
  out += '.';
  out.append(keys::Base64UrlEncode(*signature));
  return out;
}

std::optional<std::string> DumpJson(const nlohmann::json& value) {
  try {
    return value.dump();
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // invalid UTF-8 in a string
  }
}

bool IsNone(std::string_view alg) {
  if (alg.size() != 4) return false;
  constexpr std::string_view kNone = "none";
  for (size_t i = 0; i < 4; ++i) {
    if (std::tolower(static_cast<unsigned char>(alg[i])) != kNone[i]) return false;
  }
  return true;
}

struct ParsedCompact {
  std::string_view signing_input;  // header '.' payload, exactly as received
  nlohmann::json header;
  std::string alg;
  std::optional<std::string> kid;
  std::string payload;
  std::string signature;
};

// Steps 1-5 of the order in jws.hpp: everything that does not need a key.
Result<ParsedCompact> Parse(std::string_view compact) {
  const size_t first = compact.find('.');
  if (first == std::string_view::npos) return Errc::kMalformed;
  const size_t second = compact.find('.', first + 1);
  if (second == std::string_view::npos) return Errc::kMalformed;
  if (compact.find('.', second + 1) != std::string_view::npos) return Errc::kMalformed;

  ParsedCompact parsed;
  parsed.signing_input = compact.substr(0, second);
  auto header_text = keys::Base64UrlDecode(compact.substr(0, first));
  auto payload = keys::Base64UrlDecode(compact.substr(first + 1, second - first - 1));
  auto signature = keys::Base64UrlDecode(compact.substr(second + 1));
  if (!header_text || !payload || !signature) return Errc::kBadBase64url;
  parsed.payload = std::move(*payload);
  parsed.signature = std::move(*signature);

  // RFC 7515 §4: duplicate names resolve to the lexically last one (nlohmann's behaviour).
  parsed.header = nlohmann::json::parse(*header_text, nullptr, false);
  if (parsed.header.is_discarded() || !parsed.header.is_object()) return Errc::kHeaderNotJson;
  const nlohmann::json& header = parsed.header;

  const auto alg = header.find("alg");
  if (alg == header.end()) return Errc::kAlgMissing;
  if (!alg->is_string()) return Errc::kHeaderInvalid;
  parsed.alg = alg->get<std::string>();
  if (IsNone(parsed.alg)) return Errc::kAlgNone;

  // RFC 7515 §4.1.11: crit lists extensions the recipient MUST understand; it MUST NOT be
  // empty. signet understands none, so any crit is rejected.
  if (const auto crit = header.find("crit"); crit != header.end()) {
    if (!crit->is_array() || crit->empty()) return Errc::kCritInvalid;
    for (const auto& name : *crit) {
      if (!name.is_string()) return Errc::kCritInvalid;
    }
    return Errc::kUnknownCrit;
  }
  if (const auto kid = header.find("kid"); kid != header.end()) {
    if (!kid->is_string()) return Errc::kHeaderInvalid;
    parsed.kid = kid->get<std::string>();
  }
  if (const auto typ = header.find("typ"); typ != header.end() && !typ->is_string()) {
    return Errc::kHeaderInvalid;
  }
  return parsed;
}

using KeyLookup = std::function<Result<const keys::Verifier*>(const std::optional<std::string>&)>;

// VerifiedJws is an aggregate whose first member (json) converts from an enum, so errors
// are returned as error_code values here to keep the result constructor unambiguous.
Result<VerifiedJws> Verify(std::string_view compact, const KeyLookup& lookup) {
  auto parsed = Parse(compact);
  if (!parsed) return parsed.error();
  auto key = lookup(parsed->kid);
  if (!key) return key.error();
  const keys::Verifier& verifier = **key;

  // The key's own algorithm runs; the header only has to agree with it afterwards.
  if (auto ok = verifier.Verify(parsed->signing_input, parsed->signature); !ok) {
    return make_error_code(FromKeysVerifyError(ok.error()));
  }
  if (parsed->alg != keys::JwaName(verifier.algorithm())) {
    return make_error_code(Errc::kAlgMismatch);
  }

  return VerifiedJws{std::move(parsed->header), std::move(parsed->payload), verifier.kid(),
                     verifier.algorithm()};
}

}  // namespace

Result<JwsSigner> JwsSigner::Create(keys::Signer signer, std::string_view typ) {
  auto prefix = EncodedHeaderPrefix(signer, typ);
  if (!prefix) return prefix.error();
  return JwsSigner(std::move(signer), std::move(*prefix));
}

Result<std::string> JwsSigner::Sign(std::string_view payload) const {
  return SignWithPrefix(signer_, header_prefix_, payload);
}

Result<std::string> JwsSigner::Sign(const nlohmann::json& payload) const {
  auto text = DumpJson(payload);
  if (!text) return Errc::kPayloadNotJson;
  return Sign(std::string_view(*text));
}

Result<std::string> SignCompact(const keys::Signer& signer, std::string_view typ,
                                std::string_view payload) {
  auto prefix = EncodedHeaderPrefix(signer, typ);
  if (!prefix) return prefix.error();
  return SignWithPrefix(signer, *prefix, payload);
}

Result<std::string> SignCompact(const keys::Signer& signer, std::string_view typ,
                                const nlohmann::json& payload) {
  auto text = DumpJson(payload);
  if (!text) return Errc::kPayloadNotJson;
  return SignCompact(signer, typ, std::string_view(*text));
}

Result<VerifiedJws> VerifyCompact(std::string_view compact, const jwks::JwkSet& keys) {
  return Verify(compact,
                [&keys](const std::optional<std::string>& kid) -> Result<const keys::Verifier*> {
                  if (kid) {
                    const keys::Verifier* found = keys.Find(*kid);
                    if (found == nullptr) return Errc::kUnknownKid;
                    return found;
                  }
                  if (keys.size() == 1) return &keys.verifiers().front();
                  if (keys.empty()) return Errc::kUnknownKid;
                  return Errc::kKidMissing;
                });
}

Result<VerifiedJws> VerifyCompact(std::string_view compact, const keys::Verifier& key) {
  return Verify(compact,
                [&key](const std::optional<std::string>& kid) -> Result<const keys::Verifier*> {
                  if (kid && *kid != key.kid()) return Errc::kUnknownKid;
                  return &key;
                });
}

}  // namespace signet::token

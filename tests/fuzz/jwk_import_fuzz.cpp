// libFuzzer target: JWK import (jwks::ImportPublicJwk) and JWK Set parsing (jwks::JwkSet).
// Invariant checked: a key that imports exports to a public JWK that re-imports to the same
// algorithm and RFC 7638 thumbprint.
//
// Libraries: signet::jwks signet::keys (nlohmann_json, OpenSSL::Crypto).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "jwks/jwk_set.hpp"
#include "jwks/public_jwk.hpp"

namespace {

void CheckRoundTrip(const signet::keys::Verifier& verifier) {
  auto exported = signet::jwks::PublicJwk::FromVerifier(verifier);
  if (!exported) __builtin_trap();
  auto again = signet::jwks::ImportPublicJwk(exported->ToJson());
  if (!again || again->algorithm() != verifier.algorithm() || again->kid() != verifier.kid()) {
    __builtin_trap();
  }
  auto exported_again = signet::jwks::PublicJwk::FromVerifier(*again);
  if (!exported_again || exported_again->Thumbprint() != exported->Thumbprint()) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded()) {
    (void)signet::jwks::JwkSet::Parse(text);  // must fail cleanly
    return 0;
  }
  if (auto verifier = signet::jwks::ImportPublicJwk(json)) CheckRoundTrip(*verifier);
  if (auto set = signet::jwks::JwkSet::FromJson(json)) {
    for (const auto& verifier : set->verifiers()) CheckRoundTrip(verifier);
    if (auto document = signet::jwks::BuildJwksDocument(set->verifiers()); !document) {
      __builtin_trap();  // a parsed set has distinct kids and exportable keys
    }
  }
  return 0;
}

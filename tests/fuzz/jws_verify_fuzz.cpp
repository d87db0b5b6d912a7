// libFuzzer target: JWS compact parsing and verification (token::VerifyCompact) against a fixed
// key set, plus JWT claims validation of the same bytes used as a payload.
//
// The key set holds RFC-published public keys (RFC 7515 A.2 RSA, A.3 P-256, RFC 8037 Ed25519,
// RFC 7520 §3.4 RSA) so that the RFC tokens in corpus/jws_verify/ are valid and the fuzzer
// mutates from tokens that reach signature verification, plus generated PS256/ES384 keys.
// Invariant checked: a token that verifies has a header "alg" equal to its key's algorithm.
//
// Libraries: signet::token signet::jwks signet::keys (nlohmann_json, OpenSSL::Crypto).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "jwks/jwk_set.hpp"
#include "jwks/public_jwk.hpp"
#include "keys/private_key.hpp"
#include "token/jws.hpp"
#include "token/validator.hpp"

namespace {

using signet::keys::Algorithm;

constexpr const char* kRfcKeys = R"({"keys":[
 {"kty":"RSA","kid":"rfc7515-a2","e":"AQAB",
  "n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"},
 {"kty":"EC","kid":"rfc7515-a3","crv":"P-256",
  "x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
 {"kty":"OKP","kid":"rfc8037","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
 {"kty":"RSA","kid":"bilbo.baggins@hobbiton.example","use":"sig","alg":"RS256","e":"AQAB",
  "n":"n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw"}
]})";

struct Fixture {
  signet::jwks::JwkSet set;
  std::vector<signet::keys::Verifier> singles;
  signet::token::Validator validator;
};

Fixture MakeFixture() {
  auto rfc = signet::jwks::JwkSet::Parse(kRfcKeys);
  if (!rfc || rfc->size() != 4) __builtin_trap();
  std::vector<signet::keys::Verifier> verifiers(rfc->verifiers().begin(), rfc->verifiers().end());
  for (Algorithm alg : {Algorithm::kPs256, Algorithm::kEs384}) {
    auto key = signet::keys::PrivateKey::Generate(alg);
    if (!key) __builtin_trap();
    auto verifier = signet::keys::Verifier::Create(
        key->public_key(), std::string("generated-") + std::string(signet::keys::JwaName(alg)));
    if (!verifier) __builtin_trap();
    verifiers.push_back(std::move(*verifier));
  }
  auto set = signet::jwks::JwkSet::FromVerifiers(verifiers);
  signet::token::ValidatorOptions options;
  options.issuer = "joe";
  options.audiences = {"https://api.example.com"};
  options.typ = "at+jwt";
  auto validator = signet::token::Validator::Create(options, [] {
    return std::chrono::system_clock::time_point(std::chrono::seconds(1300819000));
  });
  if (!set || !validator) __builtin_trap();
  return Fixture{std::move(*set), std::move(verifiers), std::move(*validator)};
}

const Fixture& GetFixture() {
  static const Fixture fixture = MakeFixture();
  return fixture;
}

void CheckInvariant(const signet::token::Result<signet::token::VerifiedJws>& verified) {
  if (!verified) return;
  const auto alg = verified->header.find("alg");
  if (alg == verified->header.end() || !alg->is_string() ||
      alg->get<std::string>() != signet::keys::JwaName(verified->alg)) {
    __builtin_trap();  // the key's algorithm must be the one the header names
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Fixture& fixture = GetFixture();
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  CheckInvariant(signet::token::VerifyCompact(input, fixture.set));
  for (const auto& verifier : fixture.singles) {
    CheckInvariant(signet::token::VerifyCompact(input, verifier));
  }
  if (auto jwt = fixture.validator.Verify(input, fixture.set); jwt) {
    (void)jwt->subject();
  }

  // The same bytes as an already-verified payload: exercises claims validation directly.
  signet::token::VerifiedJws as_payload{nlohmann::json{{"alg", "ES256"}, {"typ", "at+jwt"}},
                                        std::string(input), "fuzz", Algorithm::kEs256};
  (void)fixture.validator.Validate(std::move(as_payload));
  return 0;
}

#include "keys/algorithm.hpp"

#include <array>

namespace signet::keys {
namespace {

struct AlgorithmInfo {
  Algorithm alg;
  std::string_view jwa_name;
  std::string_view jwk_kty;
};

constexpr std::array<AlgorithmInfo, 5> kAlgorithms{{
    {Algorithm::kRs256, "RS256", "RSA"},
    {Algorithm::kPs256, "PS256", "RSA"},
    {Algorithm::kEs256, "ES256", "EC"},
    {Algorithm::kEs384, "ES384", "EC"},
    {Algorithm::kEdDsa, "EdDSA", "OKP"},
}};

constexpr std::array<Algorithm, 5> kAll{Algorithm::kRs256, Algorithm::kPs256, Algorithm::kEs256,
                                        Algorithm::kEs384, Algorithm::kEdDsa};

const AlgorithmInfo& Info(Algorithm alg) {
  for (const auto& info : kAlgorithms) {
    if (info.alg == alg) return info;
  }
  return kAlgorithms[0];  // unreachable: every enumerator is in the table
}

}  // namespace

std::span<const Algorithm> AllAlgorithms() { return kAll; }

std::string_view JwaName(Algorithm alg) { return Info(alg).jwa_name; }

std::string_view JwkKeyType(Algorithm alg) { return Info(alg).jwk_kty; }

std::optional<Algorithm> ParseAlgorithm(std::string_view jwa_name) {
  for (const auto& info : kAlgorithms) {
    if (info.jwa_name == jwa_name) return info.alg;
  }
  return std::nullopt;
}

}  // namespace signet::keys

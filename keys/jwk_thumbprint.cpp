#include "keys/jwk_thumbprint.hpp"

#include <array>
#include <cstddef>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "keys/base64url.hpp"
#include "keys/internal/key_checks.hpp"
#include "keys/internal/openssl_ptr.hpp"
#include "keys/internal/ssl_error.hpp"

namespace signet::keys {
namespace {

using internal::SslFailure;
using internal::SslPtr;

constexpr std::size_t kEd25519PublicKeySize = 32;  // RFC 8032 §5.1.5

// A big-endian unsigned integer, minimal (pad == 0) or left-padded to `pad` bytes.
Result<std::string> BigNumParam(const EVP_PKEY* key, const char* name, std::size_t pad) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) return SslFailure(Errc::kPemEncodeFailed);
  SslPtr<BIGNUM> bn(raw);
  const std::size_t len = pad != 0 ? pad : static_cast<std::size_t>(BN_num_bytes(bn.get()));
  std::string out(len, '\0');
  if (BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(len)) <
      0) {
    return SslFailure(Errc::kPemEncodeFailed);
  }
  return out;
}

// One `"name":"value"` pair of the canonical JSON.
void AppendMember(std::string& json, std::string_view name, std::string_view value) {
  if (json.size() > 1) json.push_back(',');
  json.push_back('"');
  json.append(name);
  json.append("\":\"");
  json.append(value);
  json.push_back('"');
}

}  // namespace

Result<JwkPublicMembers> ExportPublicMembers(const PublicKey& key) {
  const EVP_PKEY* pkey = key.native();
  const Algorithm alg = key.algorithm();
  JwkPublicMembers m;
  m.kty = std::string(JwkKeyType(alg));
  if (internal::IsRsa(alg)) {
    auto n = BigNumParam(pkey, OSSL_PKEY_PARAM_RSA_N, 0);
    auto e = BigNumParam(pkey, OSSL_PKEY_PARAM_RSA_E, 0);
    if (!n || !e) return Errc::kPemEncodeFailed;
    m.n = Base64UrlEncode(*n);
    m.e = Base64UrlEncode(*e);
    return m;
  }
  if (const std::size_t size = internal::EcdsaScalarSize(alg); size != 0) {
    // P-256 and P-384 have field size == order size (32 / 48 bytes).
    auto x = BigNumParam(pkey, OSSL_PKEY_PARAM_EC_PUB_X, size);
    auto y = BigNumParam(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, size);
    if (!x || !y) return Errc::kPemEncodeFailed;
    m.crv = alg == Algorithm::kEs256 ? "P-256" : "P-384";
    m.x = Base64UrlEncode(*x);
    m.y = Base64UrlEncode(*y);
    return m;
  }
  std::array<unsigned char, kEd25519PublicKeySize> raw{};
  std::size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, raw.data(), raw.size(),
                                      &len) != 1 ||
      len != raw.size()) {
    return SslFailure(Errc::kPemEncodeFailed);
  }
  m.crv = "Ed25519";
  m.x = Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(raw.data()), len));
  return m;
}

std::string Rfc7638Thumbprint(const JwkPublicMembers& m) {
  // RFC 7638 §3.2: required members only, sorted by name; RFC 8037 §2 for OKP.
  std::string json = "{";
  if (m.kty == "RSA") {
    AppendMember(json, "e", m.e);
    AppendMember(json, "kty", m.kty);
    AppendMember(json, "n", m.n);
  } else if (m.kty == "EC") {
    AppendMember(json, "crv", m.crv);
    AppendMember(json, "kty", m.kty);
    AppendMember(json, "x", m.x);
    AppendMember(json, "y", m.y);
  } else if (m.kty == "OKP") {
    AppendMember(json, "crv", m.crv);
    AppendMember(json, "kty", m.kty);
    AppendMember(json, "x", m.x);
  }
  json.push_back('}');
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_len = 0;
  if (EVP_Digest(json.data(), json.size(), digest.data(), &digest_len, EVP_sha256(), nullptr) !=
      1) {
    ERR_clear_error();
    return {};
  }
  return Base64UrlEncode(
      std::string_view(reinterpret_cast<const char*>(digest.data()), digest_len));
}

}  // namespace signet::keys

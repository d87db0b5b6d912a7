#include "keys/internal/digest_context.hpp"

#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "keys/internal/key_checks.hpp"
#include "keys/internal/ssl_error.hpp"

namespace signet::keys::internal {
namespace {

// RFC 7518 §3.5: PS256 uses a salt as long as the SHA-256 output (32 bytes). Signing
// requests exactly that; verification requires it (RSA_PSS_SALTLEN_DIGEST) rather than
// auto-detecting, so a signature with another salt length is rejected.
constexpr int kPs256SaltLength = 32;

const EVP_MD* DigestOf(Algorithm alg) {
  switch (alg) {
    case Algorithm::kRs256:
    case Algorithm::kPs256:
    case Algorithm::kEs256: return EVP_sha256();
    case Algorithm::kEs384: return EVP_sha384();
    case Algorithm::kEdDsa: return nullptr;  // RFC 8032: Ed25519 hashes internally
  }
  return nullptr;
}

bool ConfigurePss(EVP_PKEY_CTX* pctx, DigestContext::Purpose purpose) {
  const int salt =
      purpose == DigestContext::Purpose::kSign ? kPs256SaltLength : RSA_PSS_SALTLEN_DIGEST;
  return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt) == 1;
}

Result<SslPtr<EVP_MD_CTX>> InitContext(EVP_PKEY* key, Algorithm alg,
                                       DigestContext::Purpose purpose) {
  SslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  if (!ctx) return SslFailure(Errc::kSignFailed);
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  const int ok = purpose == DigestContext::Purpose::kSign
                     ? EVP_DigestSignInit(ctx.get(), &pctx, DigestOf(alg), nullptr, key)
                     : EVP_DigestVerifyInit(ctx.get(), &pctx, DigestOf(alg), nullptr, key);
  if (ok != 1) return SslFailure(Errc::kSignFailed);
  if (alg == Algorithm::kRs256 &&
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {  // RFC 7518 §3.3
    return SslFailure(Errc::kSignFailed);
  }
  if (alg == Algorithm::kPs256 && !ConfigurePss(pctx, purpose)) {
    return SslFailure(Errc::kSignFailed);
  }
  return ctx;
}

}  // namespace

Result<DigestContext> DigestContext::Create(EVP_PKEY* key, Algorithm alg, Purpose purpose) {
  auto ctx = InitContext(key, alg, purpose);
  if (!ctx) return ctx.error();
  // Ed25519 contexts have no digest state to clone (pure EdDSA is one-shot).
  if (alg == Algorithm::kEdDsa) return DigestContext(key, alg, purpose, nullptr);
  std::shared_ptr<const EVP_MD_CTX> tmpl(ctx->release(), SslDeleter<EVP_MD_CTX>{});
  return DigestContext(key, alg, purpose, std::move(tmpl));
}

Result<SslPtr<EVP_MD_CTX>> DigestContext::NewContext() const {
  if (!template_) return InitContext(key_, alg_, purpose_);
  SslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_MD_CTX_copy_ex(ctx.get(), template_.get()) != 1) {
    return SslFailure(Errc::kSignFailed);
  }
  return ctx;
}

}  // namespace signet::keys::internal

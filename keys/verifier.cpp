#include "keys/verifier.hpp"

#include <cstddef>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "keys/internal/ecdsa_signature.hpp"
#include "keys/internal/key_checks.hpp"
#include "keys/internal/ssl_error.hpp"

namespace signet::keys {
namespace {

constexpr std::size_t kEd25519SignatureSize = 64;  // RFC 8032 §5.1.6

Result<void> DigestVerify(EVP_MD_CTX* ctx, std::string_view input, std::string_view signature) {
  const int ok = EVP_DigestVerify(
      ctx, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
      reinterpret_cast<const unsigned char*>(input.data()), input.size());
  // 0 = bad signature, < 0 = malformed input or internal error: both mean "not verified".
  if (ok != 1) return internal::SslFailure(Errc::kSignatureInvalid);
  return {};
}

}  // namespace

Result<Verifier> Verifier::Create(PublicKey key, std::string kid) {
  auto context = internal::DigestContext::Create(key.native(), key.algorithm(),
                                                 internal::DigestContext::Purpose::kVerify);
  if (!context) return context.error();
  return Verifier(std::move(key), std::move(kid), std::move(*context));
}

Result<void> Verifier::Verify(std::string_view signing_input, std::string_view signature) const {
  const Algorithm alg = key_.algorithm();
  if (internal::EcdsaScalarSize(alg) != 0) {
    // RFC 7518 §3.4: fixed-length r||s; range-checked before OpenSSL sees it.
    auto der = internal::EcdsaRawToDer(signature, alg);
    if (!der) return der.error();
    auto ctx = context_.NewContext();
    if (!ctx) return ctx.error();
    return DigestVerify(ctx->get(), signing_input, *der);
  }
  // RFC 8017 §8.1.2 step 1 / §8.2.2 step 1: the signature is exactly k = modulus bytes.
  const std::size_t expected = internal::IsRsa(alg)
                                   ? static_cast<std::size_t>(EVP_PKEY_get_size(key_.native()))
                                   : kEd25519SignatureSize;
  if (signature.size() != expected) return Errc::kSignatureWrongLength;
  auto ctx = context_.NewContext();
  if (!ctx) return ctx.error();
  return DigestVerify(ctx->get(), signing_input, signature);
}

}  // namespace signet::keys

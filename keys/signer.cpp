#include "keys/signer.hpp"

#include <array>
#include <cstddef>

#include <openssl/evp.h>

#include "keys/internal/ecdsa_signature.hpp"
#include "keys/internal/key_checks.hpp"
#include "keys/internal/ssl_error.hpp"

namespace signet::keys {
namespace {

using internal::SslFailure;

constexpr std::size_t kEd25519SignatureSize = 64;  // RFC 8032 §5.1.6

Result<void> DigestSign(EVP_MD_CTX* ctx, std::string_view input, unsigned char* out,
                        std::size_t& out_len) {
  if (EVP_DigestSign(ctx, out, &out_len, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) != 1) {
    return SslFailure(Errc::kSignFailed);
  }
  return {};
}

}  // namespace

Result<Signer> Signer::Create(PrivateKey key, std::string kid) {
  auto context = internal::DigestContext::Create(key.native(), key.algorithm(),
                                                 internal::DigestContext::Purpose::kSign);
  if (!context) return context.error();
  return Signer(std::move(key), std::move(kid), std::move(*context));
}

Result<std::string> Signer::Sign(std::string_view signing_input) const {
  auto ctx = context_.NewContext();
  if (!ctx) return ctx.error();
  // The context is used once: without this flag EVP_DigestSignFinal duplicates the whole
  // provider context to keep this one reusable (OpenSSL 3.0 m_sigver.c), a copy per token.
  EVP_MD_CTX_set_flags(ctx->get(), EVP_MD_CTX_FLAG_FINALISE);
  const Algorithm alg = key_.algorithm();

  if (internal::EcdsaScalarSize(alg) != 0) {
    // OpenSSL returns DER; JWS wants r||s (RFC 7518 §3.4).
    std::array<unsigned char, internal::kMaxEcdsaDerSize> der{};
    std::size_t der_len = der.size();
    if (auto ok = DigestSign(ctx->get(), signing_input, der.data(), der_len); !ok) {
      return ok.error();
    }
    auto raw = internal::EcdsaDerToRaw(
        std::string_view(reinterpret_cast<const char*>(der.data()), der_len), alg);
    if (!raw) return Errc::kSignFailed;
    return std::move(*raw);
  }

  // RSA: exactly the modulus size (RFC 8017 §8.1.1, §8.2.1); Ed25519: 64 bytes.
  const std::size_t size = internal::IsRsa(alg)
                               ? static_cast<std::size_t>(EVP_PKEY_get_size(key_.native()))
                               : kEd25519SignatureSize;
  std::string signature(size, '\0');
  std::size_t len = signature.size();
  if (auto ok = DigestSign(ctx->get(), signing_input,
                           reinterpret_cast<unsigned char*>(signature.data()), len);
      !ok) {
    return ok.error();
  }
  if (len != size) return Errc::kSignFailed;
  return signature;
}

}  // namespace signet::keys

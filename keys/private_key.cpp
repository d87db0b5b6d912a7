#include "keys/private_key.hpp"

#include <climits>
#include <cstddef>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "keys/internal/key_checks.hpp"
#include "keys/internal/openssl_ptr.hpp"
#include "keys/internal/ssl_error.hpp"

namespace signet::keys {
namespace {

using internal::SslFailure;
using internal::SslPtr;

// A password callback that refuses: an encrypted PEM fails instead of prompting on the tty.
int NoPassword(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) { return -1; }

std::shared_ptr<EVP_PKEY> Share(SslPtr<EVP_PKEY> key) {
  return std::shared_ptr<EVP_PKEY>(key.release(), internal::SslDeleter<EVP_PKEY>{});
}

Result<SslPtr<BIO>> ReadOnlyBio(std::string_view pem) {
  if (pem.size() > static_cast<std::size_t>(INT_MAX)) return Errc::kPemInvalid;
  SslPtr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return SslFailure(Errc::kPemInvalid);
  return bio;
}

// Copies the bytes a memory BIO holds. The BIO for private keys is a secure-memory BIO,
// whose buffer is cleansed when it is freed.
std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  if (len <= 0 || data == nullptr) return {};
  return std::string(data, static_cast<std::size_t>(len));
}

// The public half as its own EVP_PKEY (SubjectPublicKeyInfo round trip), so a PublicKey never
// carries private material (House style 16).
Result<std::shared_ptr<EVP_PKEY>> DerivePublic(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(key, &der);
  if (len <= 0) return SslFailure(Errc::kPemEncodeFailed);
  const unsigned char* p = der;
  SslPtr<EVP_PKEY> pub(d2i_PUBKEY(nullptr, &p, len));
  OPENSSL_free(der);
  if (!pub) return SslFailure(Errc::kPemEncodeFailed);
  return Share(std::move(pub));
}

Result<SslPtr<EVP_PKEY>> GenerateNative(Algorithm alg, int rsa_bits) {
  EVP_PKEY* key = nullptr;
  if (internal::IsRsa(alg)) {
    if (rsa_bits != 2048 && rsa_bits != 3072 && rsa_bits != 4096) {
      return Errc::kUnsupportedKeySize;
    }
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(rsa_bits));
  } else if (const char* group = internal::EcGroupName(alg)) {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", group);
  } else if (alg == Algorithm::kEdDsa) {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  } else {
    return Errc::kUnsupportedAlgorithm;
  }
  if (key == nullptr) return SslFailure(Errc::kKeyGenerationFailed);
  return SslPtr<EVP_PKEY>(key);
}

}  // namespace

Result<PublicKey> PublicKey::FromPem(std::string_view pem, Algorithm alg) {
  auto bio = ReadOnlyBio(pem);
  if (!bio) return bio.error();
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio->get(), nullptr, NoPassword, nullptr);
  if (key == nullptr) return SslFailure(Errc::kPemInvalid);
  return FromNative(alg, key);
}

Result<PublicKey> PublicKey::FromNative(Algorithm alg, EVP_PKEY* owned_key) {
  SslPtr<EVP_PKEY> key(owned_key);
  if (auto fits = internal::CheckKeyFitsAlgorithm(key.get(), alg); !fits) return fits.error();
  if (internal::EcGroupName(alg) != nullptr) {
    // An off-curve point enables invalid-curve attacks (RFC 8725 §3.4); check it even when
    // the importer already did, since this is the one gate every EC key passes.
    SslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!ctx || EVP_PKEY_public_check(ctx.get()) != 1) {
      return SslFailure(Errc::kPublicKeyInvalid);
    }
  }
  return PublicKey(alg, Share(std::move(key)));
}

Result<std::string> PublicKey::ToPem() const {
  SslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) {
    return SslFailure(Errc::kPemEncodeFailed);
  }
  return BioContents(bio.get());
}

Result<PrivateKey> PrivateKey::Adopt(Algorithm alg, EVP_PKEY* owned_key) {
  SslPtr<EVP_PKEY> key(owned_key);
  if (auto fits = internal::CheckKeyFitsAlgorithm(key.get(), alg); !fits) return fits.error();
  auto pub = DerivePublic(key.get());
  if (!pub) return pub.error();
  return PrivateKey(alg, Share(std::move(key)), PublicKey(alg, std::move(*pub)));
}

Result<PrivateKey> PrivateKey::Generate(Algorithm alg, int rsa_bits) {
  auto key = GenerateNative(alg, rsa_bits);
  if (!key) return key.error();
  return Adopt(alg, key->release());
}

Result<PrivateKey> PrivateKey::FromPem(std::string_view pem, Algorithm alg) {
  auto bio = ReadOnlyBio(pem);
  if (!bio) return bio.error();
  // Reads PKCS#8 ("PRIVATE KEY") and the traditional forms ("RSA/EC PRIVATE KEY").
  SslPtr<EVP_PKEY> key(PEM_read_bio_PrivateKey(bio->get(), nullptr, NoPassword, nullptr));
  if (!key) return SslFailure(Errc::kPemInvalid);
  if (auto fits = internal::CheckKeyFitsAlgorithm(key.get(), alg); !fits) return fits.error();
  // A key whose public half does not match its private half (a corrupted or hand-edited
  // file) would sign tokens nobody can verify; refuse it at load time instead.
  SslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!ctx || EVP_PKEY_pairwise_check(ctx.get()) != 1) return SslFailure(Errc::kPemInvalid);
  return Adopt(alg, key.release());
}

Result<std::string> PrivateKey::ToPem() const {
  SslPtr<BIO> bio(BIO_new(BIO_s_secmem()));
  // No cipher: PKCS#8 PrivateKeyInfo; the file store protects it with mode 0600.
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return SslFailure(Errc::kPemEncodeFailed);
  }
  return BioContents(bio.get());
}

}  // namespace signet::keys

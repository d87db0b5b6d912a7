#pragma once
// RAII for OpenSSL objects: SslPtr<T> is a unique_ptr with a stateless deleter
// specialised per type, so no owning raw pointer outlives the line that made it.

#include <memory>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/x509.h>

namespace signet::keys::internal {

template <class T>
struct SslDeleter;

#define SIGNET_SSL_DELETER(Type, FreeFn)              \
  template <>                                         \
  struct SslDeleter<Type> {                           \
    void operator()(Type* p) const noexcept { FreeFn(p); } \
  }

SIGNET_SSL_DELETER(EVP_PKEY, EVP_PKEY_free);
SIGNET_SSL_DELETER(EVP_PKEY_CTX, EVP_PKEY_CTX_free);
SIGNET_SSL_DELETER(EVP_MD_CTX, EVP_MD_CTX_free);
SIGNET_SSL_DELETER(EVP_CIPHER_CTX, EVP_CIPHER_CTX_free);
SIGNET_SSL_DELETER(BIO, BIO_free_all);
SIGNET_SSL_DELETER(BIGNUM, BN_clear_free);  // clear: BIGNUMs may hold private scalars
SIGNET_SSL_DELETER(BN_CTX, BN_CTX_free);
SIGNET_SSL_DELETER(ECDSA_SIG, ECDSA_SIG_free);
SIGNET_SSL_DELETER(EC_GROUP, EC_GROUP_free);
SIGNET_SSL_DELETER(EC_POINT, EC_POINT_free);
SIGNET_SSL_DELETER(OSSL_PARAM_BLD, OSSL_PARAM_BLD_free);
SIGNET_SSL_DELETER(OSSL_PARAM, OSSL_PARAM_free);
SIGNET_SSL_DELETER(X509, X509_free);

#undef SIGNET_SSL_DELETER

template <class T>
using SslPtr = std::unique_ptr<T, SslDeleter<T>>;

}  // namespace signet::keys::internal

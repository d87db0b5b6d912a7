#include "tls/certificate_info.hpp"

#include <array>
#include <cstdio>
#include <ctime>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "keys/internal/openssl_ptr.hpp"

namespace signet::tls {
namespace {

using keys::internal::SslPtr;

std::string Subject(X509& certificate) {
  SslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio) return {};
  const unsigned long flags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
  if (X509_NAME_print_ex(bio.get(), X509_get_subject_name(&certificate), 0, flags) < 0) return {};
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

void SetExpiry(X509& certificate, CertificateInfo& info) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(&certificate), &tm) != 1) return;
  std::array<char, 32> text{};
  if (std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) return;
  info.not_after = text.data();
  info.expires = std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string Fingerprint(X509& certificate) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (X509_digest(&certificate, EVP_sha256(), digest.data(), &size) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * size);
  for (unsigned int i = 0; i < size; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0f]);
  }
  return hex;
}

}  // namespace

CertificateInfo DescribeCertificate(X509& certificate) {
  CertificateInfo info;
  info.subject = Subject(certificate);
  SetExpiry(certificate, info);
  info.sha256_fingerprint = Fingerprint(certificate);
  ERR_clear_error();
  return info;
}

}  // namespace signet::tls

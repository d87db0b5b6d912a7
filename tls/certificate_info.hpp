#pragma once
// What the logs say about a server certificate: subject, expiry and SHA-256 fingerprint
// (the values an operator compares with `openssl x509 -noout -subject -enddate -fingerprint`).

#include <chrono>
#include <string>

#include <openssl/x509.h>

namespace signet::tls {

struct CertificateInfo {
  std::string subject;                            // RFC 2253 form, e.g. "CN=id.example.com,O=Ex"
  std::string not_after;                          // "2027-01-31T12:00:00Z"
  std::chrono::system_clock::time_point expires;  // the same instant
  std::string sha256_fingerprint;                 // lower-case hex of SHA-256 over the DER
};

// Never fails: a field OpenSSL cannot render is left empty.
CertificateInfo DescribeCertificate(X509& certificate);

}  // namespace signet::tls

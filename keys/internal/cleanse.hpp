#pragma once
// Wipes a std::string that held key material (PEM text, a KEK, a key file) when it goes out of
// scope, on every return path. OPENSSL_cleanse cannot be optimised away like memset.

#include <string>

#include <openssl/crypto.h>

namespace signet::keys::internal {

class Cleanse {
 public:
  explicit Cleanse(std::string& s) : s_(s) {}
  Cleanse(const Cleanse&) = delete;
  Cleanse& operator=(const Cleanse&) = delete;
  ~Cleanse() { OPENSSL_cleanse(s_.data(), s_.size()); }

 private:
  std::string& s_;
};

}  // namespace signet::keys::internal

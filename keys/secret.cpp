#include "keys/secret.hpp"

#include <ostream>

#include <openssl/crypto.h>

namespace signet::keys {

SecretBytes& SecretBytes::operator=(const SecretBytes& other) {
  if (this != &other) {
    Wipe();
    bytes_ = other.bytes_;
  }
  return *this;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Wipe();
    bytes_ = std::move(other.bytes_);
    other.bytes_.clear();
  }
  return *this;
}

SecretBytes::~SecretBytes() { Wipe(); }

void SecretBytes::Wipe() noexcept {
  if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

bool operator==(const SecretBytes& a, const SecretBytes& b) noexcept {
  return ConstantTimeEquals(a.reveal(), b.reveal());
}

std::ostream& operator<<(std::ostream& out, const SecretBytes& /*secret*/) {
  return out << "<redacted>";
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) noexcept {
  const bool same_length = a.size() == b.size();
  // On a length mismatch compare `a` with itself: same work, result discarded.
  const std::string_view other = same_length ? b : a;
  const int diff = a.empty() ? 0 : CRYPTO_memcmp(a.data(), other.data(), a.size());
  return same_length && diff == 0;
}

}  // namespace signet::keys

#pragma once
// Secret byte strings (client secrets, passwords in flight, key-encryption keys) and their
// constant-time comparison.
//
// SecretBytes wipes its buffer with OPENSSL_cleanse when destroyed. Streaming it, as a
// logger or a test failure message might, prints "<redacted>" and never the bytes; fmt has
// no formatter for it, so spdlog refuses to compile a line that logs one directly. Read the
// value only where it is used, through reveal().
//
// Usage:
//   keys::SecretBytes secret(form.client_secret);
//   if (keys::ConstantTimeEquals(secret.reveal(), expected)) ...

#include <cstddef>
#include <iosfwd>
#include <string_view>
#include <vector>

namespace signet::keys {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::string_view bytes) : bytes_(bytes.begin(), bytes.end()) {}
  SecretBytes(const SecretBytes&) = default;
  SecretBytes& operator=(const SecretBytes& other);
  // Moves hand over the heap buffer itself, so no copy of the secret stays behind.
  SecretBytes(SecretBytes&& other) noexcept = default;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  ~SecretBytes();

  std::string_view reveal() const noexcept { return {bytes_.data(), bytes_.size()}; }
  std::size_t size() const noexcept { return bytes_.size(); }
  bool empty() const noexcept { return bytes_.empty(); }

  // Constant time in the contents (CRYPTO_memcmp).
  friend bool operator==(const SecretBytes& a, const SecretBytes& b) noexcept;

 private:
  void Wipe() noexcept;

  std::vector<char> bytes_;  // never resized after construction: no stale reallocations
};

// Prints "<redacted>".
std::ostream& operator<<(std::ostream& out, const SecretBytes& secret);

// True when a and b are equal. The content comparison never exits early (CRYPTO_memcmp), so
// its time does not depend on where the first difference is; only the lengths may be
// inferred from timing, which is why callers compare fixed-length values (hashes) when they
// can. Different lengths return false after a comparison of the same cost.
bool ConstantTimeEquals(std::string_view a, std::string_view b) noexcept;

}  // namespace signet::keys

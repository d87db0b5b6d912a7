#include "keys/password_hash.hpp"

#include <array>
#include <charconv>
#include <optional>

#include <argon2.h>
#include <openssl/rand.h>

namespace signet::keys {
namespace {

constexpr std::string_view kPrefix = "$argon2id$v=19$";
constexpr std::size_t kMinSaltBytes = 8;  // ARGON2_MIN_SALT_LENGTH
constexpr std::size_t kMaxSaltBytes = 64;
constexpr std::size_t kMinHashBytes = 16;  // below this a stored hash is too weak to trust
constexpr std::size_t kMaxHashBytes = 128;

// "<name>=<decimal>" with no sign and no leading zeros; advances `text` past it.
std::optional<std::uint32_t> ReadParam(std::string_view& text, char name) {
  if (text.size() < 3 || text[0] != name || text[1] != '=') return std::nullopt;
  text.remove_prefix(2);
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 10 || (digits > 1 && text[0] == '0')) return std::nullopt;
  std::uint32_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + digits, value);
  if (ec != std::errc() || end != text.data() + digits) return std::nullopt;
  text.remove_prefix(digits);
  return value;
}

bool ExpectChar(std::string_view& text, char c) {
  if (text.empty() || text[0] != c) return false;
  text.remove_prefix(1);
  return true;
}

// Decoded length of canonical unpadded standard base64 (the PHC string format's "B64"), or
// nullopt for other characters, a length of 1 mod 4, or non-zero bits in the unused tail.
std::optional<std::size_t> B64DecodedLength(std::string_view b64) {
  if (b64.size() % 4 == 1) return std::nullopt;
  unsigned last = 0;
  for (char c : b64) {
    if (c >= 'A' && c <= 'Z')
      last = static_cast<unsigned>(c - 'A');
    else if (c >= 'a' && c <= 'z')
      last = static_cast<unsigned>(c - 'a' + 26);
    else if (c >= '0' && c <= '9')
      last = static_cast<unsigned>(c - '0' + 52);
    else if (c == '+')
      last = 62;
    else if (c == '/')
      last = 63;
    else
      return std::nullopt;
  }
  const std::size_t tail = b64.size() % 4;
  if (tail == 2 && (last & 0x0f) != 0) return std::nullopt;
  if (tail == 3 && (last & 0x03) != 0) return std::nullopt;
  return b64.size() / 4 * 3 + (tail == 0 ? 0 : tail - 1);
}

bool InRange(std::optional<std::size_t> n, std::size_t min, std::size_t max) {
  return n && *n >= min && *n <= max;
}

}  // namespace

bool IsArgon2idEncoding(std::string_view encoded) {
  if (!encoded.starts_with(kPrefix)) return false;  // argon2id, version 0x13 only
  std::string_view rest = encoded.substr(kPrefix.size());
  const auto m = ReadParam(rest, 'm');
  if (!m || !ExpectChar(rest, ',')) return false;
  const auto t = ReadParam(rest, 't');
  if (!t || !ExpectChar(rest, ',')) return false;
  const auto p = ReadParam(rest, 'p');
  if (!p || !ExpectChar(rest, '$')) return false;
  // RFC 9106 §3.1: p >= 1, m >= 8 * p, t >= 1.
  if (*p < 1 || *p > kArgon2MaxParallelism || *t < 1 || *t > kArgon2MaxIterations || *m < 8 * *p ||
      *m > kArgon2MaxMemoryKib) {
    return false;
  }
  const std::size_t dollar = rest.find('$');
  if (dollar == std::string_view::npos) return false;
  return InRange(B64DecodedLength(rest.substr(0, dollar)), kMinSaltBytes, kMaxSaltBytes) &&
         InRange(B64DecodedLength(rest.substr(dollar + 1)), kMinHashBytes, kMaxHashBytes);
}

Result<std::string> HashPassword(std::string_view password) {
  std::array<unsigned char, kArgon2SaltBytes> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) return Errc::kRandomFailed;
  std::string encoded(argon2_encodedlen(kArgon2Iterations, kArgon2MemoryKib, kArgon2Parallelism,
                                        salt.size(), kArgon2HashBytes, Argon2_id),
                      '\0');
  const int rc = argon2id_hash_encoded(kArgon2Iterations, kArgon2MemoryKib, kArgon2Parallelism,
                                       password.data(), password.size(), salt.data(), salt.size(),
                                       kArgon2HashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) return Errc::kPasswordHashFailed;
  encoded.resize(encoded.find('\0'));  // argon2_encodedlen counts the terminating NUL
  return encoded;
}

Result<bool> VerifyPassword(std::string_view encoded, std::string_view candidate) {
  if (!IsArgon2idEncoding(encoded)) return Errc::kPasswordHashMalformed;
  const std::string terminated(encoded);  // libargon2 wants a C string
  const int rc = argon2id_verify(terminated.c_str(), candidate.data(), candidate.size());
  switch (rc) {
    case ARGON2_OK: return true;
    case ARGON2_VERIFY_MISMATCH: return false;
    case ARGON2_DECODING_FAIL:
    case ARGON2_INCORRECT_TYPE:
    case ARGON2_SALT_TOO_SHORT:
    case ARGON2_SALT_TOO_LONG:
    case ARGON2_OUTPUT_TOO_SHORT:
    case ARGON2_OUTPUT_TOO_LONG:
    case ARGON2_MEMORY_TOO_LITTLE:
    case ARGON2_TIME_TOO_SMALL:
    case ARGON2_LANES_TOO_FEW:
    case ARGON2_THREADS_TOO_FEW: return Errc::kPasswordHashMalformed;
    default: return Errc::kPasswordHashFailed;
  }
}

}  // namespace signet::keys

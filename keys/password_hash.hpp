#pragma once
// Password and client-secret hashing with Argon2id (RFC 9106), in the PHC string format
// that `signet hash-secret` prints and the config's `password_hash` / `client_secret_hash`
// hold: "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>" (salt and hash in unpadded standard
// base64, as libargon2 writes them).
//
// Parameters: m = 19456 KiB, t = 2, p = 1, 16-byte salt, 32-byte hash: the first of OWASP's
// recommended Argon2id settings (Password Storage Cheat Sheet), ~20-40 ms per hash on one
// core. Verification uses the parameters stored in the encoding, within the bounds below,
// so hashes made with stronger settings by other tools verify too.
//
// Usage:
//   auto encoded = keys::HashPassword(password);            // for `signet hash-secret`
//   auto ok = keys::VerifyPassword(*encoded, candidate);     // Result<bool>

#include <cstdint>
#include <string>
#include <string_view>

#include "keys/errc.hpp"

namespace signet::keys {

inline constexpr std::uint32_t kArgon2MemoryKib = 19456;
inline constexpr std::uint32_t kArgon2Iterations = 2;
inline constexpr std::uint32_t kArgon2Parallelism = 1;
inline constexpr std::size_t kArgon2SaltBytes = 16;
inline constexpr std::size_t kArgon2HashBytes = 32;

// Upper bounds accepted in a stored encoding, so a config cannot make each login allocate
// gigabytes or spin for seconds.
inline constexpr std::uint32_t kArgon2MaxMemoryKib = 1u << 20;  // 1 GiB
inline constexpr std::uint32_t kArgon2MaxIterations = 16;
inline constexpr std::uint32_t kArgon2MaxParallelism = 16;

// A fresh random salt (RAND_bytes) each call. kRandomFailed / kPasswordHashFailed on failure.
[[nodiscard]] Result<std::string> HashPassword(std::string_view password);

// true: the candidate matches; false: it does not. kPasswordHashMalformed when `encoded` is
// not a well-formed argon2id encoding (argon2i/argon2d encodings are refused too).
// The hash comparison inside libargon2 is constant time.
[[nodiscard]] Result<bool> VerifyPassword(std::string_view encoded, std::string_view candidate);

// Whether `encoded` is a well-formed argon2id v=19 encoding within the bounds above
// (for config validation; does not hash anything).
bool IsArgon2idEncoding(std::string_view encoded);

}  // namespace signet::keys

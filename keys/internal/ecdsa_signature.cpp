#include "keys/internal/ecdsa_signature.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <span>

#include "keys/internal/key_checks.hpp"

namespace signet::keys::internal {
namespace {

// Group orders n, big-endian (SEC 2 v2 §2.4.2 secp256r1, §2.5.1 secp384r1).
constexpr std::array<std::uint8_t, 32> kP256Order{
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};
constexpr std::array<std::uint8_t, 48> kP384Order{
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
    0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73};

constexpr std::uint8_t kDerSequence = 0x30;
constexpr std::uint8_t kDerInteger = 0x02;

std::span<const std::uint8_t> Order(Algorithm alg) {
  if (alg == Algorithm::kEs384) return kP384Order;
  return kP256Order;
}

// True when the fixed-width big-endian `scalar` is in [1, n-1]. Public values: no need
// for constant time.
bool InRange(std::string_view scalar, std::span<const std::uint8_t> order) {
  bool all_zero = true;
  for (char c : scalar) all_zero = all_zero && c == 0;
  if (all_zero) return false;
  return std::memcmp(scalar.data(), order.data(), order.size()) < 0;
}

// Appends a DER INTEGER holding the unsigned big-endian `scalar`.
void AppendDerInteger(std::string& out, std::string_view scalar) {
  std::size_t skip = 0;
  while (skip + 1 < scalar.size() && scalar[skip] == 0) ++skip;
  scalar.remove_prefix(skip);
  // X.690 §8.3: two's complement, so a set top bit needs a 0x00 octet in front.
  const bool pad = (static_cast<std::uint8_t>(scalar[0]) & 0x80) != 0;
  out.push_back(static_cast<char>(kDerInteger));
  out.push_back(static_cast<char>(scalar.size() + (pad ? 1 : 0)));
  if (pad) out.push_back('\0');
  out.append(scalar);
}

// Reads one DER INTEGER from the front of `in` into `out` (left-padded, out.size() wide).
// Returns kSignatureInvalid for non-DER, kEcdsaScalarOutOfRange for negative or too large.
Result<void> ReadDerInteger(std::string_view& in, std::span<char> out) {
  if (in.size() < 2 || static_cast<std::uint8_t>(in[0]) != kDerInteger) {
    return Errc::kSignatureInvalid;
  }
  const std::size_t len = static_cast<std::uint8_t>(in[1]);
  // Short-form length only (X.690 §10.1 requires the shortest form; ours are < 128).
  if (len == 0 || len > 0x7f || in.size() - 2 < len) return Errc::kSignatureInvalid;
  std::string_view value = in.substr(2, len);
  in.remove_prefix(2 + len);
  const auto first = static_cast<std::uint8_t>(value[0]);
  if (first & 0x80) return Errc::kEcdsaScalarOutOfRange;  // negative
  if (first == 0 && value.size() > 1) {
    // X.690 §8.3.2: a leading 0x00 is only allowed in front of a set top bit.
    if ((static_cast<std::uint8_t>(value[1]) & 0x80) == 0) return Errc::kSignatureInvalid;
    value.remove_prefix(1);
  }
  if (value.size() > out.size()) return Errc::kEcdsaScalarOutOfRange;
  const std::size_t pad = out.size() - value.size();
  std::memset(out.data(), 0, pad);
  std::memcpy(out.data() + pad, value.data(), value.size());
  return {};
}

}  // namespace

Result<std::string> EcdsaRawToDer(std::string_view raw, Algorithm alg) {
  const std::size_t size = EcdsaScalarSize(alg);
  if (size == 0) return Errc::kUnsupportedAlgorithm;
  if (raw.size() != 2 * size) return Errc::kSignatureWrongLength;
  const std::string_view r = raw.substr(0, size);
  const std::string_view s = raw.substr(size);
  if (!InRange(r, Order(alg)) || !InRange(s, Order(alg))) return Errc::kEcdsaScalarOutOfRange;
  // One allocation: the SEQUENCE header is patched once the body length is known.
  std::string der;
  der.reserve(kMaxEcdsaDerSize);
  der.push_back(static_cast<char>(kDerSequence));
  der.push_back('\0');
  AppendDerInteger(der, r);
  AppendDerInteger(der, s);
  der[1] = static_cast<char>(der.size() - 2);  // at most 102: always the short form
  return der;
}

Result<std::string> EcdsaDerToRaw(std::string_view der, Algorithm alg) {
  const std::size_t size = EcdsaScalarSize(alg);
  if (size == 0) return Errc::kUnsupportedAlgorithm;
  if (der.size() < 2 || static_cast<std::uint8_t>(der[0]) != kDerSequence) {
    return Errc::kSignatureInvalid;
  }
  const std::size_t seq_len = static_cast<std::uint8_t>(der[1]);
  // Long-form lengths are never minimal here, and the SEQUENCE must span the whole input.
  if (seq_len > 0x7f || seq_len != der.size() - 2) return Errc::kSignatureInvalid;
  std::string_view body = der.substr(2);
  std::string raw(2 * size, '\0');
  const std::span<char> r(raw.data(), size);
  const std::span<char> s(raw.data() + size, size);
  if (auto ok = ReadDerInteger(body, r); !ok) return ok.error();
  if (auto ok = ReadDerInteger(body, s); !ok) return ok.error();
  if (!body.empty()) return Errc::kSignatureInvalid;
  const std::string_view raw_view(raw);
  if (!InRange(raw_view.substr(0, size), Order(alg)) ||
      !InRange(raw_view.substr(size), Order(alg))) {
    return Errc::kEcdsaScalarOutOfRange;
  }
  return raw;
}

}  // namespace signet::keys::internal

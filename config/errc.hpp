#pragma once
// Error codes of the config module, usable as boost::system::error_code values.
// Each enumerator is one distinct reason a configuration is rejected; a config::Problem
// pairs one of them with the full key path and a human-readable detail.

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

namespace signet::config {

template <class T>
using Result = boost::system::result<T>;

enum class Errc {
  // 0 is reserved for success by boost::system.
  kIoError = 1,          // the config file could not be read
  kYamlSyntax,           // the text is not well-formed YAML
  kUnknownKey,           // a key that signet does not know (typo or unsupported option)
  kDuplicateKey,         // the same key twice in one mapping
  kWrongType,            // e.g. a list where a string is expected
  kMissingValue,         // a required key is absent or empty
  kOutOfRange,           // a number outside its allowed range
  kDurationEmpty,        // duration: empty text
  kDurationNegative,     // duration: a leading '-'
  kDurationFraction,     // duration: "1.5h"; only whole numbers are accepted
  kDurationUnknownUnit,  // duration: a unit other than s, m, h, d
  kDurationNotANumber,   // duration: no digits, or junk around them
  kDurationZero,         // duration: 0 where a zero length is meaningless
  kDurationOverflow,     // duration: larger than signet's maximum (3650d)
  kBadIssuer,            // issuer is not an absolute http(s) URL fit to be 'iss'
  kBadListen,            // listen is not "host:port"
  kBadUrl,               // another URL (redirect URI, Redis URL) is malformed
  kBadAlgorithm,         // not one of RS256, PS256, ES256, ES384, EdDSA
  kAlgorithmNotEnabled,  // an algorithm that is not listed in keys.algorithms
  kBadEnumValue,         // a value outside a fixed set (grant type, auth method, log level)
  kDuplicateValue,       // two clients with one client_id, two users with one username, ...
  kNoUsableAuthMethod,   // a client that could never authenticate at the token endpoint
  kConflictingSettings,  // settings that contradict each other (public client with a secret)
  kNotSupportedYet,      // a recognised option that this version cannot honour yet
  kBadSecretHash,        // client_secret_hash / password_hash is not an argon2id encoding
  kBadScope,             // a scope token with characters outside RFC 6749 §3.3
  kReservedClaim,        // a user claim that signet sets itself (sub, iss, exp, ...)
  kTooComplex,           // nesting or alias expansion beyond the loader's limits
};

const boost::system::error_category& ConfigCategory() noexcept;

inline boost::system::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), ConfigCategory()};
}

}  // namespace signet::config

template <>
struct boost::system::is_error_code_enum<signet::config::Errc> : std::true_type {};

#include "config/errc.hpp"

#include <string>

namespace signet::config {
namespace {

class Category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "signet.config"; }

  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::kIoError: return "config file could not be read";
      case Errc::kYamlSyntax: return "not well-formed YAML";
      case Errc::kUnknownKey: return "unknown key";
      case Errc::kDuplicateKey: return "duplicate key";
      case Errc::kWrongType: return "wrong type";
      case Errc::kMissingValue: return "required value missing";
      case Errc::kOutOfRange: return "value out of range";
      case Errc::kDurationEmpty: return "empty duration";
      case Errc::kDurationNegative: return "negative duration";
      case Errc::kDurationFraction: return "fractional duration";
      case Errc::kDurationUnknownUnit: return "unknown duration unit";
      case Errc::kDurationNotANumber: return "duration is not a number";
      case Errc::kDurationZero: return "zero duration";
      case Errc::kDurationOverflow: return "duration too large";
      case Errc::kBadIssuer: return "invalid issuer URL";
      case Errc::kBadListen: return "invalid listen address";
      case Errc::kBadUrl: return "invalid URL";
      case Errc::kBadAlgorithm: return "unsupported signature algorithm";
      case Errc::kAlgorithmNotEnabled: return "algorithm not listed in keys.algorithms";
      case Errc::kBadEnumValue: return "value not in the allowed set";
      case Errc::kDuplicateValue: return "duplicate value";
      case Errc::kNoUsableAuthMethod: return "client has no usable authentication method";
      case Errc::kConflictingSettings: return "conflicting settings";
      case Errc::kNotSupportedYet: return "not supported yet";
      case Errc::kBadSecretHash: return "malformed argon2id hash";
      case Errc::kBadScope: return "invalid scope token";
      case Errc::kReservedClaim: return "reserved claim";
      case Errc::kTooComplex: return "document too deeply nested or too large";
    }
    return "unknown config error";
  }
};

}  // namespace

const boost::system::error_category& ConfigCategory() noexcept {
  static const Category category;
  return category;
}

}  // namespace signet::config

#include "jwks/errc.hpp"

#include <string>

namespace signet::jwks {
namespace {

class Category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "signet.jwks"; }

  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::kInvalidJson: return "not valid JSON";
      case Errc::kNotAnObject: return "JWK is not a JSON object";
      case Errc::kNotAJwkSet: return "JWK Set has no \"keys\" array of objects";
      case Errc::kMissingMember: return "JWK lacks a required member";
      case Errc::kMemberWrongType: return "JWK member has the wrong JSON type";
      case Errc::kBadBase64url: return "JWK member is not canonical base64url";
      case Errc::kUnsupportedKeyType: return "unsupported JWK key type";
      case Errc::kUnsupportedCurve: return "unsupported JWK curve";
      case Errc::kUnsupportedAlgorithm: return "unsupported JWK algorithm";
      case Errc::kAlgKeyMismatch: return "JWK algorithm does not fit its key type or curve";
      case Errc::kPrivateMemberPresent: return "JWK carries private key members";
      case Errc::kWrongUse: return "JWK \"use\" is not \"sig\"";
      case Errc::kKeyOpsWithoutVerify: return "JWK \"key_ops\" does not allow \"verify\"";
      case Errc::kWrongCoordinateLength: return "JWK coordinate has the wrong length for the curve";
      case Errc::kPointNotOnCurve: return "EC point is not on the curve";
      case Errc::kWeakKey: return "RSA modulus shorter than 2048 bits";
      case Errc::kBadExponent: return "RSA public exponent is not an odd value >= 3";
      case Errc::kRocaVulnerable: return "RSA modulus has the ROCA fingerprint";
      case Errc::kKeyRejected: return "key material rejected";
      case Errc::kDuplicateKid: return "two keys share the same kid";
      case Errc::kExportFailed: return "could not export the public key members";
    }
    return "unknown jwks error";
  }
};

}  // namespace

const boost::system::error_category& JwksCategory() noexcept {
  static const Category category;
  return category;
}

}  // namespace signet::jwks

#include "token/errc.hpp"

#include <string>

#include "keys/errc.hpp"

namespace signet::token {
namespace {

class Category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "signet.token"; }

  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::kMalformed: return "token is not three base64url parts separated by '.'";
      case Errc::kBadBase64url: return "token part is not canonical base64url";
      case Errc::kHeaderNotJson: return "token header is not a JSON object";
      case Errc::kHeaderInvalid: return "token header parameter has the wrong type";
      case Errc::kAlgMissing: return "token header has no alg";
      case Errc::kAlgNone: return "alg none is not accepted";
      case Errc::kAlgMismatch: return "token alg does not match the key's algorithm";
      case Errc::kKidMissing: return "token has no kid and several keys could verify it";
      case Errc::kUnknownKid: return "no key with the token's kid";
      case Errc::kCritInvalid: return "crit is not a non-empty array of names";
      case Errc::kUnknownCrit: return "crit names an unsupported extension";
      case Errc::kSignatureWrongLength: return "signature has the wrong length for the algorithm";
      case Errc::kEcdsaScalarOutOfRange: return "ECDSA r or s is zero or not below the curve order";
      case Errc::kSignatureInvalid: return "signature does not verify";
      case Errc::kPayloadNotJson: return "token payload is not a JSON object";
      case Errc::kTypMismatch: return "token typ is not the expected type";
      case Errc::kMissingClaim: return "token lacks a required claim";
      case Errc::kClaimWrongType: return "token claim has the wrong JSON type";
      case Errc::kExpired: return "token has expired";
      case Errc::kNotYetValid: return "token is not yet valid (nbf)";
      case Errc::kIssuedInFuture: return "token iat is in the future";
      case Errc::kIssuerMismatch: return "token issuer is not the expected issuer";
      case Errc::kAudienceNotAllowed: return "token audience is not accepted";
      case Errc::kRevoked: return "token has been revoked";
      case Errc::kInvalidOptions: return "invalid token validator options";
    }
    return "unknown token error";
  }
};

}  // namespace

const boost::system::error_category& TokenCategory() noexcept {
  static const Category category;
  return category;
}

Errc FromKeysVerifyError(const boost::system::error_code& ec) noexcept {
  if (ec == keys::Errc::kSignatureWrongLength) return Errc::kSignatureWrongLength;
  if (ec == keys::Errc::kEcdsaScalarOutOfRange) return Errc::kEcdsaScalarOutOfRange;
  return Errc::kSignatureInvalid;
}

}  // namespace signet::token

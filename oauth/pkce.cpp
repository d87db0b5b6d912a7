#include "oauth/pkce.hpp"

#include <algorithm>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "keys/base64url.hpp"
#include "keys/secret.hpp"

namespace signet::oauth {
namespace {

bool IsUnreserved(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

bool IsValidPkceString(std::string_view text) noexcept {
  return text.size() >= 43 && text.size() <= 128 &&
         std::all_of(text.begin(), text.end(), IsUnreserved);
}

std::optional<std::string> S256Challenge(std::string_view verifier) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  unsigned int length = 0;
  if (EVP_Digest(verifier.data(), verifier.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return std::nullopt;
  }
  return keys::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

Expected<void> VerifyCodeVerifier(std::optional<std::string_view> verifier,
                                  std::optional<std::string_view> challenge) {
  if (!challenge) {
    if (!verifier) return {};
    return MakeError(ErrorCode::kInvalidGrant, "code_verifier sent for a code without PKCE");
  }
  if (!verifier) return MakeError(ErrorCode::kInvalidGrant, "missing code_verifier");
  if (!IsValidPkceString(*verifier)) {
    return MakeError(ErrorCode::kInvalidRequest, "malformed code_verifier");
  }
  const auto computed = S256Challenge(*verifier);
  if (!computed) return MakeError(ErrorCode::kServerError, "", "SHA-256 failed for PKCE");
  // Constant time; both sides are 43 characters for a well-formed S256 challenge.
  if (!keys::ConstantTimeEquals(*computed, *challenge)) {
    return MakeError(ErrorCode::kInvalidGrant, "code_verifier does not match code_challenge");
  }
  return {};
}

}  // namespace signet::oauth

#pragma once
// The claims of signet's revocation feed (GET /oauth2/revocations, issue 5 item 8): written
// by oauth::RevocationFeed, read by `signet token verify --revocations` and by any resource
// server that verifies tokens offline. No peer standardises such a list, so the names are
// signet's own; they are fixed here once for the producer and the consumer.
//
// A feed is a JWT (RFC 7519) signed with the issuer's active key for tokens.signing_alg,
// header {"alg","kid","typ":"revocation-list+jwt"} (RFC 8725 §3.11: an explicit type, so a
// feed can never pass for an access or ID token, nor one of those for a feed). Claims:
//
//   iss      the issuer (RFC 7519 §4.1.1), equal to the tokens' iss
//   iat      when the list was taken (NumericDate)
//   exp      iat + 300 s: a verifier must not keep honouring (or ignoring) a stale list
//   rev      the store's revision (a number) the list was taken at; it grows with every
//            revocation, so a verifier can tell a newer list from an older one
//   jtis     [{"jti": J, "exp": E}]: every access token whose jti is J is revoked; E is when
//            that token is rejected anyway (its exp plus the leeway), after which the entry
//            may be dropped
//   subs     [{"sub": S, "iat_max": C, "exp": E}]: every token of subject S whose iat <= C
//            is revoked ("log out everywhere", `signet revoke --sub`); a token without iat is
//            treated as revoked, since it cannot show that it was issued after C; E as above
//
// Both lists are sorted (by jti, by sub) and hold only unexpired entries. Example:
//   {"iss":"https://id.example.com","iat":1700000000,"exp":1700000300,"rev":42,
//    "jtis":[{"jti":"q3V...","exp":1700000930}],
//    "subs":[{"sub":"alice","iat_max":1699999990,"exp":1700002820}]}
//
// Usage (a consumer, after verifying the JWT's signature, typ, iss and exp):
//   auto list = oauth::ParseRevocationList(verified_feed.claims());
//   if (!list) reject("feed: " + list.error().message());
//   switch (oauth::FindRevocation(*list, jti, sub, iat)) { ... }

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>
#include <nlohmann/json_fwd.hpp>

namespace signet::oauth {

// The JWS "typ" of a feed (RFC 7515 §4.1.9).
inline constexpr std::string_view kTypRevocationList = "revocation-list+jwt";

// Claim and member names (see the header comment).
inline constexpr std::string_view kClaimRevision = "rev";
inline constexpr std::string_view kClaimJtis = "jtis";
inline constexpr std::string_view kClaimSubjects = "subs";
inline constexpr std::string_view kMemberIatMax = "iat_max";

enum class RevocationListErrc {
  // 0 is reserved for success by boost::system.
  kNotAnObject = 1,  // the claims are not a JSON object
  kMissingClaim,     // iss, iat, exp, rev, jtis or subs is absent
  kBadClaim,         // one of them has the wrong type or range (rev not a non-negative integer)
  kBadJtiEntry,      // a jtis entry is not {"jti": string, "exp": integer}
  kBadSubjectEntry,  // a subs entry is not {"sub": string, "iat_max": integer, "exp": integer}
};

const boost::system::error_category& RevocationListCategory() noexcept;

inline boost::system::error_code make_error_code(RevocationListErrc e) noexcept {
  return {static_cast<int>(e), RevocationListCategory()};
}

struct RevokedJtiEntry {
  std::string jti;
  std::int64_t keep_until = 0;  // member "exp"
  friend bool operator==(const RevokedJtiEntry&, const RevokedJtiEntry&) = default;
};

struct SubjectCutoffEntry {
  std::string subject;          // member "sub"
  std::int64_t iat_max = 0;     // tokens with iat <= iat_max are revoked
  std::int64_t keep_until = 0;  // member "exp"
  friend bool operator==(const SubjectCutoffEntry&, const SubjectCutoffEntry&) = default;
};

struct RevocationList {
  std::string issuer;
  std::int64_t issued_at = 0;
  std::int64_t expires_at = 0;
  std::uint64_t revision = 0;
  std::vector<RevokedJtiEntry> jtis;
  std::vector<SubjectCutoffEntry> subjects;
};

// The claims as compact JSON text, members in the order above.
std::string RevocationListPayload(const RevocationList& list);

// Reads the claims of a feed whose signature, typ, iss and exp the caller has checked.
// Unknown claims and members are ignored (RFC 7519 §4: claims not understood are ignored).
[[nodiscard]] boost::system::result<RevocationList> ParseRevocationList(
    const nlohmann::json& claims);

enum class RevocationMatch {
  kNotListed,
  kJtiListed,      // the token's jti is in "jtis"
  kSubjectCutOff,  // the token's sub is in "subs" and its iat <= iat_max (or it has no iat)
};

// Whether the list revokes a token with these claims. An empty jti or subject matches no
// entry of that kind. Entries are honoured whatever their "exp" (a token past it is rejected
// by its own exp anyway).
RevocationMatch FindRevocation(const RevocationList& list, std::string_view jti,
                               std::string_view subject, std::optional<std::int64_t> issued_at);

}  // namespace signet::oauth

template <>
struct boost::system::is_error_code_enum<signet::oauth::RevocationListErrc> : std::true_type {};

#include "oauth/revocation_list.hpp"

#include <algorithm>
#include <limits>

#include <nlohmann/json.hpp>

namespace signet::oauth {
namespace {

class RevocationListCategoryImpl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "signet.revocation_list"; }
  std::string message(int value) const override {
    switch (static_cast<RevocationListErrc>(value)) {
      case RevocationListErrc::kNotAnObject: return "revocation list claims are not a JSON object";
      case RevocationListErrc::kMissingClaim:
        return "revocation list lacks one of iss, iat, exp, rev, jtis, subs";
      case RevocationListErrc::kBadClaim: return "revocation list claim has the wrong type";
      case RevocationListErrc::kBadJtiEntry:
        return "revocation list jtis entry is not {jti: string, exp: integer}";
      case RevocationListErrc::kBadSubjectEntry:
        return "revocation list subs entry is not {sub: string, iat_max: integer, exp: integer}";
    }
    return "unknown revocation list error";
  }
};

// A JSON integer (NumericDate values signet writes are whole seconds; RFC 7519 §2 allows
// fractions, which a verifier of signet's own feed never needs).
std::optional<std::int64_t> IntegerMember(const nlohmann::json& object, std::string_view name) {
  const auto it = object.find(name);
  if (it == object.end()) return std::nullopt;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  return std::nullopt;
}

std::optional<std::string> StringMember(const nlohmann::json& object, std::string_view name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

boost::system::result<void> ParseJtis(const nlohmann::json& array, RevocationList& list) {
  if (!array.is_array()) return RevocationListErrc::kBadClaim;
  list.jtis.reserve(array.size());
  for (const nlohmann::json& entry : array) {
    if (!entry.is_object()) return RevocationListErrc::kBadJtiEntry;
    auto jti = StringMember(entry, "jti");
    auto keep_until = IntegerMember(entry, "exp");
    if (!jti || !keep_until) return RevocationListErrc::kBadJtiEntry;
    list.jtis.push_back({std::move(*jti), *keep_until});
  }
  return {};
}

boost::system::result<void> ParseSubjects(const nlohmann::json& array, RevocationList& list) {
  if (!array.is_array()) return RevocationListErrc::kBadClaim;
  list.subjects.reserve(array.size());
  for (const nlohmann::json& entry : array) {
    if (!entry.is_object()) return RevocationListErrc::kBadSubjectEntry;
    auto subject = StringMember(entry, "sub");
    auto iat_max = IntegerMember(entry, kMemberIatMax);
    auto keep_until = IntegerMember(entry, "exp");
    if (!subject || !iat_max || !keep_until) return RevocationListErrc::kBadSubjectEntry;
    list.subjects.push_back({std::move(*subject), *iat_max, *keep_until});
  }
  return {};
}

}  // namespace

const boost::system::error_category& RevocationListCategory() noexcept {
  static const RevocationListCategoryImpl category;
  return category;
}

std::string RevocationListPayload(const RevocationList& list) {
  nlohmann::ordered_json claims;
  claims["iss"] = list.issuer;
  claims["iat"] = list.issued_at;
  claims["exp"] = list.expires_at;
  claims[kClaimRevision] = list.revision;
  auto jtis = nlohmann::ordered_json::array();
  for (const RevokedJtiEntry& entry : list.jtis) {
    jtis.push_back({{"jti", entry.jti}, {"exp", entry.keep_until}});
  }
  claims[kClaimJtis] = std::move(jtis);
  auto subjects = nlohmann::ordered_json::array();
  for (const SubjectCutoffEntry& entry : list.subjects) {
    subjects.push_back(
        {{"sub", entry.subject}, {kMemberIatMax, entry.iat_max}, {"exp", entry.keep_until}});
  }
  claims[kClaimSubjects] = std::move(subjects);
  // A subject is whatever `signet revoke --sub` was given; invalid UTF-8 is replaced rather
  // than thrown on (such a subject cannot occur in a JWT's "sub", RFC 8259 §8.1, anyway).
  return claims.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

boost::system::result<RevocationList> ParseRevocationList(const nlohmann::json& claims) {
  if (!claims.is_object()) return RevocationListErrc::kNotAnObject;
  for (const std::string_view name :
       {std::string_view("iss"), std::string_view("iat"), std::string_view("exp"), kClaimRevision,
        kClaimJtis, kClaimSubjects}) {
    if (!claims.contains(name)) return RevocationListErrc::kMissingClaim;
  }
  RevocationList list;
  auto issuer = StringMember(claims, "iss");
  auto issued_at = IntegerMember(claims, "iat");
  auto expires_at = IntegerMember(claims, "exp");
  const nlohmann::json& revision = claims.at(kClaimRevision);
  if (!issuer || !issued_at || !expires_at || !revision.is_number_unsigned()) {
    return RevocationListErrc::kBadClaim;
  }
  list.issuer = std::move(*issuer);
  list.issued_at = *issued_at;
  list.expires_at = *expires_at;
  list.revision = revision.get<std::uint64_t>();
  if (auto jtis = ParseJtis(claims.at(kClaimJtis), list); !jtis) return jtis.error();
  if (auto subjects = ParseSubjects(claims.at(kClaimSubjects), list); !subjects) {
    return subjects.error();
  }
  return list;
}

RevocationMatch FindRevocation(const RevocationList& list, std::string_view jti,
                               std::string_view subject, std::optional<std::int64_t> issued_at) {
  // Linear scans: a feed lists only unexpired revocations (a few thousand at most), and a
  // verifier that checks many tokens indexes the list once itself.
  if (!jti.empty() && std::any_of(list.jtis.begin(), list.jtis.end(),
                                  [&](const RevokedJtiEntry& e) { return e.jti == jti; })) {
    return RevocationMatch::kJtiListed;
  }
  if (subject.empty()) return RevocationMatch::kNotListed;
  const std::int64_t iat = issued_at.value_or(std::numeric_limits<std::int64_t>::min());
  const bool cut_off = std::any_of(
      list.subjects.begin(), list.subjects.end(),
      [&](const SubjectCutoffEntry& e) { return e.subject == subject && iat <= e.iat_max; });
  return cut_off ? RevocationMatch::kSubjectCutOff : RevocationMatch::kNotListed;
}

}  // namespace signet::oauth

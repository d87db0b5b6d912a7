#include "oauth/token_response.hpp"

#include "oauth/internal/json_text.hpp"

namespace signet::oauth {

std::string ToJson(const TokenResponse& response) {
  using internal::AppendJsonKey;
  using internal::AppendJsonString;
  std::string out;
  out.reserve(response.access_token.size() + response.refresh_token.size() +
              response.id_token.size() + response.scope.size() + 128);
  out.push_back('{');
  AppendJsonKey(out, "access_token");
  AppendJsonString(out, response.access_token);
  out.push_back(',');
  AppendJsonKey(out, "token_type");
  AppendJsonString(out, response.token_type);
  out.push_back(',');
  AppendJsonKey(out, "expires_in");
  internal::AppendJsonInt(out, response.expires_in.count());
  if (!response.scope.empty()) {
    out.push_back(',');
    AppendJsonKey(out, "scope");
    AppendJsonString(out, response.scope);
  }
  if (!response.refresh_token.empty()) {
    out.push_back(',');
    AppendJsonKey(out, "refresh_token");
    AppendJsonString(out, response.refresh_token);
  }
  if (!response.id_token.empty()) {
    out.push_back(',');
    AppendJsonKey(out, "id_token");
    AppendJsonString(out, response.id_token);
  }
  out.push_back('}');
  return out;
}

}  // namespace signet::oauth

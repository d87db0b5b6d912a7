#include "oauth/scope.hpp"

#include <algorithm>

namespace signet::oauth {
namespace {

bool IsScopeTokenChar(char c) noexcept {
  return c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

bool Contains(std::span<const std::string> list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

std::optional<std::vector<std::string>> ParseScope(std::string_view text) {
  std::vector<std::string> tokens;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = std::min(text.find(' ', start), text.size());
    const std::string_view token = text.substr(start, end - start);
    if (token.empty() || !std::all_of(token.begin(), token.end(), IsScopeTokenChar)) {
      return std::nullopt;  // empty text, double, leading or trailing space, bad character
    }
    if (!Contains(tokens, token)) tokens.emplace_back(token);
    if (end == text.size()) return tokens;
    start = end + 1;
  }
}

Expected<std::vector<std::string>> GrantScope(std::optional<std::string_view> requested,
                                              std::span<const std::string> registered) {
  if (!requested) return std::vector<std::string>(registered.begin(), registered.end());
  auto tokens = ParseScope(*requested);
  if (!tokens) return MakeError(ErrorCode::kInvalidScope, "malformed scope parameter");
  for (const std::string& token : *tokens) {
    if (!Contains(registered, token)) {
      // The token passed the ABNF above, so it is safe to echo: it is the client's own input.
      return MakeError(ErrorCode::kInvalidScope, "scope not registered for this client: " + token);
    }
  }
  return std::move(*tokens);
}

bool HasScope(std::span<const std::string> scope, std::string_view token) noexcept {
  return std::find(scope.begin(), scope.end(), token) != scope.end();
}

std::string JoinScope(std::span<const std::string> tokens) {
  std::string joined;
  for (const std::string& token : tokens) {
    if (!joined.empty()) joined.push_back(' ');
    joined += token;
  }
  return joined;
}

}  // namespace signet::oauth

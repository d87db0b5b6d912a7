#include "oauth/token_request.hpp"

#include <algorithm>

namespace signet::oauth {

Expected<TokenRequest> TokenRequest::FromForm(std::string_view body, std::string authorization,
                                              std::string client_ip) {
  auto params = ParseForm(body);
  if (!params) return params.error();
  return FromParams(std::move(*params), std::move(authorization), std::move(client_ip));
}

TokenRequest TokenRequest::FromParams(FormParams params, std::string authorization,
                                      std::string client_ip) {
  // RFC 6749 §3.1: "Parameters sent without a value MUST be treated as if they were
  // omitted from the request."
  std::erase_if(params, [](const auto& param) { return param.second.empty(); });
  return TokenRequest(std::move(params), std::move(authorization), std::move(client_ip));
}

std::optional<std::string_view> TokenRequest::Get(std::string_view name) const {
  for (const auto& [key, value] : params_) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::vector<std::string_view> TokenRequest::GetAll(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const auto& [key, value] : params_) {
    if (key == name) values.emplace_back(value);
  }
  return values;
}

std::optional<std::string_view> TokenRequest::FirstRepeated(
    std::span<const std::string_view> may_repeat) const {
  // Quadratic, but a request carries at most kMaxFormParameters and usually three or four.
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const std::string_view name = params_[i].first;
    if (std::find(may_repeat.begin(), may_repeat.end(), name) != may_repeat.end()) continue;
    for (std::size_t j = i + 1; j < params_.size(); ++j) {
      if (params_[j].first == name) return name;
    }
  }
  return std::nullopt;
}

}  // namespace signet::oauth

#include "store/redis_client_observer.hpp"

#include <algorithm>
#include <cstddef>

namespace signet::store {

std::string_view RedisCommandName(std::string_view first_argument) noexcept {
  constexpr std::size_t kLongest = 7;  // "EVALSHA", "HGETALL"
  if (first_argument.empty() || first_argument.size() > kLongest) return kOtherRedisCommand;
  std::array<char, kLongest> upper{};
  for (std::size_t i = 0; i < first_argument.size(); ++i) {
    const char c = first_argument[i];
    upper[i] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  const std::string_view name(upper.data(), first_argument.size());
  const auto* found = std::find(kRedisCommandNames.begin(), kRedisCommandNames.end(), name);
  return found == kRedisCommandNames.end() ? kOtherRedisCommand : *found;
}

std::string_view RedisCommandOutcomeName(RedisCommandOutcome outcome) noexcept {
  switch (outcome) {
    case RedisCommandOutcome::kOk: return "ok";
    case RedisCommandOutcome::kErrorReply: return "error";
    case RedisCommandOutcome::kTimeout: return "timeout";
    case RedisCommandOutcome::kUnavailable: return "unavailable";
  }
  return "unavailable";
}

}  // namespace signet::store

#pragma once
// The argc/argv/argvlen triple that redisCommandArgv and redisAsyncCommandArgv take, built
// from string_views without copying the bytes: every argument is sent as a binary-safe bulk
// string, so no user data is ever parsed as a format string.

#include <cstddef>
#include <span>
#include <string_view>

#include <boost/container/small_vector.hpp>

namespace signet::store::internal {

class RedisCommandArgs {
 public:
  explicit RedisCommandArgs(std::span<const std::string_view> args) {
    argv_.reserve(args.size());
    argvlen_.reserve(args.size());
    for (std::string_view arg : args) {
      argv_.push_back(arg.data() != nullptr ? arg.data() : "");
      argvlen_.push_back(arg.size());
    }
  }

  int argc() const noexcept { return static_cast<int>(argv_.size()); }
  const char** argv() noexcept { return argv_.data(); }
  const std::size_t* argvlen() const noexcept { return argvlen_.data(); }

 private:
  boost::container::small_vector<const char*, 8> argv_;
  boost::container::small_vector<std::size_t, 8> argvlen_;
};

}  // namespace signet::store::internal

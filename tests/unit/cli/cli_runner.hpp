#pragma once
// Drives cli::RunCli with string streams and an injected environment.

#include <filesystem>
#include <initializer_list>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <stdlib.h>

#include "cli/cli.hpp"

namespace signet::cli::testing {

struct CliRun {
  int status = -1;
  std::string out;
  std::string err;
};

class CliRunner {
 public:
  CliRunner& Env(std::string name, std::string value) {
    env_[std::move(name)] = std::move(value);
    return *this;
  }
  CliRunner& Stdin(std::string text) {
    stdin_ = std::move(text);
    return *this;
  }
  CliHooks& hooks() { return hooks_; }

  CliRun Run(std::vector<std::string> args) {
    std::istringstream in(stdin_);
    std::ostringstream out, err;
    CliIo io{in, out, err, [this](const char* name) -> const char* {
               auto it = env_.find(name);
               return it == env_.end() ? nullptr : it->second.c_str();
             }};
    CliRun run;
    run.status = RunCli(args, io, hooks_);
    run.out = out.str();
    run.err = err.str();
    return run;
  }

 private:
  std::map<std::string, std::string> env_;
  std::string stdin_;
  CliHooks hooks_;
};

// A fresh directory under the system temp dir, removed with its contents at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "signet-cli-XXXXXX").string();
    path_ = ::mkdtemp(templ.data()) != nullptr ? templ : std::string();
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

}  // namespace signet::cli::testing

#include <fstream>

inline std::string signet::cli::testing::TempDir::Write(const std::string& name,
                                                        const std::string& content) const {
  const std::string file = path_ + "/" + name;
  std::ofstream(file, std::ios::binary) << content;
  return file;
}

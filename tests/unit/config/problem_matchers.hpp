#pragma once
// Helpers for asserting on config::LoadErrors: a problem is identified by its exact key path
// and its Errc, never by message text alone.

#include <algorithm>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "config/loader.hpp"

namespace signet::config::testing {

// Returns a copy: result<T, LoadErrors>::error() returns the errors by value, so a pointer
// into `errors` would dangle when called as FindProblem(loaded.error(), ...).
inline std::optional<Problem> FindProblem(const LoadErrors& errors, const std::string& path,
                                          Errc code) {
  auto it = std::find_if(errors.problems.begin(), errors.problems.end(),
                         [&](const Problem& p) { return p.path == path && p.code == code; });
  if (it == errors.problems.end()) return std::nullopt;
  return *it;
}

// Loads `yaml` and expects failure with a problem (path, code) among the reported ones.
inline ::testing::AssertionResult FailsWith(const std::string& yaml, const std::string& path,
                                            Errc code) {
  auto loaded = LoadConfigText(yaml, "test.yaml");
  if (loaded) return ::testing::AssertionFailure() << "config loaded without problems";
  if (FindProblem(loaded.error(), path, code)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "no problem at '" << path << "' with code "
                                       << make_error_code(code).message() << "; got:\n"
                                       << loaded.error().Format();
}

inline ::testing::AssertionResult Loads(const std::string& yaml) {
  auto loaded = LoadConfigText(yaml, "test.yaml");
  if (loaded) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << loaded.error().Format();
}

}  // namespace signet::config::testing

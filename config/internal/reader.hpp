#pragma once
// Typed reading of yaml-cpp nodes with problem collection. Every reader reports into a
// ProblemList and returns nullopt on error, so section parsers keep going and the user sees
// every problem at once. No yaml-cpp call used here throws on well-formed nodes; the loader
// still catches YAML::Exception around the whole parse as a last line of defence.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/duration.hpp"
#include "config/problem.hpp"
#include "keys/algorithm.hpp"

namespace signet::config::internal {

class ProblemList {
 public:
  void Add(std::string path, Errc code, std::string detail) {
    problems_.push_back({std::move(path), code, std::move(detail)});
  }
  bool empty() const { return problems_.empty(); }
  std::size_t size() const { return problems_.size(); }
  std::vector<Problem> Take() { return std::move(problems_); }

 private:
  std::vector<Problem> problems_;
};

// "tokens" + "leeway" -> "tokens.leeway"; "" + "issuer" -> "issuer".
std::string JoinPath(std::string_view parent, std::string_view key);
// "clients" + 2 -> "clients[2]".
std::string IndexPath(std::string_view parent, std::size_t index);

// "a string", "a list", "a mapping", "null" — for "expected X, got Y" messages.
std::string_view DescribeNode(const YAML::Node& node);

// The allowed name closest to `name` by edit distance, if it is close enough to be a typo.
std::optional<std::string_view> NearestName(std::string_view name,
                                            std::span<const std::string_view> allowed);

// A YAML mapping whose keys were checked: reports a non-mapping, non-scalar keys,
// duplicate keys and unknown keys (with a suggestion).
class MapReader {
 public:
  // nullopt when `node` is not a mapping (already reported).
  static std::optional<MapReader> Open(const YAML::Node& node, std::string path,
                                       std::span<const std::string_view> allowed,
                                       ProblemList& problems);

  // The value under `key`, or nullptr when absent or null (YAML `key:` with no value).
  const YAML::Node* Find(std::string_view key) const;
  std::string PathOf(std::string_view key) const { return JoinPath(path_, key); }
  const std::string& path() const { return path_; }

 private:
  explicit MapReader(std::string path) : path_(std::move(path)) {}

  std::string path_;
  std::vector<std::pair<std::string, YAML::Node>> entries_;
};

// Scalar readers. `path` names the node in messages.
std::optional<std::string> ReadString(const YAML::Node& node, const std::string& path,
                                      ProblemList& problems);
std::optional<std::int64_t> ReadInt(const YAML::Node& node, const std::string& path,
                                    std::int64_t min, std::int64_t max, ProblemList& problems);
std::optional<std::chrono::seconds> ReadDuration(const YAML::Node& node, const std::string& path,
                                                 DurationOptions options, ProblemList& problems);
std::optional<keys::Algorithm> ReadAlgorithm(const YAML::Node& node, const std::string& path,
                                             ProblemList& problems);

// A list of scalars. Each element's problems are reported at `path[i]`; invalid elements are
// left out of the result. A single scalar is accepted as a one-element list only when
// `allow_scalar` is set (e.g. audience, which RFC 7519 §4.1.3 allows as a string).
std::optional<std::vector<std::string>> ReadStringList(const YAML::Node& node,
                                                       const std::string& path,
                                                       ProblemList& problems,
                                                       bool allow_scalar = false);

// Calls `fn(node, path)` when `key` is present in `map`.
template <class Fn>
void WithKey(const MapReader& map, std::string_view key, Fn&& fn) {
  if (const YAML::Node* node = map.Find(key)) fn(*node, map.PathOf(key));
}

// A list of records whose `id_key` member must be unique (client_id, username). Each element is
// parsed by `parse(node, path, record)` at `path[i]`; a repeated id is reported at
// `path[i].id_key`, naming both indexes. Every element is kept so later checks still see it.
template <class Record, class IdOf, class Parse>
void ReadUniqueList(const YAML::Node& node, const std::string& path, std::string_view what,
                    std::string_view id_key, IdOf id_of, Parse parse, std::vector<Record>& out,
                    ProblemList& problems) {
  if (!node.IsSequence()) {
    return problems.Add(
        path, Errc::kWrongType,
        "expected a list of " + std::string(what) + ", got " + std::string(DescribeNode(node)));
  }
  std::size_t index = 0;
  for (const YAML::Node& element : node) {
    const std::string element_path = IndexPath(path, index);
    Record record;
    parse(element, element_path, record);
    const std::string& id = id_of(record);
    for (std::size_t other = 0; other < out.size(); ++other) {
      if (!id.empty() && id_of(out[other]) == id) {
        problems.Add(JoinPath(element_path, id_key), Errc::kDuplicateValue,
                     "duplicate " + std::string(id_key) + " '" + id +
                         "': " + IndexPath(path, other) + " and " + element_path + " use it");
        break;
      }
    }
    out.push_back(std::move(record));
    ++index;
  }
}

}  // namespace signet::config::internal

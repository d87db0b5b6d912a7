#include "config/internal/reader.hpp"

#include <algorithm>
#include <charconv>

namespace signet::config::internal {
namespace {

// Levenshtein distance; names are short, so the O(n*m) table is fine.
std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string Quoted(std::string_view text) {
  // Keys and enum values in messages are shown quoted and cut short: they come from the
  // file and may be long or hostile (they are never secrets: only key names and enums).
  constexpr std::size_t kMax = 64;
  std::string out = "'";
  out.append(text.substr(0, kMax));
  if (text.size() > kMax) out.append("...");
  out.push_back('\'');
  return out;
}

}  // namespace

std::string JoinPath(std::string_view parent, std::string_view key) {
  std::string path(parent);
  if (!path.empty()) path.push_back('.');
  path.append(key);
  return path;
}

std::string IndexPath(std::string_view parent, std::size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

std::string_view DescribeNode(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined: return "nothing";
    case YAML::NodeType::Null: return "null";
    case YAML::NodeType::Scalar: return "a scalar";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
  }
  return "an unknown node";
}

std::optional<std::string_view> NearestName(std::string_view name,
                                            std::span<const std::string_view> allowed) {
  std::optional<std::string_view> best;
  std::size_t best_distance = 0;
  for (std::string_view candidate : allowed) {
    const std::size_t d = EditDistance(name, candidate);
    if (!best || d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  // A typo changes a few characters; beyond that the suggestion would be noise.
  const std::size_t limit = std::max<std::size_t>(2, name.size() / 3);
  if (!best || best_distance > limit) return std::nullopt;
  return best;
}

std::optional<MapReader> MapReader::Open(const YAML::Node& node, std::string path,
                                         std::span<const std::string_view> allowed,
                                         ProblemList& problems) {
  if (!node.IsMap()) {
    problems.Add(path, Errc::kWrongType,
                 "expected a mapping, got " + std::string(DescribeNode(node)));
    return std::nullopt;
  }
  MapReader reader(std::move(path));
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar()) {
      problems.Add(reader.path_, Errc::kWrongType,
                   "a key must be a plain name, got " + std::string(DescribeNode(it->first)));
      continue;
    }
    const std::string& name = it->first.Scalar();
    const std::string key_path = JoinPath(reader.path_, name);
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string detail = "unknown key " + Quoted(name);
      if (auto nearest = NearestName(name, allowed)) {
        detail += "; did you mean " + Quoted(*nearest) + "?";
      }
      problems.Add(key_path, Errc::kUnknownKey, std::move(detail));
      continue;
    }
    const bool seen = std::any_of(reader.entries_.begin(), reader.entries_.end(),
                                  [&](const auto& entry) { return entry.first == name; });
    if (seen) {
      problems.Add(key_path, Errc::kDuplicateKey, "key appears more than once");
      continue;
    }
    reader.entries_.emplace_back(name, it->second);
  }
  return reader;
}

const YAML::Node* MapReader::Find(std::string_view key) const {
  for (const auto& [name, node] : entries_) {
    if (name == key) return node.IsNull() ? nullptr : &node;
  }
  return nullptr;
}

std::optional<std::string> ReadString(const YAML::Node& node, const std::string& path,
                                      ProblemList& problems) {
  if (!node.IsScalar()) {
    problems.Add(path, Errc::kWrongType,
                 "expected a string, got " + std::string(DescribeNode(node)));
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<std::int64_t> ReadInt(const YAML::Node& node, const std::string& path,
                                    std::int64_t min, std::int64_t max, ProblemList& problems) {
  if (!node.IsScalar()) {
    problems.Add(path, Errc::kWrongType,
                 "expected an integer, got " + std::string(DescribeNode(node)));
    return std::nullopt;
  }
  const std::string& text = node.Scalar();
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) {
    problems.Add(path, Errc::kOutOfRange, "integer too large");
    return std::nullopt;
  }
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
    problems.Add(path, Errc::kWrongType, "expected an integer, got " + Quoted(text));
    return std::nullopt;
  }
  if (value < min || value > max) {
    problems.Add(path, Errc::kOutOfRange,
                 "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return value;
}

std::optional<std::chrono::seconds> ReadDuration(const YAML::Node& node, const std::string& path,
                                                 DurationOptions options, ProblemList& problems) {
  if (!node.IsScalar()) {
    problems.Add(path, Errc::kWrongType,
                 "expected a duration (900, \"15m\", \"1h\", \"30d\"), got " +
                     std::string(DescribeNode(node)));
    return std::nullopt;
  }
  auto parsed = ParseDuration(node.Scalar(), options);
  if (!parsed) {
    const auto code = static_cast<Errc>(parsed.error().value());
    problems.Add(path, code, std::string(DurationErrorHint(code)));
    return std::nullopt;
  }
  return *parsed;
}

std::optional<keys::Algorithm> ReadAlgorithm(const YAML::Node& node, const std::string& path,
                                             ProblemList& problems) {
  auto name = ReadString(node, path, problems);
  if (!name) return std::nullopt;
  if (auto alg = keys::ParseAlgorithm(*name)) return alg;
  std::string detail = Quoted(*name) + " is not a supported algorithm";
  if (*name == "none") {
    detail += ": unsigned tokens are never issued (RFC 8725 §3.1)";
  } else if (name->rfind("HS", 0) == 0) {
    detail += ": HMAC needs a shared secret, and a published key set cannot verify it";
  }
  detail += "; use one of RS256, PS256, ES256, ES384, EdDSA";
  problems.Add(path, Errc::kBadAlgorithm, std::move(detail));
  return std::nullopt;
}

std::optional<std::vector<std::string>> ReadStringList(const YAML::Node& node,
                                                       const std::string& path,
                                                       ProblemList& problems, bool allow_scalar) {
  if (allow_scalar && node.IsScalar()) return std::vector<std::string>{node.Scalar()};
  if (!node.IsSequence()) {
    problems.Add(path, Errc::kWrongType, "expected a list, got " + std::string(DescribeNode(node)));
    return std::nullopt;
  }
  std::vector<std::string> values;
  std::size_t index = 0;
  for (const YAML::Node& element : node) {
    if (auto value = ReadString(element, IndexPath(path, index), problems)) {
      values.push_back(std::move(*value));
    }
    ++index;
  }
  return values;
}

}  // namespace signet::config::internal

#pragma once
// Section parsers of the loader. Each fills its part of Config from a YAML node and reports
// every problem into the ProblemList; values with problems keep their defaults. Clients and
// users are always appended (even when invalid) so that later checks name the right index.

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/config.hpp"
#include "config/internal/reader.hpp"

namespace signet::config::internal {

// The whole document: top-level keys and every section below.
void ParseDocument(const YAML::Node& root, Config& config, ProblemList& problems);

// clients: [...] (config/internal/clients.cpp).
void ParseClients(const YAML::Node& node, const std::string& path, std::vector<Client>& clients,
                  ProblemList& problems);

// users: [...] (config/internal/users.cpp).
void ParseUsers(const YAML::Node& node, const std::string& path, std::vector<User>& users,
                ProblemList& problems);

// Checks between sections, run on the finished Config (also after environment overrides):
// signing algorithms listed in keys.algorithms, publish_ahead <= rotate_every, a Redis store
// needs keys.encryption_key_file.
void CheckCrossFields(const Config& config, ProblemList& problems);

}  // namespace signet::config::internal

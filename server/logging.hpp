#pragma once
// signet's log output: spdlog, as text or JSON lines (SIGNET_LOG_FORMAT / config log_format).
//
// JSON lines carry "ts" (UTC, RFC 3339 with microseconds), "level", "msg" and the event's
// fields; the text format prints "msg key=value ...". Structured events (LogEvent) keep their
// fields as separate JSON members so that log pipelines can index them.
//
// Never log an Authorization header, a request body, a token, a secret or a private key:
// the callers pass only the fields listed where they log (client_id, kid, jti, status, ...).
//
// Usage:
//   server::InitLogging(config);                      // once, before anything logs
//   server::LogEvent(spdlog::level::info, "listening", {{"address", "127.0.0.1:8080"}});
//   server::LogAccess({.method = "POST", .path = "/oauth2/token", .status = 200, ...});

#include <chrono>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include <spdlog/common.h>

#include "config/config.hpp"

namespace signet::server {

// Installs the default spdlog logger (stderr) with the configured level and format.
// An unknown level name falls back to "info" (the config loader validates it).
void InitLogging(const config::Config& config);
void InitLogging(std::string_view level, config::LogFormat format);

struct LogField {
  std::string_view key;
  std::string_view value;
  bool is_number = false;  // JSON: written without quotes (value must be digits)
};

// One event with fields. Values are escaped for JSON, or quoted in text when they contain
// spaces, quotes or control characters.
void LogEvent(spdlog::level::level_enum level, std::string_view msg,
              std::initializer_list<LogField> fields);

struct AccessRecord {
  std::string_view method;
  std::string_view path;  // without the query string
  unsigned status = 0;
  std::chrono::microseconds duration{0};
  std::string_view client_id;  // empty when unknown
  std::string_view peer_ip;
};

// The access-log line for one request ("access" event).
void LogAccess(const AccessRecord& record);

// Exposed for tests: the JSON rendering of an event without the ts/level members,
// e.g. {"msg":"access","method":"GET"} (as it appears inside the line).
std::string RenderJsonEvent(std::string_view msg, std::initializer_list<LogField> fields);
std::string RenderTextEvent(std::string_view msg, std::initializer_list<LogField> fields);

}  // namespace signet::server

#pragma once
// How the CLI prints instants: RFC 3339 UTC to the second ("2026-11-29T05:40:00Z"), the form
// the key files store and operators can paste into `date -d`.

#include <chrono>
#include <string>

namespace signet::cli {

std::string FormatUtc(std::chrono::system_clock::time_point t);

}  // namespace signet::cli

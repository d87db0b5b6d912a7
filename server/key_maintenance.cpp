#include "server/key_maintenance.hpp"

#include <utility>

#include <spdlog/spdlog.h>

#include "keys/algorithm.hpp"
#include "server/logging.hpp"

namespace signet::server {
namespace {

using Failure = boost::system::result<std::unique_ptr<KeyMaintenance>, std::string>;

void LogKeySet(const keys::KeySetSnapshot& snapshot) {
  for (const keys::KeyEntry& entry : snapshot.entries()) {
    LogEvent(spdlog::level::info, "key",
             {{"kid", entry.kid},
              {"alg", keys::JwaName(entry.alg)},
              {"state", keys::KeyStateName(entry.state)}});
  }
}

}  // namespace

Failure KeyMaintenance::Start(keys::KeyManager& manager, keys::KeyRing& ring, JwksEndpoint& jwks,
                              std::chrono::milliseconds interval) {
  std::unique_ptr<KeyMaintenance> maintenance(
      new KeyMaintenance(manager, ring, jwks, interval));
  if (std::string error = maintenance->TickOnce(); !error.empty()) return error;
  if (!jwks.loaded()) return std::string("the key store holds no keys");
  maintenance->thread_ = std::thread([raw = maintenance.get()] { raw->Loop(); });
  return maintenance;
}

KeyMaintenance::~KeyMaintenance() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  manager_.ReleaseLease();
}

std::string KeyMaintenance::TickOnce() {
  auto changed = manager_.Tick(std::chrono::system_clock::now());
  for (const std::string& notice : manager_.TakeNotices()) {
    LogEvent(spdlog::level::info, "key rotation", {{"detail", notice}});
  }
  if (!changed) {
    std::string detail = manager_.LastErrorDetail();
    return manager_.Describe() + ": " + changed.error().message() +
           (detail.empty() ? "" : " (" + detail + ")");
  }
  if (!changed->has_value()) return "";
  if (auto replaced = ring_.Replace(std::move(**changed)); !replaced) {
    return "key set: " + replaced.error().message();
  }
  const auto snapshot = ring_.Snapshot();
  if (auto updated = jwks_.Update(snapshot->Verifiers()); !updated) {
    return "building the JWKS: " + updated.error().message();
  }
  LogKeySet(*snapshot);
  return "";
}

void KeyMaintenance::Loop() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    std::string error = TickOnce();
    // One line per distinct failure, one when it clears: a Redis outage must not flood the log.
    if (error != last_error_) {
      if (!error.empty()) {
        LogEvent(spdlog::level::warn, "key maintenance failed; serving the last key set",
                 {{"reason", error}});
      } else {
        LogEvent(spdlog::level::info, "key maintenance recovered", {});
      }
      last_error_ = std::move(error);
    }
    lock.lock();
  }
}

}  // namespace signet::server

#pragma once
// Keeps the served key ring in step with the key store: a background thread that calls
// keys::KeyManager::Tick every poll interval and, when the ring changed (a rotation by this
// process or another replica, `signet keys rotate`, or simply a key's time to activate or
// retire), publishes the new entries to the KeyRing (token signing) and the JWKS endpoint.
//
// Why a thread of its own: a tick may block on disk or on the synchronous Redis client, and
// nothing may block an I/O thread. It only ever swaps immutable snapshots, so request threads
// never wait for it.
//
// A failed tick (Redis down, a disk error) is logged once per distinct reason and retried on
// the next tick; the last good key set keeps serving, which is safe because every published
// key stays valid for at least its retention.
//
// Usage:
//   auto maintenance = KeyMaintenance::Start(manager, ring, jwks, interval);  // first tick now
//   if (!maintenance) fail start-up with maintenance.error();
//   ... the destructor stops the thread (and releases the rotation lease via the manager).

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <boost/system/result.hpp>

#include "keys/key_manager.hpp"
#include "keys/key_ring.hpp"
#include "server/jwks_endpoint.hpp"

namespace signet::server {

class KeyMaintenance {
 public:
  // Runs the first tick on the calling thread, so that start-up fails with the reason (a wrong
  // KEK, an unreadable key) before the server listens; then starts the background thread.
  [[nodiscard]] static boost::system::result<std::unique_ptr<KeyMaintenance>, std::string> Start(
      keys::KeyManager& manager, keys::KeyRing& ring, JwksEndpoint& jwks,
      std::chrono::milliseconds interval);
  ~KeyMaintenance();
  KeyMaintenance(const KeyMaintenance&) = delete;
  KeyMaintenance& operator=(const KeyMaintenance&) = delete;

 private:
  KeyMaintenance(keys::KeyManager& manager, keys::KeyRing& ring, JwksEndpoint& jwks,
                 std::chrono::milliseconds interval)
      : manager_(manager), ring_(ring), jwks_(jwks), interval_(interval) {}

  // One tick; the error text for the log, or "" when it went well.
  std::string TickOnce();
  void Loop();

  keys::KeyManager& manager_;
  keys::KeyRing& ring_;
  JwksEndpoint& jwks_;
  const std::chrono::milliseconds interval_;
  std::string last_error_;  // only touched by the maintenance thread after Start

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace signet::server

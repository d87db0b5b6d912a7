#pragma once
// Counts and reaches the open connections: admission against server.max_connections, and
// the graceful shutdown (close idle keep-alive connections, let in-flight requests finish).
//
// Each connection runs on its own strand; the tracker never touches a socket directly but
// posts to the connection's executor, where the session has the only access to it.
//
// Usage (listener and session):
//   auto entry = tracker.TryAdmit(executor);       // nullptr: over the limit, refuse
//   entry->socket = &socket;  entry->idle = true;  // on the strand, while waiting
//   tracker.Release(entry);                        // on the strand, before the socket dies

#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_set>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace signet::server {

class ConnectionTracker {
 public:
  struct Entry {
    boost::asio::any_io_executor executor;  // the connection's strand
    // Touched only on `executor`: the session sets socket while it lives and idle while it
    // waits for the first byte of a request (nothing in flight: safe to close on shutdown).
    boost::asio::ip::tcp::socket* socket = nullptr;
    bool idle = false;
  };

  explicit ConnectionTracker(std::size_t max_connections) : max_(max_connections) {}
  ConnectionTracker(const ConnectionTracker&) = delete;
  ConnectionTracker& operator=(const ConnectionTracker&) = delete;

  // A new entry, or nullptr when max_connections are open. Thread-safe.
  std::shared_ptr<Entry> TryAdmit(boost::asio::any_io_executor executor);
  // Forgets the entry. Thread-safe; call on the entry's strand after clearing entry->socket.
  void Release(const std::shared_ptr<Entry>& entry);

  std::size_t size() const;
  bool stopping() const;

  // Stops keep-alive (sessions answer with Connection: close) and cancels the reads of idle
  // connections. In-flight requests continue. Thread-safe.
  void BeginShutdown();
  // Cancels every connection's pending operation (the end of the grace period).
  void CancelAll();

 private:
  void CancelWhere(bool idle_only);

  const std::size_t max_;
  mutable std::mutex mutex_;
  std::unordered_set<std::shared_ptr<Entry>> entries_;
  bool stopping_ = false;
};

}  // namespace signet::server

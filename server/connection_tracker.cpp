#include "server/connection_tracker.hpp"

#include <vector>

#include <boost/asio/post.hpp>

namespace signet::server {

std::shared_ptr<ConnectionTracker::Entry> ConnectionTracker::TryAdmit(
    boost::asio::any_io_executor executor) {
  std::lock_guard lock(mutex_);
  if (stopping_ || entries_.size() >= max_) return nullptr;
  auto entry = std::make_shared<Entry>();
  entry->executor = std::move(executor);
  entries_.insert(entry);
  return entry;
}

void ConnectionTracker::Release(const std::shared_ptr<Entry>& entry) {
  std::lock_guard lock(mutex_);
  entries_.erase(entry);
}

std::size_t ConnectionTracker::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

bool ConnectionTracker::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void ConnectionTracker::BeginShutdown() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  CancelWhere(/*idle_only=*/true);
}

void ConnectionTracker::CancelAll() { CancelWhere(/*idle_only=*/false); }

void ConnectionTracker::CancelWhere(bool idle_only) {
  std::vector<std::shared_ptr<Entry>> entries;
  {
    std::lock_guard lock(mutex_);
    entries.assign(entries_.begin(), entries_.end());
  }
  for (auto& entry : entries) {
    // The check runs on the connection's strand: the session may have moved on (or ended)
    // since the snapshot, and only there are socket and idle consistent.
    boost::asio::post(entry->executor, [entry, idle_only] {
      if (entry->socket == nullptr || (idle_only && !entry->idle)) return;
      boost::system::error_code ignored;
      entry->socket->cancel(ignored);
    });
  }
}

}  // namespace signet::server

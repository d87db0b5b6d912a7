#pragma once
// A real redis-server for tests: started on a free 127.0.0.1 port in a throw-away directory,
// with persistence off (or append-only on request), and controllable like an outage:
//
//   test_support::RedisServer redis;               // started, answers PING
//   auto url = store::ParseRedisUrl(redis.url());
//   redis.Pause();   ... redis.Resume();        // SIGSTOP / SIGCONT: a hung server
//   redis.Stop();    ... redis.Start();         // SIGTERM, then again on the same port
//   redis.Kill();                               // SIGKILL: a crash
//
// The destructor kills the server and removes its directory. Failures to start throw
// std::runtime_error (a broken test environment, not a test result). The binary is
// $SIGNET_REDIS_SERVER or `redis-server` from PATH.

#include <string>

#include <sys/types.h>

namespace signet::test_support {

struct RedisServerOptions {
  bool append_only = false;   // --appendonly yes: survives Kill() + Start() with its data
  std::string password = "";  // --requirepass when not empty
};

class RedisServer {
 public:
  explicit RedisServer(RedisServerOptions options = {});
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  int port() const noexcept { return port_; }
  const std::string& host() const noexcept { return host_; }
  // "redis://127.0.0.1:PORT/0", with ":password@" when one is set.
  std::string url() const;
  bool running() const noexcept { return pid_ > 0; }
  bool paused() const noexcept { return paused_; }

  // Starts the server on the same port (after Stop or Kill) and waits until it answers PING.
  void Start();
  // SIGTERM and wait for the exit (resumes a paused server first).
  void Stop();
  // SIGKILL and wait for the exit.
  void Kill();
  // SIGSTOP / SIGCONT: the server keeps its connections open but answers nothing.
  void Pause();
  void Resume();

 private:
  void WaitUntilReady();
  void Signal(int signal);
  void Reap();

  RedisServerOptions options_;
  std::string host_ = "127.0.0.1";
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
  bool paused_ = false;
};

// A TCP port on 127.0.0.1 that was free a moment ago (nothing listens on it afterwards).
int FreeLoopbackPort();

}  // namespace signet::test_support

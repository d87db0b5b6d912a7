#include "tests/support/redis_server.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace signet::test_support {
namespace {

constexpr auto kStartDeadline = std::chrono::seconds(15);

std::string RedisServerBinary() {
  const char* configured = std::getenv("SIGNET_REDIS_SERVER");
  return configured != nullptr && *configured != '\0' ? configured : "redis-server";
}

bool Pings(const std::string& host, int port, const std::string& password) {
  const timeval timeout{1, 0};
  redisContext* context = redisConnectWithTimeout(host.c_str(), port, timeout);
  if (context == nullptr) return false;
  bool ok = context->err == 0;
  if (ok && !password.empty()) {
    const char* argv[] = {"AUTH", password.c_str()};
    const size_t lens[] = {4, password.size()};
    auto* reply = static_cast<redisReply*>(redisCommandArgv(context, 2, argv, lens));
    ok = reply != nullptr && reply->type == REDIS_REPLY_STATUS;
    if (reply != nullptr) freeReplyObject(reply);
  }
  if (ok) {
    auto* reply = static_cast<redisReply*>(redisCommand(context, "PING"));
    // A loading server answers -LOADING; only +PONG means ready.
    ok = reply != nullptr && reply->type == REDIS_REPLY_STATUS;
    if (reply != nullptr) freeReplyObject(reply);
  }
  redisFree(context);
  return ok;
}

}  // namespace

int FreeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("could not find a free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

RedisServer::RedisServer(RedisServerOptions options) : options_(std::move(options)) {
  std::string pattern = (std::filesystem::temp_directory_path() / "signet-redis-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  port_ = FreeLoopbackPort();
  Start();
}

RedisServer::~RedisServer() {
  if (running()) Kill();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string RedisServer::url() const {
  std::string auth = options_.password.empty() ? "" : ":" + options_.password + "@";
  return "redis://" + auth + host_ + ":" + std::to_string(port_) + "/0";
}

void RedisServer::Start() {
  if (running()) return;
  const std::string binary = RedisServerBinary();
  std::vector<std::string> args = {binary,
                                   "--port",
                                   std::to_string(port_),
                                   "--bind",
                                   host_,
                                   "--save",
                                   "",
                                   "--appendonly",
                                   options_.append_only ? "yes" : "no",
                                   "--dir",
                                   dir_,
                                   "--logfile",
                                   dir_ + "/redis.log",
                                   "--daemonize",
                                   "no"};
  if (!options_.password.empty()) {
    args.push_back("--requirepass");
    args.push_back(options_.password);
  }
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  // The server logs to its --logfile; it must not hold the test's stdout/stderr open (a
  // pipe reader would wait for a server that outlives a crashed test).
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
    posix_spawn_file_actions_addopen(&actions, fd, "/dev/null",
                                     fd == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0);
  }
  pid_t pid = -1;
  const int spawned = ::posix_spawnp(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("could not start " + binary);
  pid_ = pid;
  paused_ = false;
  WaitUntilReady();
}

// Polls PING until the server answers (a readiness probe, not a timing assumption).
void RedisServer::WaitUntilReady() {
  const auto deadline = std::chrono::steady_clock::now() + kStartDeadline;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("redis-server exited at start; see " + dir_ + "/redis.log");
    }
    if (Pings(host_, port_, options_.password)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Kill();
  throw std::runtime_error("redis-server did not answer PING on port " + std::to_string(port_));
}

void RedisServer::Stop() {
  if (!running()) return;
  if (paused_) Resume();
  Signal(SIGTERM);
  Reap();
}

void RedisServer::Kill() {
  if (!running()) return;
  Signal(SIGKILL);
  Reap();
}

void RedisServer::Pause() {
  if (!running() || paused_) return;
  Signal(SIGSTOP);
  paused_ = true;
}

void RedisServer::Resume() {
  if (!running() || !paused_) return;
  Signal(SIGCONT);
  paused_ = false;
}

void RedisServer::Signal(int signal) { ::kill(pid_, signal); }

void RedisServer::Reap() {
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  paused_ = false;
}

}  // namespace signet::test_support

// signet revoke --sub SUBJECT [--config FILE]
//
// "Log out everywhere" (interface.md): every token of SUBJECT issued until now is revoked, as
// a per-subject cut-off in the revocation store the configuration names (store/
// revocation_store.hpp). The cut-off is kept until every token it can revoke has expired
// anyway: now + max(access_token_ttl, id_token_ttl) + leeway.
//
// Only a shared store can be reached from here: with redis.url, the command connects to the
// same Redis as the servers (the store's API is asynchronous, so it runs a small io_context of
// its own), and every replica sees the cut-off at once. Without redis.url each server keeps its
// revocations in its own memory, which no other process can reach: the command fails (exit 1)
// instead of pretending to have revoked anything.

#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <optional>
#include <ostream>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/config_source.hpp"
#include "cli/time_format.hpp"
#include "store/redis_async_client.hpp"
#include "store/redis_revocation_store.hpp"
#include "store/redis_url.hpp"

namespace signet::cli {
namespace {

namespace net = boost::asio;

constexpr std::string_view kCommand = "revoke";
constexpr std::array<FlagSpec, 2> kFlags{{{"config"}, {"sub"}}};
// Connecting includes AUTH / SELECT / PING within the client's own connect timeout (1 s); the
// first failed attempt ends the wait (a command line should not sit through back-off), this is
// only the outer bound.
constexpr std::chrono::milliseconds kConnectWait{3000};
constexpr std::chrono::milliseconds kConnectPoll{10};

constexpr std::string_view kHelp =
    "usage: signet revoke --sub SUBJECT [--config FILE]\n"
    "\n"
    "Revokes every token of SUBJECT issued until now (logout everywhere): a per-subject\n"
    "cut-off in the revocation store shared by the servers, kept for the longest token\n"
    "lifetime plus the leeway. Introspection answers active: false for those tokens on every\n"
    "replica at once. Needs redis.url in the configuration: without it each server keeps\n"
    "revocations in its own memory, which this command cannot reach (revoke single tokens\n"
    "at POST /oauth2/revoke instead). SIGNET_CONFIG and the SIGNET_* overrides apply as for\n"
    "serve.\n";

// Waits for the client's first connection attempt (Command fails at once while disconnected),
// then writes the cut-off. The result lands in `result`.
net::awaitable<void> RevokeWhenConnected(store::RedisAsyncClient& redis,
                                         store::RevocationStore& revocations, std::string subject,
                                         store::WallTime cutoff, store::WallTime keep_until,
                                         std::optional<store::Result<void>>& result) {
  net::steady_timer timer(co_await net::this_coro::executor);
  const auto deadline = std::chrono::steady_clock::now() + kConnectWait;
  while (!redis.connected() && !redis.last_error() && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(kConnectPoll);
    boost::system::error_code ignored;
    co_await timer.async_wait(net::redirect_error(net::use_awaitable, ignored));
  }
  if (!redis.connected()) {
    const boost::system::error_code why = redis.last_error();
    result = why ? store::Result<void>(why) : store::Result<void>(store::Errc::kUnavailable);
  } else {
    auto revoking = revocations.RevokeSubject(std::move(subject), cutoff, keep_until);
    result = co_await std::move(revoking);
  }
  redis.Stop();
}

}  // namespace

int RunRevoke(std::span<const std::string> args, CliIo& io) {
  auto parsed = ParseArgs(args, kFlags);
  if (!parsed) return Fail(io, kCommand, parsed.error().message, kExitUsage);
  if (parsed->help()) {
    io.out << kHelp;
    return kExitOk;
  }
  if (!parsed->positionals().empty()) {
    return Fail(io, kCommand, "unexpected argument '" + parsed->positionals()[0] + "'", kExitUsage);
  }
  const std::optional<std::string> subject = parsed->Get("sub");
  if (!subject || subject->empty())
    return Fail(io, kCommand, "--sub SUBJECT is required", kExitUsage);
  auto config = LoadCommandConfig(ConfigPath(*parsed, io), io);
  if (!config) return kExitUsage;
  if (config->redis.url.empty()) {
    return Fail(io, kCommand,
                "revocation by the command line needs redis.url: without it every server keeps "
                "its revocations in its own memory, which this command cannot reach (revoke "
                "single tokens at POST /oauth2/revoke instead)",
                kExitFailure);
  }
  auto url = store::ParseRedisUrl(config->redis.url);
  if (!url) return Fail(io, kCommand, "redis.url: " + url.error().message(), kExitUsage);

  const auto now = std::chrono::system_clock::now();
  const store::WallTime cutoff = std::chrono::floor<std::chrono::seconds>(now);
  // Every token the cut-off can revoke has expired by then, even for a verifier using the
  // leeway; after it the entry is pruned.
  const store::WallTime keep_until =
      cutoff + std::max(config->tokens.access_token_ttl, config->tokens.id_token_ttl) +
      config->tokens.leeway;

  net::io_context context(1);
  std::optional<store::Result<void>> result;
  {
    store::RedisAsyncClient redis(context.get_executor(), *url);
    store::RedisRevocationStore revocations(redis);
    net::co_spawn(context,
                  RevokeWhenConnected(redis, revocations, *subject, cutoff, keep_until, result),
                  net::detached);
    context.run();
  }
  if (!result || !*result) {
    const std::string why = result ? result->error().message() : "the operation did not finish";
    return Fail(io, kCommand,
                "cannot record the revocation in redis " + url->Describe() + ": " + why,
                kExitFailure);
  }
  io.out << "revoked every token of subject '" << *subject << "' issued until " << FormatUtc(cutoff)
         << " (recorded in redis " << url->Describe() << ", kept until " << FormatUtc(keep_until)
         << ")\n";
  return kExitOk;
}

}  // namespace signet::cli

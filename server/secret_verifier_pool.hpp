#pragma once
// Runs argon2id client-secret checks on a few worker threads, off the I/O threads.
//
// One argon2id verification costs 20-40 ms of CPU (keys/password_hash.hpp); it is paid on the
// first correct client_secret_hash secret and on every wrong one (oauth/client_authenticator.hpp
// explains why). Run inline, a handful of wrong secrets per second would stall every connection
// of an I/O thread. The pool takes those runs; the token request's coroutine is suspended until
// the result comes back on its own strand.
//
// Bounded: at most `max_pending` checks are queued or running. Past that, Verify answers
// temporarily_unavailable at once (the server sends 503 + Retry-After, RFC 9110 §15.6.4), so a
// flood of wrong secrets costs a fixed amount of memory and CPU instead of an unbounded queue.
//
// Lifetime: the pool must outlive every server that calls its verifier; destroy it after the
// I/O threads have stopped (queued checks are then abandoned, not run). Asio stays behind the
// pimpl.
//
// Usage (server/app.cpp):
//   auto pool = std::make_unique<server::SecretVerifierPool>(oauth::Argon2SecretVerifier());
//   deps.verify_hash = pool->Verifier();

#include <cstddef>
#include <memory>

#include "oauth/client_authenticator.hpp"

namespace signet::server {

struct SecretVerifierPoolOptions {
  unsigned threads = 0;          // 0: max(1, hardware threads / 2), leaving the rest for I/O
  std::size_t max_pending = 64;  // queued + running checks; past it: temporarily_unavailable
};

class SecretVerifierPool {
 public:
  // `verify` must be thread-safe (keys::VerifyPassword is).
  explicit SecretVerifierPool(oauth::SecretHashVerifier verify,
                              SecretVerifierPoolOptions options = {});
  ~SecretVerifierPool();
  SecretVerifierPool(const SecretVerifierPool&) = delete;
  SecretVerifierPool& operator=(const SecretVerifierPool&) = delete;

  // The asynchronous verifier for oauth::TokenServiceDeps::verify_hash.
  oauth::AsyncSecretHashVerifier Verifier() const;

  unsigned threads() const noexcept;
  // Checks queued or running now (for tests and metrics).
  std::size_t pending() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace signet::server

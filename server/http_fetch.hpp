#pragma once
// A small blocking HTTP(S) GET, for `signet token verify --jwks URL` and
// `--revocations URL` (cli::CliHooks::fetch_url). Not for use on I/O threads.
//
//   - http:// and https:// (TLS 1.2+, the system trust store, host name verification, SNI);
//   - one overall timeout covering resolve, connect, handshake, request and response;
//   - the body is capped (default 1 MiB); redirects are not followed (a 3xx is an error, so
//     a JWKS location cannot be moved behind the user's back);
//   - any status other than 200 is an error.
//
// Usage:
//   auto body = server::HttpGet("https://id.example.com/.well-known/jwks.json");
//   if (!body) std::cerr << body.error().message();

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

namespace signet::server {

enum class FetchErrc {
  kBadUrl = 1,         // not an absolute http(s) URL with a host
  kUnsupportedScheme,  // a scheme other than http or https
  kUnexpectedStatus,   // the server answered, but not with 200 (redirects included)
  kBodyTooLarge,       // the body exceeds the limit
  kTimeout,            // the whole exchange took longer than the timeout
  kTlsSetupFailed,     // the TLS context could not be created (trust store, SNI)
};

const boost::system::error_category& FetchCategory() noexcept;

inline boost::system::error_code make_error_code(FetchErrc e) noexcept {
  return {static_cast<int>(e), FetchCategory()};
}

struct FetchOptions {
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};
  std::size_t body_limit = 1024 * 1024;
};

// The body of a 200 response. Other failures carry the resolver/socket/TLS error_code.
[[nodiscard]] boost::system::result<std::string> HttpGet(std::string_view url,
                                                         const FetchOptions& options = {});

}  // namespace signet::server

template <>
struct boost::system::is_error_code_enum<signet::server::FetchErrc> : std::true_type {};

#include "server/http_fetch.hpp"

#include <optional>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <openssl/ssl.h>

namespace signet::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using net::ip::tcp;
using Result = boost::system::result<std::string>;

constexpr auto kUseTuple = net::as_tuple(net::use_awaitable);

class FetchCategoryImpl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "signet.fetch"; }
  std::string message(int value) const override {
    switch (static_cast<FetchErrc>(value)) {
      case FetchErrc::kBadUrl: return "not an absolute http(s) URL with a host";
      case FetchErrc::kUnsupportedScheme: return "only http:// and https:// URLs can be fetched";
      case FetchErrc::kUnexpectedStatus:
        return "the server did not answer 200 OK (redirects are not followed)";
      case FetchErrc::kBodyTooLarge: return "the response body exceeds the size limit";
      case FetchErrc::kTimeout: return "the request timed out";
      case FetchErrc::kTlsSetupFailed: return "the TLS client could not be set up";
    }
    return "unknown fetch error";
  }
};

struct Target {
  bool tls = false;
  std::string host;  // for the resolver and SNI, without IPv6 brackets
  std::string port;
  std::string host_header;  // host[:port] as written in the URL
  std::string path;         // path and query, "/" when empty
};

boost::system::result<Target> ParseTarget(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || !parsed->has_authority() || parsed->encoded_host().empty()) {
    return make_error_code(FetchErrc::kBadUrl);
  }
  Target target;
  const std::string scheme(parsed->scheme());
  if (scheme == "https") {
    target.tls = true;
  } else if (scheme != "http") {
    return make_error_code(FetchErrc::kUnsupportedScheme);
  }
  target.host = std::string(parsed->encoded_host_address());
  target.port = parsed->has_port() ? std::string(parsed->port()) : (target.tls ? "443" : "80");
  target.host_header = std::string(parsed->encoded_host_and_port());
  target.path = std::string(parsed->encoded_target());
  if (target.path.empty()) target.path = "/";
  return target;
}

template <class Stream>
net::awaitable<Result> Exchange(Stream& stream, const Target& target, const FetchOptions& options) {
  http::request<http::empty_body> request{http::verb::get, target.path, 11};
  request.set(http::field::host, target.host_header);
  request.set(http::field::user_agent, "signet");
  request.set(http::field::accept, "application/jwk-set+json, application/json, */*;q=0.5");
  request.set(http::field::connection, "close");
  auto [write_ec, written] = co_await http::async_write(stream, request, kUseTuple);
  (void)written;
  if (write_ec) co_return write_ec;

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(options.body_limit);
  auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, kUseTuple);
  (void)read;
  if (read_ec == http::error::body_limit) co_return make_error_code(FetchErrc::kBodyTooLarge);
  if (read_ec) co_return read_ec;
  if (parser.get().result() != http::status::ok) {
    co_return make_error_code(FetchErrc::kUnexpectedStatus);
  }
  co_return parser.release().body();
}

net::awaitable<Result> Fetch(const Target& target, const FetchOptions& options) {
  auto executor = co_await net::this_coro::executor;
  tcp::resolver resolver(executor);
  auto [resolve_ec, endpoints] =
      co_await resolver.async_resolve(target.host, target.port, kUseTuple);
  if (resolve_ec) co_return resolve_ec;

  if (!target.tls) {
    beast::tcp_stream stream(executor);
    auto [connect_ec, endpoint] = co_await stream.async_connect(endpoints, kUseTuple);
    (void)endpoint;
    if (connect_ec) co_return connect_ec;
    co_return co_await Exchange(stream, target, options);
  }

  ssl::context context(ssl::context::tls_client);
  boost::system::error_code ec;
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                          ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                          ssl::context::no_tlsv1_1,
                      ec);
  if (!ec) context.set_default_verify_paths(ec);
  if (!ec) context.set_verify_mode(ssl::verify_peer, ec);
  if (ec) co_return make_error_code(FetchErrc::kTlsSetupFailed);
  ssl::stream<beast::tcp_stream> stream(executor, context);
  std::string sni = target.host;  // SSL_set_tlsext_host_name takes a non-const char*
  if (SSL_set_tlsext_host_name(stream.native_handle(), sni.data()) != 1) {
    co_return make_error_code(FetchErrc::kTlsSetupFailed);
  }
  stream.set_verify_callback(ssl::host_name_verification(target.host));
  auto [connect_ec, endpoint] =
      co_await beast::get_lowest_layer(stream).async_connect(endpoints, kUseTuple);
  (void)endpoint;
  if (connect_ec) co_return connect_ec;
  auto [handshake_ec] = co_await stream.async_handshake(ssl::stream_base::client, kUseTuple);
  if (handshake_ec) co_return handshake_ec;
  co_return co_await Exchange(stream, target, options);
}

}  // namespace

const boost::system::error_category& FetchCategory() noexcept {
  static const FetchCategoryImpl category;
  return category;
}

boost::system::result<std::string> HttpGet(std::string_view url, const FetchOptions& options) {
  auto target = ParseTarget(url);
  if (!target) return target.error();
  net::io_context io;
  std::optional<Result> outcome;
  net::co_spawn(io, Fetch(*target, options), [&outcome](std::exception_ptr error, Result result) {
    if (error) {
      outcome = make_error_code(FetchErrc::kTlsSetupFailed);
    } else {
      outcome = std::move(result);
    }
  });
  // One deadline for everything, resolution included (which has no timeout of its own).
  io.run_for(options.timeout);
  if (!outcome) return make_error_code(FetchErrc::kTimeout);
  return std::move(*outcome);
}

}  // namespace signet::server

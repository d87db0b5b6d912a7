#pragma once
// The HTTPS listener's certificate: the current boost::asio::ssl::context, swapped atomically
// when tls.cert_file / tls.key_file change (checked every second with stat(), and on SIGHUP).
// A new connection takes the context current at accept time and keeps it (a shared_ptr) for
// its whole life, so a reload never disturbs open connections. A pair that fails to load is
// logged as one warning and the previous one stays in use; it is not retried until one of
// the files changes again (cert-manager writes the two files one after the other: the first
// check may see a new certificate with the old key, the next one the matching pair).
//
// Usage:
//   auto tls = server::TlsReloader::Create(*config.tls);   // start-up: error names the key
//   if (!tls) return tls.error();                           // "tls.key_file: ..."
//   options.tls = std::move(*tls);                          // HttpServerOptions
//   ...
//   std::shared_ptr<ssl::context> ctx = tls->Current();     // per accepted connection
//   tls->CheckFiles();                                      // every second (server.cpp)
//   tls->Reload("SIGHUP");                                  // on SIGHUP

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

#include "config/config.hpp"
#include "tls/certificate_info.hpp"
#include "tls/file_stamp.hpp"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace signet::server {

class TlsReloader {
 public:
  enum class Outcome { kUnchanged, kReloaded, kFailed };

  // Loads the pair now. The error is one line naming the config key and the reason.
  [[nodiscard]] static boost::system::result<std::shared_ptr<TlsReloader>, std::string> Create(
      config::Tls files);
  ~TlsReloader();
  TlsReloader(const TlsReloader&) = delete;
  TlsReloader& operator=(const TlsReloader&) = delete;

  // The context for a new connection. Thread-safe; never null.
  std::shared_ptr<boost::asio::ssl::context> Current() const;
  // The certificate behind Current(). Thread-safe.
  tls::CertificateInfo CurrentCertificate() const;

  // Reloads when either file's stat() differs from the last attempt. Thread-safe.
  Outcome CheckFiles();
  // Reloads unconditionally (SIGHUP); `trigger` goes into the log line. Thread-safe.
  Outcome Reload(std::string_view trigger);

  // The loaded pair: context and certificate description (defined in the .cpp).
  struct Active;

 private:
  TlsReloader(config::Tls files, std::shared_ptr<Active> active, tls::CredentialStamp stamp);
  Outcome LoadAndSwap(std::string_view trigger, const tls::CredentialStamp& stamp);

  const config::Tls files_;
  std::atomic<std::shared_ptr<Active>> active_;
  std::mutex reload_mutex_;          // one reload at a time; guards last_stamp_
  tls::CredentialStamp last_stamp_;  // of the last attempt, successful or not
};

}  // namespace signet::server

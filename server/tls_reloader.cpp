#include "server/tls_reloader.hpp"

#include <chrono>
#include <utility>

#include <boost/asio/ssl/context.hpp>
#include <spdlog/spdlog.h>

#include "server/logging.hpp"
#include "tls/server_credentials.hpp"

namespace signet::server {

struct TlsReloader::Active {
  Active(SSL_CTX* native, tls::CertificateInfo info) : context(native), leaf(std::move(info)) {}
  boost::asio::ssl::context context;  // owns the SSL_CTX
  tls::CertificateInfo leaf;
};

namespace {

std::shared_ptr<TlsReloader::Active> MakeActive(tls::ServerCredentials credentials) {
  // ssl::context takes ownership of the SSL_CTX; release only once it exists.
  auto active =
      std::make_shared<TlsReloader::Active>(credentials.context.get(), std::move(credentials.leaf));
  (void)credentials.context.release();
  return active;
}

std::string Describe(const tls::CertificateInfo& leaf) {
  return "subject=" + leaf.subject + ", not after=" + leaf.not_after;
}

// Served anyway (clients decide), but an expired certificate is worth a warning at each load.
void WarnIfExpired(const tls::CertificateInfo& leaf) {
  if (!leaf.not_after.empty() && leaf.expires < std::chrono::system_clock::now()) {
    LogEvent(spdlog::level::warn, "TLS certificate has expired",
             {{"subject", leaf.subject}, {"not_after", leaf.not_after}});
  }
}

}  // namespace

TlsReloader::TlsReloader(config::Tls files, std::shared_ptr<Active> active,
                         tls::CredentialStamp stamp)
    : files_(std::move(files)), active_(std::move(active)), last_stamp_(stamp) {}

TlsReloader::~TlsReloader() = default;

boost::system::result<std::shared_ptr<TlsReloader>, std::string> TlsReloader::Create(
    config::Tls files) {
  // Stamp before reading: a change during the load is then seen by the next check.
  const tls::CredentialStamp stamp = tls::StampFiles(files);
  auto credentials = tls::LoadServerCredentials(files);
  if (!credentials) return credentials.error().Format();
  auto active = MakeActive(std::move(*credentials));
  LogEvent(spdlog::level::info, "TLS certificate loaded: " + Describe(active->leaf),
           {{"cert_file", files.cert_file}, {"sha256", active->leaf.sha256_fingerprint}});
  WarnIfExpired(active->leaf);
  return std::shared_ptr<TlsReloader>(new TlsReloader(std::move(files), std::move(active), stamp));
}

std::shared_ptr<boost::asio::ssl::context> TlsReloader::Current() const {
  std::shared_ptr<Active> active = active_.load(std::memory_order_acquire);
  return {active, &active->context};  // aliasing: keeps the Active (and its SSL_CTX) alive
}

tls::CertificateInfo TlsReloader::CurrentCertificate() const {
  return active_.load(std::memory_order_acquire)->leaf;
}

TlsReloader::Outcome TlsReloader::CheckFiles() {
  const tls::CredentialStamp stamp = tls::StampFiles(files_);
  {
    const std::lock_guard lock(reload_mutex_);
    if (stamp == last_stamp_) return Outcome::kUnchanged;
  }
  return LoadAndSwap("file change", stamp);
}

TlsReloader::Outcome TlsReloader::Reload(std::string_view trigger) {
  return LoadAndSwap(trigger, tls::StampFiles(files_));
}

TlsReloader::Outcome TlsReloader::LoadAndSwap(std::string_view trigger,
                                              const tls::CredentialStamp& stamp) {
  const std::lock_guard lock(reload_mutex_);
  last_stamp_ = stamp;
  auto credentials = tls::LoadServerCredentials(files_);
  if (!credentials) {
    LogEvent(spdlog::level::warn, "TLS certificate reload failed, keeping the current one",
             {{"trigger", trigger}, {"reason", credentials.error().Format()}});
    return Outcome::kFailed;
  }
  auto active = MakeActive(std::move(*credentials));
  WarnIfExpired(active->leaf);
  const std::string line = "TLS certificate reloaded: " + Describe(active->leaf);
  const std::string fingerprint = active->leaf.sha256_fingerprint;
  active_.store(std::move(active), std::memory_order_release);
  LogEvent(spdlog::level::info, line, {{"trigger", trigger}, {"sha256", fingerprint}});
  return Outcome::kReloaded;
}

}  // namespace signet::server

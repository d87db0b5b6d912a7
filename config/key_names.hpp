#pragma once
// Every YAML key signet understands, in one place (interface.md, "Configuration").
// The loader's unknown-key check and its "did you mean" suggestions use the k*Keys arrays,
// so a key added here and parsed in config/internal/ is automatically accepted.
// Names of the contract are fixed; client metadata names follow RFC 7591 §2.

#include <array>
#include <string_view>

namespace signet::config::key {

// Top level.
inline constexpr std::string_view kIssuer = "issuer";
inline constexpr std::string_view kListen = "listen";
inline constexpr std::string_view kThreads = "threads";
inline constexpr std::string_view kTls = "tls";
inline constexpr std::string_view kTokens = "tokens";
inline constexpr std::string_view kKeys = "keys";
inline constexpr std::string_view kRedis = "redis";
inline constexpr std::string_view kServer = "server";
inline constexpr std::string_view kLog = "log";
inline constexpr std::string_view kLogin = "login";
inline constexpr std::string_view kClients = "clients";
inline constexpr std::string_view kUsers = "users";
inline constexpr std::array kTopLevelKeys{kIssuer, kListen, kThreads, kTls,     kTokens, kKeys,
                                          kRedis,  kServer, kLog,     kLogin,   kClients, kUsers};

// tls:
inline constexpr std::string_view kCertFile = "cert_file";
inline constexpr std::string_view kKeyFile = "key_file";
inline constexpr std::array kTlsKeys{kCertFile, kKeyFile};

// tokens:
inline constexpr std::string_view kAccessTokenTtl = "access_token_ttl";
inline constexpr std::string_view kIdTokenTtl = "id_token_ttl";
inline constexpr std::string_view kRefreshTokenTtl = "refresh_token_ttl";
inline constexpr std::string_view kSigningAlg = "signing_alg";
inline constexpr std::string_view kLeeway = "leeway";
inline constexpr std::array kTokensKeys{kAccessTokenTtl, kIdTokenTtl, kRefreshTokenTtl, kSigningAlg,
                                        kLeeway};

// keys:
inline constexpr std::string_view kAlgorithms = "algorithms";
inline constexpr std::string_view kRotateEvery = "rotate_every";
inline constexpr std::string_view kPublishAhead = "publish_ahead";
inline constexpr std::string_view kDir = "dir";
inline constexpr std::string_view kEncryptionKeyFile = "encryption_key_file";
inline constexpr std::array kKeysKeys{kAlgorithms, kRotateEvery, kPublishAhead, kDir,
                                      kEncryptionKeyFile};

// redis:
inline constexpr std::string_view kUrl = "url";
inline constexpr std::array kRedisKeys{kUrl};

// server: (signet's own; not in the contract's example)
inline constexpr std::string_view kMaxConnections = "max_connections";
inline constexpr std::string_view kReadTimeout = "read_timeout";
inline constexpr std::string_view kShutdownGrace = "shutdown_grace";
inline constexpr std::array kServerKeys{kMaxConnections, kReadTimeout, kShutdownGrace};

// login: (signet's own; password guessing limits, the single-sign-on session's length)
inline constexpr std::string_view kMaxFailuresPerUsername = "max_failures_per_username";
inline constexpr std::string_view kMaxFailuresPerIp = "max_failures_per_ip";
inline constexpr std::string_view kFailureWindow = "failure_window";
inline constexpr std::string_view kSessionTtl = "session_ttl";
inline constexpr std::array kLoginKeys{kMaxFailuresPerUsername, kMaxFailuresPerIp, kFailureWindow,
                                       kSessionTtl};

// log: (signet's own; SIGNET_LOG_LEVEL / SIGNET_LOG_FORMAT override them)
inline constexpr std::string_view kLevel = "level";
inline constexpr std::string_view kFormat = "format";
inline constexpr std::array kLogKeys{kLevel, kFormat};

// clients[i]: RFC 7591 §2 client metadata names.
inline constexpr std::string_view kClientId = "client_id";
inline constexpr std::string_view kClientSecret = "client_secret";
inline constexpr std::string_view kClientSecretHash = "client_secret_hash";
inline constexpr std::string_view kTokenEndpointAuthMethod = "token_endpoint_auth_method";
inline constexpr std::string_view kGrantTypes = "grant_types";
inline constexpr std::string_view kRedirectUris = "redirect_uris";
inline constexpr std::string_view kPostLogoutRedirectUris = "post_logout_redirect_uris";
inline constexpr std::string_view kScope = "scope";
inline constexpr std::string_view kAudience = "audience";
inline constexpr std::string_view kAccessTokenSignedResponseAlg =
    "access_token_signed_response_alg";
inline constexpr std::string_view kIdTokenSignedResponseAlg = "id_token_signed_response_alg";
inline constexpr std::array kClientKeys{kClientId,
                                        kClientSecret,
                                        kClientSecretHash,
                                        kTokenEndpointAuthMethod,
                                        kGrantTypes,
                                        kRedirectUris,
                                        kPostLogoutRedirectUris,
                                        kScope,
                                        kAudience,
                                        kAccessTokenSignedResponseAlg,
                                        kIdTokenSignedResponseAlg};

// users[i]:
inline constexpr std::string_view kUsername = "username";
inline constexpr std::string_view kPassword = "password";
inline constexpr std::string_view kPasswordHash = "password_hash";
inline constexpr std::string_view kClaims = "claims";
inline constexpr std::array kUserKeys{kUsername, kPassword, kPasswordHash, kClaims};

// Environment variables (interface.md: they override the file).
inline constexpr const char* kEnvConfig = "SIGNET_CONFIG";
inline constexpr const char* kEnvIssuer = "SIGNET_ISSUER";
inline constexpr const char* kEnvListen = "SIGNET_LISTEN";
inline constexpr const char* kEnvRedisUrl = "SIGNET_REDIS_URL";
inline constexpr const char* kEnvLogLevel = "SIGNET_LOG_LEVEL";
inline constexpr const char* kEnvLogFormat = "SIGNET_LOG_FORMAT";

}  // namespace signet::config::key

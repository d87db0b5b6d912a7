#!/usr/bin/env bash
# Installs everything signet needs to build, run and test, from Debian 12 packages.
# Idempotent: a second run only asks dpkg what is there and returns in well under a second.
# Must run as root (or via sudo) on a fresh Debian 12 (bookworm) machine.
set -euo pipefail

# Build toolchain and libraries (see cmake/SignetDependencies.cmake), test tools, the fuzzer
# runtime (clang + libclang-rt-14-dev: libFuzzer, ASan, UBSan), redis-server for later store
# tests, curl for the README examples, curl and the openssl CLI for the TLS tests, and Go with
# Debian's sprig and sigs.k8s.io/yaml sources for the Helm chart's offline renderer
# (tests/helm/build.sh). Chromium (and a font, which it only recommends) drives the browser SSO
# suite (tests/integration/sso_browser.test.mjs) through playwright-core, which downloads no
# browser of its own.
packages=(
  g++ cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-url1.81-dev libboost-system1.81-dev
  libssl-dev nlohmann-json3-dev libspdlog-dev libyaml-cpp-dev libhiredis-dev libargon2-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  redis-server clang libclang-rt-14-dev
  curl ca-certificates openssl
  golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev
  chromium fonts-liberation
)
# Node.js and npm run the interop suite (tests/integration). A machine may already carry a newer
# Node.js from another source (with its own npm); Debian's packages would conflict with it, so
# they are only requested when the commands are missing.
# `--bench` adds what bench/run.sh drives: wrk for load, nginx as the static-file baseline,
# python3 to find free ports.
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(wrk nginx-light python3 procps util-linux)
fi
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for pkg in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "${pkg}" 2>/dev/null || true)"
  [[ "${status}" == "installed" ]] || missing+=("${pkg}")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-deps: need root (or sudo)" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"

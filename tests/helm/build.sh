#!/usr/bin/env bash
# Builds the chart renderer (render/main.go) offline: GOPATH mode over Debian's Go packages
# in /usr/share/gocode (golang-go, golang-github-masterminds-sprig-dev, golang-k8s-sigs-yaml-dev;
# scripts/install-deps.sh installs them). No module download: GO111MODULE=off, GOPROXY=off.
#
#   bash tests/helm/build.sh [OUT]     # default OUT: build-helm/helm-render
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/../.." && pwd)"
out="${1:-${root}/build-helm/helm-render}"
mkdir -p "$(dirname "${out}")"
out="$(cd "$(dirname "${out}")" && pwd)/$(basename "${out}")"  # absolute: go runs in render/

command -v go >/dev/null 2>&1 || { echo "build.sh: go not found (apt-get install golang-go)" >&2; exit 1; }
export GO111MODULE=off GOPROXY=off GOFLAGS= GOENV=off GOPATH=/usr/share/gocode
export GOCACHE="${GOCACHE:-${root}/build-helm/gocache}"
cd "${here}/render"
go build -o "${out}" .
echo "build.sh: built ${out} ($(go version | awk '{print $3}'))"

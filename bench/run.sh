#!/usr/bin/env bash
# Throughput benchmark for signet (not a test: it prints figures, it asserts nothing).
#
# Pins signet (one I/O thread) to CPU 0 and wrk to CPU 1, warms up, then measures in one run:
#   - client_credentials tokens/s for RS256 and ES256 beside `openssl speed` sign/s for the same
#     algorithm on the same core, and their ratio;
#   - p50/p99 latency, the server core's CPU share, signet's peak RSS;
#   - JWKS GET requests/s beside nginx serving the same JWKS bytes on the same core, with CPU
#     time per request for both;
#   - POST /oauth2/introspect requests/s (signature, claims and the revocation check) for an
#     RS256 and an ES256 token beside `openssl speed` verify/s, on the in-memory store and, when
#     redis-server is installed, on Redis (redis-server shares wrk's CPU).
# Usage: bash bench/run.sh [seconds-per-measurement]   (default 10; about 8x that in total)
#        BENCH_BUILD_DIR=build-foo bash bench/run.sh     (build directory, default build-bench)
#        BENCH_SIGNET=/path/to/signet bash bench/run.sh  (measure that binary, build nothing)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
WARMUP=3
CONNECTIONS=32
SERVER_CPU=0
CLIENT_CPU=1
CLK_TCK=$(getconf CLK_TCK)

for tool in wrk nginx taskset openssl curl; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' is missing (bash scripts/install-deps.sh --bench)" >&2; exit 2; }
done

if [ -n "${BENCH_SIGNET:-}" ]; then
  SIGNET=$BENCH_SIGNET
  echo "== measuring $SIGNET (BENCH_SIGNET)"
else
  BUILD_DIR=${BENCH_BUILD_DIR:-build-bench}
  echo "== building release signet ($BUILD_DIR/)"
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD_DIR" --target signet >/dev/null
  SIGNET=$BUILD_DIR/server/signet
fi

WORK=$(mktemp -d /tmp/signet-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# wait_for_url URL WHAT LOG: polls up to 10 s; on failure prints LOG and exits.
wait_for_url() {
  for _ in $(seq 100); do
    curl -fs "$1" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "bench: $2 does not answer $1" >&2
  cat "$3" >&2
  exit 1
}

PORT=$(free_port)
cat > "$WORK/signet.yaml" <<YAML
issuer: "http://127.0.0.1:$PORT"
listen: "127.0.0.1:$PORT"
threads: 1
keys:
  algorithms: [RS256, ES256]
  dir: "$WORK/keys"
clients:
  - client_id: bench-rs256
    client_secret: "bench-secret-rs256"
    grant_types: [client_credentials]
    scope: "orders.read"
    audience: ["https://api.example.com"]
    access_token_signed_response_alg: RS256
  - client_id: bench-es256
    client_secret: "bench-secret-es256"
    grant_types: [client_credentials]
    scope: "orders.read"
    audience: ["https://api.example.com"]
    access_token_signed_response_alg: ES256
YAML

# The access log goes to a file, as it would go to a container's log pipe.
taskset -c "$SERVER_CPU" "$SIGNET" serve --config "$WORK/signet.yaml" >"$WORK/signet.log" 2>&1 &
SIGNET_PID=$!
PIDS+=("$SIGNET_PID")
wait_for_url "http://127.0.0.1:$PORT/healthz" signet "$WORK/signet.log"

# run_wrk PID URL [lua]: prints "rps p50_us p99_us cpu_share errors"
run_wrk() {
  local pid=$1 url=$2 script=${3:-}
  local args=(-t1 -c"$CONNECTIONS" --latency)
  [ -n "$script" ] && args+=(-s "$script")
  taskset -c "$CLIENT_CPU" wrk "${args[@]}" -d"${WARMUP}s" "$url" >/dev/null
  local t0 c0 out t1 c1
  t0=$(date +%s.%N); c0=$(cpu_ticks "$pid")
  out=$(taskset -c "$CLIENT_CPU" wrk "${args[@]}" -d"${DURATION}s" "$url")
  t1=$(date +%s.%N); c1=$(cpu_ticks "$pid")
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '/BENCH/ {for(i=1;i<=NF;i++) if ($i ~ /^p50_us=/) {sub("p50_us=","",$i); print $i}}' <<<"$out")
  p99=$(awk '/BENCH/ {for(i=1;i<=NF;i++) if ($i ~ /^p99_us=/) {sub("p99_us=","",$i); print $i}}' <<<"$out")
  errors=$(awk '/BENCH/ {for(i=1;i<=NF;i++) if ($i ~ /^errors=/) {sub("errors=","",$i); print $i}}' <<<"$out")
  local share
  share=$(awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" -v hz="$CLK_TCK" 'BEGIN {printf "%.2f", (c1-c0)/hz/(t1-t0)}')
  echo "$rps $p50 $p99 $share $errors"
}

# openssl_rates ALG: prints "sign/s verify/s" of `openssl speed` on the server's core.
openssl_rates() {
  taskset -c "$SERVER_CPU" openssl speed -seconds "$DURATION" -elapsed "$1" 2>/dev/null |
    awk -v what="$1" '
      what=="rsa2048" && /^rsa 2048 bits/ {print $6, $7}
      what=="ecdsap256" && /ecdsa \(nistp256\)/ {print $7, $8}'
}

# access_token PORT CLIENT: a client_credentials access token of bench client CLIENT.
access_token() {
  curl -fs -u "$2:bench-secret-${2#bench-}" -d grant_type=client_credentials \
    "http://127.0.0.1:$1/oauth2/token" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

# active_token PORT CLIENT: an access token that introspects as active (so the measurement
# takes the full path: signature, claims, revocation lookup), or exit.
active_token() {
  local token
  token=$(access_token "$1" "$2")
  curl -fs -u "$2:bench-secret-${2#bench-}" --data-urlencode "token=$token" \
    "http://127.0.0.1:$1/oauth2/introspect" | grep -q '"active":true' ||
    { echo "bench: a fresh $2 token does not introspect as active" >&2; exit 1; }
  echo "$token"
}

declare -A TOKEN_ALG=([RS256]=rsa2048 [ES256]=ecdsap256)
declare -A RESULT
for alg in RS256 ES256; do
  lower=$(tr 'A-Z' 'a-z' <<<"$alg")
  echo "== $alg: client_credentials tokens/s (signet pinned to CPU $SERVER_CPU, wrk to CPU $CLIENT_CPU)"
  RESULT[$alg]=$(BENCH_CLIENT_ID="bench-$lower" BENCH_CLIENT_SECRET="bench-secret-$lower" \
    run_wrk "$SIGNET_PID" "http://127.0.0.1:$PORT/oauth2/token" bench/token_post.lua)
  echo "== $alg: openssl speed ${TOKEN_ALG[$alg]} on CPU $SERVER_CPU"
  read -r RESULT[$alg-openssl] RESULT[$alg-verify] <<<"$(openssl_rates "${TOKEN_ALG[$alg]}")"
  echo "== $alg: introspection of a $alg token, in-memory revocation store"
  token=$(active_token "$PORT" "bench-$lower")  # a standalone assignment: set -e stops on failure
  RESULT[introspect-$alg]=$(BENCH_CLIENT_ID="bench-$lower" BENCH_CLIENT_SECRET="bench-secret-$lower" \
    BENCH_TOKEN=$token run_wrk "$SIGNET_PID" "http://127.0.0.1:$PORT/oauth2/introspect" bench/introspect_post.lua)
done

# The same introspection with the revocation store in Redis: a second signet (the first one
# idles) with redis.url; redis-server runs on wrk's CPU, so this row is a lower bound.
if command -v redis-server >/dev/null; then
  REDIS_PORT=$(free_port)
  taskset -c "$CLIENT_CPU" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" \
    --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
  PIDS+=("$!")
  openssl rand 32 >"$WORK/kek" && chmod 600 "$WORK/kek"
  REDIS_SIGNET_PORT=$(free_port)
  sed -e "s/127.0.0.1:$PORT/127.0.0.1:$REDIS_SIGNET_PORT/g" -e "s#$WORK/keys#$WORK/keys-redis#" \
    "$WORK/signet.yaml" >"$WORK/signet-redis.yaml"
  printf 'redis:\n  url: "redis://127.0.0.1:%s/0"\n' "$REDIS_PORT" >>"$WORK/signet-redis.yaml"
  sed -i "s#^keys:#keys:\n  encryption_key_file: \"$WORK/kek\"#" "$WORK/signet-redis.yaml"
  taskset -c "$SERVER_CPU" "$SIGNET" serve --config "$WORK/signet-redis.yaml" \
    >"$WORK/signet-redis.log" 2>&1 &
  REDIS_SIGNET_PID=$!
  PIDS+=("$REDIS_SIGNET_PID")
  wait_for_url "http://127.0.0.1:$REDIS_SIGNET_PORT/readyz" "signet with Redis" "$WORK/signet-redis.log"
  echo "== ES256: introspection of an ES256 token, revocation store in Redis"
  token=$(active_token "$REDIS_SIGNET_PORT" bench-es256)
  RESULT[introspect-redis]=$(BENCH_CLIENT_ID=bench-es256 BENCH_CLIENT_SECRET=bench-secret-es256 \
    BENCH_TOKEN=$token run_wrk "$REDIS_SIGNET_PID" "http://127.0.0.1:$REDIS_SIGNET_PORT/oauth2/introspect" \
    bench/introspect_post.lua)
  kill "$REDIS_SIGNET_PID"
fi

echo "== JWKS GET on signet"
RESULT[jwks]=$(run_wrk "$SIGNET_PID" "http://127.0.0.1:$PORT/.well-known/jwks.json" bench/jwks_get.lua)
PEAK_RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$SIGNET_PID/status")

echo "== JWKS GET on nginx (same bytes, one worker on CPU $SERVER_CPU)"
mkdir -p "$WORK/nginx/html/.well-known" "$WORK/nginx/logs"
# nginx workers run as an unprivileged user: let them read the document root (mktemp made it 0700).
chmod 755 "$WORK" "$WORK/nginx" "$WORK/nginx/html" "$WORK/nginx/html/.well-known"
curl -fs "http://127.0.0.1:$PORT/.well-known/jwks.json" >"$WORK/nginx/html/.well-known/jwks.json"
chmod 644 "$WORK/nginx/html/.well-known/jwks.json"
NGINX_PORT=$(free_port)
cat > "$WORK/nginx/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  types { application/json json; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/nginx/html;
    location / { add_header Cache-Control "public, max-age=900"; }
  }
}
NGINX
taskset -c "$SERVER_CPU" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
NGINX_MASTER=$!
PIDS+=("$NGINX_MASTER")
wait_for_url "http://127.0.0.1:$NGINX_PORT/.well-known/jwks.json" nginx "$WORK/nginx/logs/error.log"
NGINX_WORKER=$(pgrep -P "$NGINX_MASTER" | head -1)
RESULT[nginx]=$(run_wrk "$NGINX_WORKER" "http://127.0.0.1:$NGINX_PORT/.well-known/jwks.json" bench/jwks_get.lua)

echo
echo "signet benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, ${DURATION}s per measurement, $CONNECTIONS connections"
printf '%-8s %12s %14s %7s %8s %8s %9s %7s\n' "what" "req/s" "openssl sign/s" "ratio" "p50 us" "p99 us" "srv CPU" "errors"
for alg in RS256 ES256; do
  read -r rps p50 p99 share errors <<<"${RESULT[$alg]}"
  limit=${RESULT[$alg-openssl]}
  ratio=$(awk -v a="$rps" -v b="$limit" 'BEGIN {printf "%.2f", a/b}')
  printf '%-8s %12s %14s %7s %8s %8s %9s %7s\n' "$alg" "$rps" "$limit" "$ratio" "$p50" "$p99" "$share" "$errors"
done
# CPU time per token beside the bare signature: the figure that moves least when the
# machine is shared (the ratio above also depends on the share of the core signet got).
for alg in RS256 ES256; do
  read -r rps _ _ share _ <<<"${RESULT[$alg]}"
  limit=${RESULT[$alg-openssl]}
  awk -v a="$alg" -v r="$rps" -v s="$share" -v l="$limit" 'BEGIN {
    printf "%s: signet CPU us per token %.1f, openssl us per signature %.1f\n", a, s*1e6/r, 1e6/l }'
done
for what in jwks nginx; do
  read -r rps p50 p99 share errors <<<"${RESULT[$what]}"
  printf '%-8s %12s %14s %7s %8s %8s %9s %7s\n' "$what" "$rps" "-" "-" "$p50" "$p99" "$share" "$errors"
done
echo
printf '%-16s %12s %16s %7s %8s %8s %9s %7s\n' "introspection" "req/s" "openssl verify/s" "ratio" "p50 us" "p99 us" "srv CPU" "errors"
for row in RS256 ES256 redis; do
  [ -n "${RESULT[introspect-$row]:-}" ] || continue
  read -r rps p50 p99 share errors <<<"${RESULT[introspect-$row]}"
  alg=$row label="$row memory"
  [ "$row" = redis ] && alg=ES256 label="ES256 Redis"
  limit=${RESULT[$alg-verify]}
  ratio=$(awk -v a="$rps" -v b="$limit" 'BEGIN {printf "%.2f", a/b}')
  printf '%-16s %12s %16s %7s %8s %8s %9s %7s\n' "$label" "$rps" "$limit" "$ratio" "$p50" "$p99" "$share" "$errors"
done
read -r s_rps _ _ s_share _ <<<"${RESULT[jwks]}"
read -r n_rps _ _ n_share _ <<<"${RESULT[nginx]}"
awk -v sr="$s_rps" -v ss="$s_share" -v nr="$n_rps" -v ns="$n_share" 'BEGIN {
  printf "JWKS: signet/nginx requests/s = %.2f; CPU us per request: signet %.1f, nginx %.1f\n",
    sr/nr, ss*1e6/sr, ns*1e6/nr }'
echo "signet peak RSS: $((PEAK_RSS_KB / 1024)) MiB ($PEAK_RSS_KB kB)"

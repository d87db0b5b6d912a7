#!/usr/bin/env bash
# Sets up and runs every test of signet: the README's test command, and all that .ci/run runs.
#
#   bash scripts/test.sh
#
# Stages (each runs even when an earlier one failed, and reports its own result):
#   1. deps         Debian packages (scripts/install-deps.sh) + `npm ci` for the node suites
#   2. build-asan   whole tree with -Werror, ASan + UBSan, in build-asan/
#   3. unit         ctest over the GoogleTest suites of build-asan/
#   4. build-fuzz   libFuzzer targets with clang++ in build-fuzz/
#   5. fuzz         every fuzzer for a bounded time (SIGNET_FUZZ_SECONDS, default 60 in all)
#   6. integration  node:test interop suite (tests/integration) against build-asan/server/signet
#   7. chart        Helm chart and Dockerfile checks (tests/helm), offline: no helm, cluster or Docker
# The last line is "N passed, N failed" over all stages (a stage that fails without running
# tests, e.g. a build, counts as one failure); the exit status is non-zero if anything failed.
#
# Environment: SIGNET_JOBS (parallel build jobs, default: nproc), SIGNET_FUZZ_SECONDS.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="${PWD}"
jobs="${SIGNET_JOBS:-$(nproc)}"
fuzz_seconds="${SIGNET_FUZZ_SECONDS:-60}"
asan_dir="${root}/build-asan"
fuzz_dir="${root}/build-fuzz"
results="$(mktemp -d)"
trap 'rm -rf "${results}"' EXIT

# Sanitizer settings for every sanitized process below (unit tests, the server under test).
export ASAN_OPTIONS="detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

# record STAGE PASSED FAILED [SKIPPED]: the test counts a stage contributes to the summary.
record() { echo "$2 $3 ${4:-0}" >"${results}/$1.counts"; }

# stage NAME FUNCTION: runs FUNCTION in a subshell with errexit in force (a function called in an
# `if` would run with errexit silently off), times it and records its status.
declare -a stage_names=()
stage() {
  local name="$1" fn="$2" started=${SECONDS} rc
  stage_names+=("${name}")
  printf '\n==================== %s ====================\n' "${name}"
  set +e
  ("${fn}")
  rc=$?
  set -e
  echo "${rc} $((SECONDS - started))" >"${results}/${name}.status"
  printf -- '---- %s: %s in %d s\n' "${name}" "$( ((rc == 0)) && echo ok || echo "FAILED (exit ${rc})")" \
    "$((SECONDS - started))"
}

# --- 1. dependencies ------------------------------------------------------------------------
deps() {
  bash scripts/install-deps.sh
  if [[ -f tests/integration/package-lock.json ]]; then
    echo "npm ci in tests/integration (node $(node --version), npm $(npm --version))"
    (cd tests/integration && npm ci --no-audit --no-fund --prefer-offline --loglevel=error)
  fi
  if [[ -f tests/helm/package-lock.json ]]; then
    echo "npm ci in tests/helm"
    (cd tests/helm && npm ci --no-audit --no-fund --prefer-offline --loglevel=error)
  fi
}

# --- 2. sanitizer build -----------------------------------------------------------------------
build_asan() {
  # -O1: ASan's recommended level; it also enables the warnings that need data-flow analysis.
  # -g1: line tables only, enough for symbolized sanitizer reports, and a faster build.
  cmake -S "${root}" -B "${asan_dir}" -G Ninja \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
    -DSIGNET_WERROR=ON -DSIGNET_SANITIZE="address;undefined" -DSIGNET_BUILD_TESTS=ON
  # -k 0: build everything that can be built, so later stages test what exists.
  cmake --build "${asan_dir}" -j "${jobs}" -- -k 0
}

# --- 3. unit tests ----------------------------------------------------------------------------
unit() {
  local log="${asan_dir}/ctest.log" rc=0
  ctest --test-dir "${asan_dir}" --output-on-failure -j 2 --timeout 300 2>&1 | tee "${log}" \
    || rc=$?
  # "97% tests passed, 1 tests failed out of 123" (ctest counts skipped tests as passed)
  local line total failed skipped
  line="$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "${log}" | tail -n 1 || true)"
  if [[ -z "${line}" ]]; then
    echo "unit: ctest found no tests (or did not finish)"
    record unit 0 1
    return 1
  fi
  failed="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"${line}")"
  total="$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"${line}")"
  skipped="$(grep -cE '^[[:space:]]+[0-9]+ - .*\((Skipped|Disabled)\)$' "${log}" || true)"
  record unit "$((total - failed - skipped))" "${failed}" "${skipped}"
  ((rc == 0 && failed == 0))
}

# --- 4. fuzz build ----------------------------------------------------------------------------
build_fuzz() {
  # The libraries get coverage instrumentation (fuzzer-no-link) and the same sanitizers; the
  # fuzz targets add the libFuzzer driver (tests/fuzz/CMakeLists.txt). No unit tests here.
  cmake -S "${root}" -B "${fuzz_dir}" -G Ninja \
    -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" \
    -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link" -DSIGNET_SANITIZE="address;undefined" \
    -DSIGNET_BUILD_TESTS=OFF -DSIGNET_BUILD_FUZZERS=ON
  cmake --build "${fuzz_dir}" -j "${jobs}" --target signet_fuzzers -- -k 0
}

# --- 5. fuzzing -------------------------------------------------------------------------------
fuzz() {
  local log="${fuzz_dir}/fuzz.log" rc=0
  if [[ ! -d "${fuzz_dir}" ]]; then
    record fuzz 0 1
    return 1
  fi
  bash scripts/run-fuzzers.sh "${fuzz_dir}" "${fuzz_seconds}" 2>&1 | tee "${log}" || rc=$?
  local line
  line="$(grep -E '^fuzz targets: [0-9]+ passed, [0-9]+ failed$' "${log}" | tail -n 1 || true)"
  if [[ -z "${line}" ]]; then
    record fuzz 0 1
    return 1
  fi
  record fuzz "$(awk '{print $3}' <<<"${line}")" "$(awk '{print $5}' <<<"${line}")"
  return "${rc}"
}

# node_suite STAGE DIR CONCURRENCY TAP: runs every *.test.mjs of DIR with node:test (spec for
# people, TAP to the file TAP for the counts) and records the stage's counts; cancelled tests
# count as failures, todo ones as skipped. Fails when a test failed or no counts were written.
node_suite() {
  local name="$1" dir="$2" concurrency="$3" tap="$4" rc=0
  cd "${root}/${dir}"
  rm -f "${tap}"
  # A hung test (a server that never answers, a port taken) fails after 3 minutes instead of
  # holding CI until its own limit.
  node --test --test-concurrency="${concurrency}" --test-timeout=180000 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="${tap}" \
    ./*.test.mjs || rc=$?
  local pass fail cancelled skipped todo
  count() { grep -E "^# $1 [0-9]+" "${tap}" | tail -n 1 | awk '{print $3}' || true; }
  pass="$(count pass)"
  fail="$(count fail)"
  cancelled="$(count cancelled)"
  skipped="$(count skipped)"
  todo="$(count todo)"
  if [[ -z "${pass}" || -z "${fail}" ]]; then
    record "${name}" 0 1
    return 1
  fi
  record "${name}" "${pass}" "$((fail + ${cancelled:-0}))" "$((${skipped:-0} + ${todo:-0}))"
  ((rc == 0))
}

# --- 6. interop suite -------------------------------------------------------------------------
integration() {
  export SIGNET_BIN="${asan_dir}/server/signet"
  if [[ ! -x "${SIGNET_BIN}" ]]; then
    echo "integration: ${SIGNET_BIN} was not built"
    record integration 0 1
    return 1
  fi
  # One file at a time: the key rotation suites run servers that rotate every 2-4 s, and they
  # observe timing guarantees (a key is published ahead of use) that need the CPU not to be
  # shared with another suite's load.
  node_suite integration tests/integration 1 "${asan_dir}/integration.tap"
}

# --- 7. chart --------------------------------------------------------------------------------
chart() {
  # The renderer (Helm's template engine on Go's text/template + sprig), built offline.
  bash tests/helm/build.sh "${root}/build-helm/helm-render"
  export HELM_RENDER="${root}/build-helm/helm-render"
  # config check and the pod smoke test run the sanitizer build (skipped, with a message, when
  # it was not built).
  export SIGNET_BIN="${asan_dir}/server/signet"
  node_suite chart tests/helm 2 "${root}/build-helm/chart.tap"
}

stage deps deps
stage build-asan build_asan
stage unit unit
stage build-fuzz build_fuzz
stage fuzz fuzz
stage integration integration
stage chart chart

# --- summary ----------------------------------------------------------------------------------
printf '\n==================== summary ====================\n'
total_passed=0
total_failed=0
total_skipped=0
for name in "${stage_names[@]}"; do
  read -r rc secs <"${results}/${name}.status"
  p=0
  f=0
  s=0
  [[ -f "${results}/${name}.counts" ]] && read -r p f s <"${results}/${name}.counts"
  # A stage that failed without reporting a failed test (a build, the setup) counts as one.
  if ((rc != 0 && f == 0)); then f=1; fi
  total_passed=$((total_passed + p))
  total_failed=$((total_failed + f))
  total_skipped=$((total_skipped + s))
  printf '%-12s %-6s %4d s   passed %d, failed %d, skipped %d\n' "${name}" \
    "$( ((rc == 0)) && echo ok || echo FAILED)" "${secs}" "${p}" "${f}" "${s}"
done
printf 'total time: %d s\n' "${SECONDS}"
if ((total_skipped > 0)); then
  echo "${total_passed} passed, ${total_failed} failed, ${total_skipped} skipped"
else
  echo "${total_passed} passed, ${total_failed} failed"
fi
((total_failed == 0))

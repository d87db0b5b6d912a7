#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build for a bounded time, starting from the seed corpus
# in tests/fuzz/corpus/<target>/ or tests/fuzz/corpus/<target minus _fuzz>/ (copied to a temp
# dir, so new inputs never dirty the tree).
# Any crash, leak, timeout, OOM or sanitizer report fails the target.
#
#   scripts/run-fuzzers.sh BUILD_DIR [TOTAL_SECONDS]
#
# Prints one line per target and, last, "fuzz targets: N passed, N failed".
# Exit status 0 only if every target that has a source in tests/fuzz/ was built and ran clean.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="$(cd "${1:?usage: run-fuzzers.sh BUILD_DIR [TOTAL_SECONDS]}" && pwd)"
total_seconds="${2:-60}"
out_dir="${build_dir}/fuzz-out"   # logs and crash artifacts; never inside the source tree
rm -rf "${out_dir}"
mkdir -p "${out_dir}"

# The targets are the fuzz sources in the tree: a source whose binary is missing is a failure.
mapfile -t targets < <(find "${root}/tests/fuzz" -maxdepth 1 -name '*_fuzz.cpp' -printf '%f\n' \
                         | sed 's/\.cpp$//' | sort)
if ((${#targets[@]} == 0)); then
  echo "fuzz: no targets in tests/fuzz/"
  echo "fuzz targets: 0 passed, 0 failed"
  exit 0
fi

per_target=$((total_seconds / ${#targets[@]}))
((per_target >= 5)) || per_target=5

# halt_on_error/abort: any sanitizer report ends the run with a non-zero status.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

passed=0
failed=0
for target in "${targets[@]}"; do
  binary="${build_dir}/tests/fuzz/${target}"
  log="${out_dir}/${target}.log"
  if [[ ! -x "${binary}" ]]; then
    echo "FAIL  ${target}: not built (${binary} missing)"
    failed=$((failed + 1))
    continue
  fi
  corpus="$(mktemp -d "${out_dir}/${target}-corpus.XXXXXX")"
  # Seeds in corpus/<target>/ or corpus/<target without _fuzz>/ (jws_verify_fuzz -> jws_verify).
  seeds="${root}/tests/fuzz/corpus/${target}"
  [[ -d "${seeds}" ]] || seeds="${root}/tests/fuzz/corpus/${target%_fuzz}"
  seed_count=0
  if [[ -d "${seeds}" ]]; then
    cp -R "${seeds}/." "${corpus}/"
    seed_count="$(find "${seeds}" -type f | wc -l)"
  fi
  dict_args=()
  [[ -f "${root}/tests/fuzz/${target}.dict" ]] && dict_args=("-dict=${root}/tests/fuzz/${target}.dict")
  mkdir -p "${out_dir}/${target}-artifacts"
  started=${SECONDS}
  set +e
  "${binary}" "${dict_args[@]}" \
    -max_total_time="${per_target}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="${out_dir}/${target}-artifacts/" "${corpus}" >"${log}" 2>&1
  rc=$?
  set -e
  execs="$(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "${log}" | grep -o '[0-9]*$' || true)"
  # Belt and braces: a sanitizer report in the log fails the target even if the exit status
  # were somehow 0.
  if ((rc == 0)) && ! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "${log}"; then
    echo "ok    ${target}: ${execs:-?} runs in $((SECONDS - started)) s from ${seed_count} seeds"
    passed=$((passed + 1))
  else
    echo "FAIL  ${target}: exit ${rc}; log ${log}; artifacts in ${out_dir}/${target}-artifacts/"
    tail -n 60 "${log}" | sed 's/^/      /'
    failed=$((failed + 1))
  fi
  rm -rf "${corpus}"
done

echo "fuzz targets: ${passed} passed, ${failed} failed"
((failed == 0))

#!/usr/bin/env bash
# Builds the libFuzzer targets (release, AddressSanitizer + libFuzzer) and runs each for a given
# time, then prints executions, coverage and corpus size per target.
#
#   Fuzz/run.sh [--seconds N] [--parallel N] [--seed N] [--debug] [TARGET...]
#
# TARGET is json, xml, batch, local, ucum, round-trip or fhirpath (default: all seven). Each runs for N
# seconds (default 60); --parallel runs that many targets at once (default 1); --seed fixes
# libFuzzer's random seed, so a short run explores the same inputs each time. Working corpora
# grow in Fuzz/.work/corpus/TARGET (kept between runs, outside git), seeded from Examples/,
# Fuzz/Seeds/ and the regression inputs in Tests/FuzzRegressionTests/Inputs/TARGET. A crash, a
# leak, a timeout (10 s for one input), an input over 2 GB of memory or a broken property
# stops that target, leaves its input in Fuzz/.work/findings/TARGET/, and makes this script
# exit 1: minimise it, keep it under Tests/FuzzRegressionTests/Inputs/TARGET/, fix the reader.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

seconds=60 parallel=1 configuration=release seed=0 targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --parallel) parallel=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --debug) configuration=debug; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 64 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -eq 0 ] && targets=(json xml batch local ucum round-trip fhirpath)

executable() {
  case "$1" in
    json) echo FuzzJSON ;; xml) echo FuzzXML ;; batch) echo FuzzBatch ;;
    local) echo FuzzLocal ;; ucum) echo FuzzUCUM ;; round-trip) echo FuzzRoundTrip ;;
    fhirpath) echo FuzzFHIRPath ;;
    *) echo "run.sh: unknown target $1 (json, xml, batch, local, ucum, round-trip, fhirpath)" >&2; exit 64 ;;
  esac
}
for target in "${targets[@]}"; do executable "$target" >/dev/null; done

echo "== building the fuzz targets ($configuration, -sanitize=fuzzer,address)"
# IVIG_FUZZ_SCRATCH builds elsewhere (to rebuild while an earlier build's targets still run).
build=(swift build --package-path Fuzz --scratch-path "${IVIG_FUZZ_SCRATCH:-Fuzz/.build}" -c "$configuration"
  -Xswiftc -sanitize=fuzzer,address)
mkdir -p Fuzz/.work/logs
if ! "${build[@]}" >Fuzz/.work/logs/build.log 2>&1; then
  grep -v -e "Cannot export local symbol '__asan" Fuzz/.work/logs/build.log | tail -40 >&2
  echo "run.sh: the fuzz targets do not build (Fuzz/.work/logs/build.log)" >&2
  exit 1
fi
bin=$("${build[@]}" --show-bin-path)

work=$root/Fuzz/.work
mkdir -p "$work"
# The batch target writes its scratch files under TMPDIR: memory is faster than the disk.
[ -d /dev/shm ] && export TMPDIR=/dev/shm
export IVIG_FHIR_MAPPINGS=$root/Mappings
# LeakSanitizer's leak reports fail a run like crashes.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
# A Swift runtime failure goes straight to libFuzzer's handler (which saves the input), not
# through Swift's own backtracer, whose memory reads AddressSanitizer reports as a second crash.
export SWIFT_BACKTRACE=enable=no

# The seeds: our own examples, split where a target reads one record at a time.
prepare_seeds() {
  local target=$1 folder=$work/seeds/$1
  rm -rf "$folder"; mkdir -p "$folder"
  case "$target" in
    json|round-trip)
      find Examples -name '*.json' -size -256k -exec cp {} "$folder/" \;
      find Examples/validation -name '*.ndjson' | while read -r file; do
        split -l 1 -a 4 "$file" "$folder/$(basename "$file" .ndjson)-"
      done ;;
    xml) find Examples -name '*.xml' -size -256k -exec cp {} "$folder/" \; ;;
    batch) find Examples \( -name '*.ndjson' -o -name '*.json' -o -name '*.xml' \) -size -64k -exec cp {} "$folder/" \; ;;
    local)
      for file in Examples/local/*.ndjson Mappings/examples/other-hospital/*.ndjson; do
        if [ -f "$file" ]; then split -l 1 -a 4 "$file" "$folder/$(basename "$file" .ndjson)-"; fi
      done ;;
    ucum) cp Fuzz/Seeds/ucum/* "$folder/" ;;
    fhirpath) cp Fuzz/Seeds/fhirpath/* "$folder/" ;;
  esac
}

dictionary() {
  case "$1" in
    json|round-trip|batch|local) echo "-dict=$root/Fuzz/Dictionaries/json.dict" ;;
    xml) echo "-dict=$root/Fuzz/Dictionaries/xml.dict" ;;
    ucum) echo "-dict=$root/Fuzz/Dictionaries/ucum.dict" ;;
    fhirpath) echo "-dict=$root/Fuzz/Dictionaries/fhirpath.dict" ;;
  esac
}

run_one() {
  local target=$1 name corpus findings log status
  name=$(executable "$target")
  corpus=$work/corpus/$target findings=$work/findings/$target log=$work/logs/$target.log
  mkdir -p "$corpus" "$findings" "$work/logs"
  prepare_seeds "$target"
  # Inputs above 1 MiB only slow the search down; the limits tests cover large records.
  status=0
  "$bin/$name" "$corpus" "$work/seeds/$target" "$root/Tests/FuzzRegressionTests/Inputs/$target" \
    "$(dictionary "$target")" -max_total_time="$seconds" -seed="$seed" -timeout=10 -rss_limit_mb=2048 \
    -max_len=1048576 -len_control=200 -print_final_stats=1 -artifact_prefix="$findings/" >"$log" 2>&1 || status=$?
  echo "$status" >"$log.status"
}

summary() {
  local target=$1 log=$work/logs/$1.log status=ok
  # libFuzzer exits 0 only when the time ran out with nothing found.
  [ "$(cat "$log.status" 2>/dev/null)" = 0 ] || status=FAILED
  local executions coverage features corpus
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  features=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  corpus=$(find "$work/corpus/$target" -type f | wc -l)
  printf '%-10s %-6s %6ss %12s execs %7s edges %7s features %6s corpus  %s\n' \
    "$target" "$status" "$seconds" "${executions:-?}" "${coverage:-?}" "${features:-?}" "$corpus" "$log"
  [ "$status" = ok ]
}

echo "== fuzzing ${targets[*]} for ${seconds}s each, $parallel at a time"
failed=0 running=0
for target in "${targets[@]}"; do
  run_one "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$parallel" ]; then wait -n || true; running=$((running - 1)); fi
done
wait || true
echo "== results (target, status, time, executions, coverage, corpus, log)"
passed=0
for target in "${targets[@]}"; do
  if summary "$target"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "fuzz: $passed passed, $failed failed"
if [ "$failed" -ne 0 ]; then
  echo "fuzzing found a problem: see the logs above and the inputs in $work/findings/" >&2
  for target in "${targets[@]}"; do grep -h -A12 -e '^==[0-9]*==ERROR' -e 'Fatal error' "$work/logs/$target.log" | head -30 >&2 || true; done
fi
[ "$failed" -eq 0 ]

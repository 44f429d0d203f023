#!/usr/bin/env bash
# Times Examples/spark/ivig_spark_job.py in Spark's local mode with one executor thread and with
# two, on the same generated records and partitions, with hyperfine:
#
#   Examples/spark/measure_scaling.sh [BINARY] [RECORDS] [PARTITIONS] [RUNS] [MODE]
#   # defaults: .build/release/ivig-fhir 20000 4 3 convert (MODE: convert or validate)
#
# Each partition's ivig-fhir runs with --jobs 1 (one task, one core), so the two runs differ only
# in how many partitions Spark works on at once. The times include Spark's start-up (a JVM, a few
# seconds), the same in both; the same records through ivig-fhir alone on one thread are timed
# first, to show how much of a run is the tool's work (conversion is light: validation, which
# checks every definition and invariant, gives Spark more to spread). Run it on a quiet machine:
# the load average is printed before and after, and a figure taken while other work shares the
# cores says nothing about scaling.
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$(realpath "${1:-.build/release/ivig-fhir}")
records=${2:-20000}
partitions=${3:-4}
runs=${4:-3}
mode=${5:-convert}
case "$mode" in
  convert) tool=(convert --to ndjson --jobs 1 --output /dev/null); job=(--mode convert) ;;
  validate)
    tool=(validate --format csv --jobs 1 --rules Mappings/ivig-dosing-rules.json)
    job=(--mode validate --rules Mappings/ivig-dosing-rules.json) ;;
  *) echo "MODE is convert or validate, not $mode" >&2; exit 64 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in"
"$binary" sample --count "$records" --seed 7 --to ndjson --output "$work/in/records.ndjson"
echo "input: $records records, $(du -h "$work/in/records.ndjson" | cut -f1), $partitions partitions"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "ivig-fhir $mode alone, one thread: %e s" "$binary" "${tool[@]}" "$work/in/records.ndjson" \
  >/dev/null 2>"$work/alone.txt" || true
tail -n 1 "$work/alone.txt"
hyperfine --runs "$runs" --warmup 1 --parameter-list master 'local[1],local[2]' \
  --prepare "rm -rf '$work/out'" \
  --export-markdown "$work/scaling.md" \
  "python3 Examples/spark/ivig_spark_job.py --binary '$binary' --input '$work/in' --output '$work/out' \
--master '{master}' --partitions $partitions --jobs 1 ${job[*]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$work/scaling.md"

#!/usr/bin/env bash
# Times Examples/spark/ivig_spark_job.py in Spark's local mode with one executor thread and with
# two, on the same generated records and partitions, with hyperfine:
#
#   Examples/spark/measure_scaling.sh [BINARY] [RECORDS] [PARTITIONS] [RUNS]
#   # defaults: .build/release/ivig-fhir 20000 4 3
#
# Each partition's ivig-fhir runs with --jobs 1 (one task, one core), so the two runs differ only
# in how many partitions Spark works on at once. The times include Spark's start-up (a JVM, a few
# seconds), the same in both. Run it on a quiet machine: the load average is printed before and
# after, and a figure taken while other work shares the cores says nothing about scaling.
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$(realpath "${1:-.build/release/ivig-fhir}")
records=${2:-20000}
partitions=${3:-4}
runs=${4:-3}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in"
"$binary" sample --count "$records" --seed 7 --to ndjson --output "$work/in/records.ndjson"
echo "input: $records records, $(du -h "$work/in/records.ndjson" | cut -f1), $partitions partitions"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine --runs "$runs" --warmup 1 --parameter-list master 'local[1],local[2]' \
  --prepare "rm -rf '$work/out'" \
  --export-markdown "$work/scaling.md" \
  "python3 Examples/spark/ivig_spark_job.py --binary '$binary' --input '$work/in' --output '$work/out' \
--master '{master}' --partitions $partitions --jobs 1"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$work/scaling.md"

#!/usr/bin/env bash
# `validate` and `convert` of this checkout against another build (main's), in one run: MB/s
# with 1 and 2 worker threads and peak RSS, on generated NDJSON and the same records as one
# XML Bundle.
#
#   Benchmarks/validate-streaming.sh BASELINE_BINARY [COUNT]     (from the repository root)
#
# COUNT is the resources `ivig-fhir sample` writes (default 30000, about 35 MB; 860000 is
# about 1 GB). Data goes to $IVIG_DATA_DIR (default: $TMPDIR/ivig-fhir-validate), never into
# the repository. Each figure is one run; the load average is printed, since the machine may
# be shared.
set -euo pipefail

BASELINE=${1:?the baseline binary, e.g. ../main/.build/release/ivig-fhir}
COUNT=${2:-30000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${IVIG_DATA_DIR:-${TMPDIR:-/tmp}/ivig-fhir-validate}
IVIG=${IVIG_BINARY:-$ROOT/.build/release/ivig-fhir}
mkdir -p "$DATA"
[ -x "$IVIG" ] || (cd "$ROOT" && swift build -c release --product ivig-fhir >/dev/null)
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing (apt-get install time)" >&2; exit 69; }
export IVIG_FHIR_RULES="$ROOT/Mappings/ivig-dosing-rules.json"

NDJSON="$DATA/sample-$COUNT.ndjson"
XML="$DATA/sample-$COUNT.xml"
[ -s "$NDJSON" ] || "$IVIG" sample --count "$COUNT" --seed 3 --output "$NDJSON"
[ -s "$XML" ] || "$IVIG" sample --count "$COUNT" --seed 3 --to xml --output "$XML"

# One run: prints "seconds MB/s peak-RSS-MB" for a command over a file.
measure() {
    local file=$1; shift
    local bytes log
    bytes=$(stat -c %s "$file")
    log=$(mktemp)
    /usr/bin/time -v "$@" "$file" >/dev/null 2>"$log" || true
    awk -v bytes="$bytes" '
        /Elapsed \(wall clock\)/ { n = split($NF, t, ":"); s = (n == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2] }
        /Maximum resident set size/ { rss = $NF / 1024 }
        END { printf "%7.2f s %7.1f MB/s %7.0f MB", s, bytes / 1e6 / s, rss }' "$log"
    rm -f "$log"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $COUNT resources"
printf '%-8s %-8s %-7s %-5s %s\n' build command input jobs "time, throughput, peak RSS"
for input in "$NDJSON" "$XML"; do
    kind=${input##*.}
    for jobs in 1 2; do
        for build in baseline this; do
            binary=$BASELINE; [ "$build" = this ] && binary=$IVIG
            # main's validate has no --jobs: it uses every core; its one-core figure is run under taskset.
            if [ "$build" = baseline ]; then
                run=(taskset -c "0-$((jobs - 1))" "$binary" validate)
            else
                run=("$binary" validate --jobs "$jobs")
            fi
            printf '%-8s %-8s %-7s %-5s %s\n' "$build" validate "$kind" "$jobs" "$(measure "$input" "${run[@]}")"
            printf '%-8s %-8s %-7s %-5s %s\n' "$build" convert "$kind" "$jobs" \
                "$(measure "$input" "$binary" convert --to ndjson --jobs "$jobs" --output /dev/null)"
        done
    done
done

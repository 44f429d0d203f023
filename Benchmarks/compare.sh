#!/usr/bin/env bash
# Compares ivig-fhir with the floors of reading the same data: libxml2 alone (xmllint --stream)
# and a plain JSON parse-and-dump (Python orjson), in one run, on one generated file.
#
#   Benchmarks/compare.sh [MEGABYTES] [RUNS]      (defaults: 200 MB, 5 runs; from the repository root)
#
# Data goes to $IVIG_DATA_DIR (default: $TMPDIR/ivig-fhir-compare), never into the repository.
# Every figure is the median of RUNS runs; the machine's load average is printed with them,
# since wall-clock times on a shared machine depend on it.
set -euo pipefail

MEGABYTES=${1:-200}
RUNS=${2:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${IVIG_DATA_DIR:-${TMPDIR:-/tmp}/ivig-fhir-compare}
mkdir -p "$DATA"

say() { printf '%s\n' "$*" >&2; }

# --- Tools -------------------------------------------------------------------------------------
# IVIG_SCRATCH_PATH: the main package's build folder, if not .build.
SCRATCH=${IVIG_SCRATCH_PATH:-$ROOT/.build}
say "building ivig-fhir and ivig-throughput (release)…"
(cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product ivig-fhir >/dev/null)
(cd "$ROOT/Benchmarks/Throughput" && swift build -c release >/dev/null)
IVIG="$SCRATCH/release/ivig-fhir"
THROUGHPUT="$ROOT/Benchmarks/Throughput/.build/release/ivig-throughput"
command -v xmllint >/dev/null || { say "xmllint is missing (apt-get install libxml2-utils)"; exit 69; }
[ -x /usr/bin/time ] || { say "/usr/bin/time is missing (apt-get install time)"; exit 69; }

PYTHON=python3
if ! "$PYTHON" -c 'import orjson' 2>/dev/null; then
    if [ ! -x "$DATA/venv/bin/python" ]; then
        say "installing orjson into $DATA/venv…"
        python3 -m venv "$DATA/venv"
        "$DATA/venv/bin/pip" install --quiet orjson
    fi
    PYTHON="$DATA/venv/bin/python"
fi

# --- Data --------------------------------------------------------------------------------------
# About 1,170 bytes per resource on average; the count is derived from the size asked for.
COUNT=$(( MEGABYTES * 1000000 / 1170 ))
NDJSON="$DATA/samples-$MEGABYTES.ndjson"
BUNDLE="$DATA/samples-$MEGABYTES.xml"
if [ ! -s "$NDJSON" ]; then
    say "generating $COUNT resources ($MEGABYTES MB) into $NDJSON…"
    "$IVIG" sample --count "$COUNT" --seed 1 --to ndjson --output "$NDJSON"
fi

# The XML that convert produces from the NDJSON (one Bundle, `--to xml --bundle`), when this
# ivig-fhir has the batch convert; else the same records as one XML Bundle from `sample`.
CONVERTED="$DATA/converted-$MEGABYTES.xml"
HAS_BATCH=no
if "$IVIG" convert --help 2>&1 | grep -q -- '--bundle'; then
    HAS_BATCH=yes
fi
if [ ! -s "$BUNDLE" ]; then
    "$IVIG" sample --count "$COUNT" --seed 1 --to xml --output "$BUNDLE"
fi

# --- Timing ------------------------------------------------------------------------------------
# time_runs LABEL COMMAND…: runs COMMAND RUNS times; prints "median_seconds max_rss_kb".
time_runs() {
    local label=$1; shift
    local times=() rss=0
    for _ in $(seq "$RUNS"); do
        local out
        /usr/bin/time -f '%e %M' -o "$DATA/time.txt" "$@" >/dev/null 2>&1
        out=$(tail -1 "$DATA/time.txt")
        times+=("${out% *}")
        local r=${out#* }
        (( r > rss )) && rss=$r
    done
    local median
    median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
    say "  $label: runs ${times[*]} s"
    echo "$median $rss"
}

size_mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN {printf "%.1f", b/1e6}'; }
rate() { awk -v mb="$1" -v s="$2" 'BEGIN {printf "%.1f", (s > 0) ? mb/s : 0}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0) ? a/b : 0}'; }

ORJSON_SCRIPT="$DATA/orjson_roundtrip.py"
cat > "$ORJSON_SCRIPT" <<'PY'
import sys, orjson
total = 0
with open(sys.argv[1], 'rb') as f:
    for line in f:
        if line.strip():
            total += len(orjson.dumps(orjson.loads(line)))
print(total)
PY

say "load before: $(uptime)"
NDJSON_MB=$(size_mb "$NDJSON")
BUNDLE_MB=$(size_mb "$BUNDLE")

read -r ORJSON_S ORJSON_RSS < <(time_runs "orjson parse+dump" "$PYTHON" "$ORJSON_SCRIPT" "$NDJSON")
read -r XMLLINT_BUNDLE_S XMLLINT_RSS < <(time_runs "xmllint --stream (sample Bundle)" xmllint --stream --noout "$BUNDLE")

CONVERT_LINE="convert: not measured (this ivig-fhir has no batch 'convert --to xml --bundle --output')"
if [ "$HAS_BATCH" = yes ]; then
    read -r CONVERT_S CONVERT_RSS < <(time_runs "ivig-fhir convert NDJSON → XML, 1 job" \
        "$IVIG" convert --jobs 1 --to xml --bundle --output "$CONVERTED" "$NDJSON")
    read -r CONVERT2_S CONVERT2_RSS < <(time_runs "ivig-fhir convert NDJSON → XML, 2 jobs" \
        "$IVIG" convert --jobs 2 --to xml --bundle --output "$CONVERTED" "$NDJSON")
    read -r XMLLINT_S _ < <(time_runs "xmllint --stream (convert's output)" xmllint --stream --noout "$CONVERTED")
    read -r BACK_S BACK_RSS < <(time_runs "ivig-fhir convert XML Bundle → NDJSON, 1 job" \
        "$IVIG" convert --jobs 1 --to ndjson --output "$DATA/back-$MEGABYTES.ndjson" "$CONVERTED")
    CONVERTED_MB=$(size_mb "$CONVERTED")
    CONVERT_LINE=$(printf '%s\n%s\n%s' \
        "convert NDJSON → XML (CLI, 1 job): $CONVERT_S s, $(rate "$NDJSON_MB" "$CONVERT_S") MB/s of NDJSON, peak $((CONVERT_RSS / 1024)) MB; $(ratio "$CONVERT_S" "$XMLLINT_S")× the time of xmllint --stream over its $CONVERTED_MB MB output ($XMLLINT_S s)" \
        "convert NDJSON → XML (CLI, 2 jobs): $CONVERT2_S s, $(rate "$NDJSON_MB" "$CONVERT2_S") MB/s, $(ratio "$CONVERT_S" "$CONVERT2_S")× one job, peak $((CONVERT2_RSS / 1024)) MB" \
        "convert XML Bundle → NDJSON (CLI, 1 job): $BACK_S s, $(rate "$CONVERTED_MB" "$BACK_S") MB/s of XML, peak $((BACK_RSS / 1024)) MB")
fi

say "library-level conversions (ivig-throughput, medians of $RUNS)…"
LIBRARY=$("$THROUGHPUT" --input "$NDJSON" --runs "$RUNS" --mode json-to-xml --subset-megabytes 1; \
          "$THROUGHPUT" --input "$NDJSON" --runs "$RUNS" --mode xml-to-json --subset-megabytes 1)
LIBRARY_2=$("$THROUGHPUT" --input "$NDJSON" --runs "$RUNS" --mode json-to-xml --jobs 2 --subset-megabytes 1; \
            "$THROUGHPUT" --input "$NDJSON" --runs "$RUNS" --mode xml-to-json --jobs 2 --subset-megabytes 1)
say "load after: $(uptime)"

# --- Report ------------------------------------------------------------------------------------
J2X=$(echo "$LIBRARY" | awk '/^json-to-xml/ {print $2}')
X2J=$(echo "$LIBRARY" | awk '/^xml-to-json/ {print $2}')
J2X2=$(echo "$LIBRARY_2" | awk '/^json-to-xml/ {print $3}')
X2J2=$(echo "$LIBRARY_2" | awk '/^xml-to-json/ {print $3}')
XMLLINT_RATE=$(rate "$BUNDLE_MB" "$XMLLINT_BUNDLE_S")
ORJSON_RATE=$(rate "$NDJSON_MB" "$ORJSON_S")
cat <<REPORT

ivig-fhir comparison: $NDJSON_MB MB NDJSON ($COUNT resources, seed 1), $BUNDLE_MB MB as an XML Bundle; medians of $RUNS runs
$(uptime)

| measure                                   | MB/s   | ratio |
|-------------------------------------------|--------|-------|
| xmllint --stream --noout (XML Bundle)     | $XMLLINT_RATE | 1.00 (XML floor) |
| orjson loads+dumps per line (NDJSON)      | $ORJSON_RATE | 1.00 (JSON floor) |
| library JSON → model → XML, 1 core        | $J2X | $(ratio "$J2X" "$ORJSON_RATE") of orjson, $(ratio "$J2X" "$XMLLINT_RATE") of xmllint |
| library XML → model → JSON, 1 core        | $X2J | $(ratio "$X2J" "$XMLLINT_RATE") of xmllint |
| library JSON → XML, 2 threads             | $J2X2 | $(ratio "$J2X2" "$J2X")× one core |
| library XML → JSON, 2 threads             | $X2J2 | $(ratio "$X2J2" "$X2J")× one core |

$CONVERT_LINE
peak memory: orjson $((ORJSON_RSS / 1024)) MB, xmllint $((XMLLINT_RSS / 1024)) MB
(library figures hold the whole input in memory; MB/s counts the bytes read)
REPORT

#!/usr/bin/env bash
# Load on `ivig-fhir serve` (release build) with wrk: small IVIG resources through $convert
# (JSON → XML) and $validate, requests/s and p99 latency; RSS after ~10,000 and after ~1,000,000
# requests (memory must stay flat); and the same load while 10,000 idle connections are held.
#
#   Benchmarks/serve-load.sh [SECONDS] [CONNECTIONS]    (defaults: 10 s per run, 32 connections)
#
# Needs wrk (apt-get install -y wrk) and python3 (the idle connections). Server and wrk share the
# machine's cores, so the figures are a floor of what the server does alone.
set -euo pipefail

SECONDS_PER_RUN=${1:-10}
CONNECTIONS=${2:-32}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${TMPDIR:-/tmp}/ivig-serve-load
SCRATCH=${IVIG_SCRATCH_PATH:-$ROOT/.build}
mkdir -p "$WORK"
say() { printf '%s\n' "$*" >&2; }
command -v wrk >/dev/null || { say "wrk is missing (apt-get install -y wrk)"; exit 69; }

say "building ivig-fhir (release)…"
(cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product ivig-fhir >/dev/null)
IVIG="$SCRATCH/release/ivig-fhir"

# Small IVIG resources: the example's MedicationRequest (the order) as one JSON document.
"$IVIG" convert --to ndjson --quiet "$ROOT/Examples/cidp-induction-bundle.json" \
  | grep -m1 '"resourceType":"MedicationRequest"' > "$WORK/order.json"
say "body: $(wc -c < "$WORK/order.json") bytes (MedicationRequest)"

cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
local file = io.open("$WORK/order.json", "rb")
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/fhir+json"
wrk.headers["Accept"] = os.getenv("ACCEPT") or "application/fhir+xml"
LUA

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
# The queue must hold every connection wrk opens, so no request is answered 503 here.
"$IVIG" serve --port 0 --idle-timeout 600 --max-queued 20000 --log-level info \
  > "$WORK/server.out" 2> /dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q listening "$WORK/server.out" 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/server.out")
BASE="http://127.0.0.1:$PORT"
rss() { awk '/VmRSS/ {print $2}' "/proc/$SERVER/status"; }
run() {  # run NAME PATH [wrk options…]: prints requests/s, p99 and the request count
  local name=$1 path=$2; shift 2
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s "$WORK/post.lua" "$@" "$BASE$path" > "$WORK/$name.txt"
  local rate p99 count
  rate=$(awk '/Requests\/sec/ {print $2}' "$WORK/$name.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/$name.txt")
  count=$(awk '/requests in/ {print $1}' "$WORK/$name.txt")
  local errors; errors=$(grep -E 'Non-2xx|Socket errors' "$WORK/$name.txt" || true)
  printf '%-34s %10s req/s   p99 %8s   (%s requests) %s\n' "$name" "$rate" "$p99" "$count" "$errors"
  TOTAL=$((TOTAL + count))
}

TOTAL=0
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc); connections: $CONNECTIONS"
# ~10,000 requests first: the baseline for memory.
# With the connections of the runs below, so the baseline holds their buffers too.
wrk -t2 -c"$CONNECTIONS" -d1s -s "$WORK/post.lua" "$BASE/\$convert" > "$WORK/warm.txt"
# $validate too: its definitions are compiled on first use and kept, which is not growth.
ACCEPT=application/fhir+json wrk -t2 -c"$CONNECTIONS" -d1s -s "$WORK/post.lua" "$BASE/\$validate" > "$WORK/warm-validate.txt"
TOTAL=$(( $(awk '/requests in/ {print $1}' "$WORK/warm.txt") + $(awk '/requests in/ {print $1}' "$WORK/warm-validate.txt") ))
RSS_EARLY=$(rss)
echo "RSS after $TOTAL requests: $RSS_EARLY KiB"

run "\$convert JSON → XML" '/$convert'
ACCEPT=application/fhir+json run "\$validate (OperationOutcome JSON)" '/$validate'

# On to ~1,000,000 requests, then memory again.
while [ "$TOTAL" -lt 1000000 ]; do
  wrk -t2 -c"$CONNECTIONS" -d10s -s "$WORK/post.lua" "$BASE/\$convert" > "$WORK/long.txt"
  TOTAL=$((TOTAL + $(awk '/requests in/ {print $1}' "$WORK/long.txt")))
done
RSS_LATE=$(rss)
echo "RSS after $TOTAL requests: $RSS_LATE KiB (ratio $(awk -v a="$RSS_LATE" -v b="$RSS_EARLY" 'BEGIN {printf "%.3f", a / b}'))"
# Last, as 10,000 connections leave buffers in the allocator that would cloud the memory figure.
# Hold 10,000 idle connections while the load goes on.
python3 - "$PORT" 10000 > "$WORK/idle.out" 2>&1 <<'PY' &
import socket, sys, time
port, count = int(sys.argv[1]), int(sys.argv[2])
held = []
for _ in range(count):
    s = socket.create_connection(("127.0.0.1", port)); held.append(s)
print(f"holding {len(held)} idle connections", flush=True)
time.sleep(float(60))
PY
IDLE=$!
for _ in $(seq 300); do grep -q holding "$WORK/idle.out" 2>/dev/null && break; sleep 0.1; done
cat "$WORK/idle.out"
run "\$convert with 10,000 idle connections" '/$convert'
kill $IDLE 2>/dev/null || true

kill -TERM $SERVER; wait $SERVER; echo "server exit status after SIGTERM: $?"

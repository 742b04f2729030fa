#!/usr/bin/env bash
# Ingest benchmark: the release server under wrk, beside the in-process ceiling of the same code.
#
#   Benchmarks/run.sh [seconds] [connections]
#
# Prints, from one run: HTTP ingest events/s with p50/p99 request latency (100-event batches to
# POST /v1/events, each answered after its commit), the in-process parse and storage ceilings
# (the same batches through EventBatchDecoder and the batch writer into SQLite, no HTTP), and
# the ratio of HTTP to storage ceiling. Absolute numbers vary with the machine; the ratio is the figure.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
connections=${2:-128}
events_per_batch=100

if ! command -v wrk >/dev/null; then
  echo "installing wrk" >&2
  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
fi
swift build -c release --product sextant >/dev/null
swift build -c release --product sextant-bench >/dev/null
bin=$(swift build -c release --show-bin-path)

work=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
key=sg_live_bench
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/sextant.yaml" <<YAML
organizations:
  - id: bench
    projects:
      - slug: bench
        keys: ["$key"]
        rate_limit: { requests_per_second: 1000000, burst: 1000000 }
YAML
"$bin/sextant" serve --config "$work/sextant.yaml" --listen "127.0.0.1:$port" --data-dir "$work/data" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
python3 Benchmarks/bench-body.py "$key" "$events_per_batch" "$work/post.lua"

echo "== HTTP: wrk, ${connections} connections, ${seconds}s, ${events_per_batch}-event batches to POST /v1/events"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port/v1/events" > "$work/wrk.txt"
kill -TERM "$server"; wait "$server" 2>/dev/null || true
committed=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from events').fetchone()[0])" "$work/data/sextant.sqlite")

echo "== In-process ceiling: same batches, same decoder, batch writer and SQLite store, no HTTP"
"$bin/sextant-bench" ceiling --batches 3000 --concurrency "$connections" --events-per-batch "$events_per_batch" > "$work/ceiling.txt"

python3 - "$work/wrk.txt" "$work/ceiling.txt" "$committed" "$events_per_batch" "$seconds" <<'PY'
import re, sys
wrk, ceiling, committed, per_batch, seconds = open(sys.argv[1]).read(), open(sys.argv[2]).read(), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
def latency(label):
    m = re.search(r"^\s*%s%%\s+([\d.]+)(us|ms|s)" % label, wrk, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
requests = int(re.search(r"(\d+) requests in", wrk).group(1))
elapsed = re.search(r"requests in ([\d.]+)(\w+)", wrk)
elapsed_s = float(elapsed.group(1)) * (60 if elapsed.group(2) == "m" else 1)
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk)
errors = int(non2xx.group(1)) if non2xx else 0
ceil = dict(line.split() for line in ceiling.strip().splitlines())
http_rate = (requests - errors) * per_batch / elapsed_s
store_rate, parse_rate = float(ceil["store_events_per_s"]), float(ceil["parse_events_per_s"])
print(f"http_ingest_events_per_s   {http_rate:12,.0f}   ({requests:,} requests, {errors} non-2xx)")
print(f"http_latency_p50_ms        {latency('50'):12.2f}")
print(f"http_latency_p99_ms        {latency('99'):12.2f}")
print(f"events_committed           {committed:12,}   (every 2xx request's events are in the database: {committed >= (requests - errors) * per_batch})")
print(f"ceiling_parse_events_per_s {parse_rate:12,.0f}")
print(f"ceiling_store_events_per_s {store_rate:12,.0f}")
print(f"ratio_http_to_store        {http_rate / store_rate:12.2f}")
PY

#!/usr/bin/env bash
# Ingest benchmark: the release server under wrk, beside the in-process ceilings of the same code.
#
#   Benchmarks/run.sh [seconds] [connections]
#   Benchmarks/run.sh --long [seconds] [connections]     (default 300 s per run)
#   Benchmarks/run.sh --backend postgres [--long] [seconds] [connections]
#
# Three runs, each printed beside its in-process ceiling (the same bodies through the same
# decoders, batch writer and store, no HTTP) and their ratio:
#   events  100-event batches to POST /v1/events: events/s, p50/p99 latency, and the parse ceiling
#   logs    1,000-log batches to POST /v1/logs: logs/s
#   replay  gzipped rrweb chunks to POST /v1/replay, a new session each: MB/s of gzip
# Every acknowledged request's rows are checked to be in the database. Absolute numbers vary
# with the machine; the ratios are the figures.
#
# The long mode runs each server for minutes, to steady state, and prints every 30 s and at the
# end (Benchmarks/sample.py): rows committed, the WAL's size and its largest, data-directory bytes
# per event, log line or chunk (database, WAL, indexes, blobs), and the server's RSS and peak.
# Its in-process ceilings run ten times as many batches, so they too reach steady state. After the
# events run it times a funnel and the aggregates over everything ingested, RSS still sampled.
# BENCH_ONLY=events|logs|replay runs one of the three.
#
# With --backend postgres the events and logs runs are repeated on PostgreSQL (a throwaway cluster
# on loopback, fsync on, as SQLite's FULL): through one node, then through three nodes on the one
# database with the connections split between them, each beside the SQLite figure of the same run;
# and the in-process ceilings are measured on PostgreSQL too. (Replay is left out there: three
# nodes need their blobs in a bucket, and its cost is the blob, not the database.)
set -euo pipefail
cd "$(dirname "$0")/.."
long=0
backend=sqlite
while [ $# -gt 0 ]; do
  case "$1" in
    --long) long=1; shift ;;
    --backend) backend=$2; shift 2 ;;
    *) break ;;
  esac
done
case "$backend" in sqlite|postgres) ;; *) echo "--backend is sqlite or postgres" >&2; exit 2 ;; esac
seconds=${1:-$([ "$long" = 1 ] && echo 300 || echo 15)}
connections=${2:-128}
scale=$([ "$long" = 1 ] && echo 10 || echo 1)

if ! command -v wrk >/dev/null; then
  echo "installing wrk" >&2
  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
fi
swift build -c release --product sextant >/dev/null
swift build -c release --product sextant-bench >/dev/null
bin=$(swift build -c release --show-bin-path)

work=$(mktemp -d)
server=""
pg_servers=""
pg_dir=""
trap 'kill $server $pg_servers 2>/dev/null || true; [ -n "${POSTGRES_TEST_SERVER_STOP:-}" ] && eval "$POSTGRES_TEST_SERVER_STOP"; rm -rf "$work" $pg_dir' EXIT
key=sg_live_bench
cat > "$work/sextant.yaml" <<YAML
organizations:
  - id: bench
    projects:
      - slug: bench
        keys: ["$key"]
        rate_limit: { requests_per_second: 1000000, burst: 1000000 }
YAML
python3 Benchmarks/bench-body.py events "$key" 100 "$work/events.lua"
python3 Benchmarks/bench-body.py logs "$key" 1000 "$work/logs.lua"
python3 Benchmarks/bench-body.py replay "$key" "$work/chunk.json.gz" "$work/replay.lua"

# Runs wrk against a fresh server: run NAME PATH SCRIPT TABLE UNIT; leaves the row count of TABLE in $work/NAME.rows.
run() {
  local name=$1 path=$2 script=$3 table=$4 unit=$5 sampler=""
  rm -rf "$work/data"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$bin/sextant" serve --config "$work/sextant.yaml" --listen "127.0.0.1:$port" --data-dir "$work/data" >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  echo "== $name: wrk, ${connections} connections, ${seconds}s, POST $path" >&2
  if [ "$long" = 1 ]; then
    python3 Benchmarks/sample.py "$server" "$work/data" "$table" "$unit" 30 &
    sampler=$!
  fi
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$script" "http://127.0.0.1:$port$path" > "$work/$name.wrk"
  if [ "$long" = 1 ] && [ "$name" = events ]; then
    # The analytics queries over everything ingested, timed, with the sampler still watching RSS.
    for query in "funnel?steps=click_0,click_1,click_2" aggregates; do
      curl -s -o /dev/null -w "  [query] /v1/query/$query: %{http_code} in %{time_total} s\n" "http://127.0.0.1:$port/v1/query/$query" >&2
    done
    sleep 2
  fi
  if [ -n "$sampler" ]; then kill -TERM "$sampler"; wait "$sampler" || true; fi
  kill -TERM "$server"; wait "$server" 2>/dev/null || true
  python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from $table').fetchone()[0])" \
    "$work/data/sextant.sqlite" > "$work/$name.rows"
}

only=${BENCH_ONLY:-}
wants() { [ -z "$only" ] || [ "$only" = "$1" ]; }
wants events && run events /v1/events "$work/events.lua" events events
wants logs && run logs /v1/logs "$work/logs.lua" logs logs
wants replay && run replay /v1/replay "$work/replay.lua" replay_chunks chunks

# The same runs on PostgreSQL: run_postgres NAME PATH SCRIPT TABLE NODES, on a database of its own;
# wrk's connections are split between the nodes, as a load balancer would spread them.
run_postgres() {
  local name=$1 path=$2 script=$3 table=$4 nodes=$5 database wrks="" i
  database="bench_${name}_${nodes}_$$"
  psql "$SEXTANT_TEST_POSTGRES_URL" -qAtc "CREATE DATABASE $database"
  local url="${SEXTANT_TEST_POSTGRES_URL%/*}/$database" ports=()
  pg_servers=""
  for i in $(seq 1 "$nodes"); do
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    SEXTANT_STORAGE_BACKEND=postgres SEXTANT_POSTGRES_URL=$url "$bin/sextant" serve --config "$work/sextant.yaml" \
      --listen "127.0.0.1:$port" --data-dir "$work/pgdata-$name-$nodes-$i" >"$work/pgserver-$i.log" 2>&1 &
    pg_servers="$pg_servers $!"
    ports+=("$port")
  done
  for port in "${ports[@]}"; do
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  done
  echo "== $name on PostgreSQL, $nodes node(s): wrk, ${connections} connections in all, ${seconds}s, POST $path" >&2
  rm -f "$work/$name.pg$nodes.wrk".*
  i=0
  for port in "${ports[@]}"; do
    wrk -t1 -c$((connections / nodes)) -d"${seconds}s" --latency -s "$script" "http://127.0.0.1:$port$path" > "$work/$name.pg$nodes.wrk.$i" &
    wrks="$wrks $!"
    i=$((i + 1))
  done
  # shellcheck disable=SC2086
  wait $wrks
  # shellcheck disable=SC2086
  kill -TERM $pg_servers; wait $pg_servers 2>/dev/null || true
  pg_servers=""
  psql "$url" -qAtc "SELECT count(*) FROM $table" > "$work/$name.pg$nodes.rows"
  psql "$SEXTANT_TEST_POSTGRES_URL" -qAtc "DROP DATABASE $database WITH (FORCE)"
}

if [ "$backend" = postgres ]; then
  # A directory of its own: the cluster runs as the postgres account, which cannot enter $work.
  pg_dir=$(mktemp -d)
  scripts/postgres-test-server "$pg_dir" >&2
  # shellcheck disable=SC1091
  source "$pg_dir/postgres.env"
  for nodes in 1 3; do
    wants events && run_postgres events /v1/events "$work/events.lua" events "$nodes"
    wants logs && run_postgres logs /v1/logs "$work/logs.lua" logs "$nodes"
  done
fi

echo "== in-process ceilings" >&2
wants events && "$bin/sextant-bench" ceiling --batches $((3000 * scale)) --concurrency "$connections" > "$work/events.ceiling"
wants logs && "$bin/sextant-bench" logs-ceiling --bodies "$work/logs.lua" --batches $((200 * scale)) --concurrency "$connections" > "$work/logs.ceiling"
if [ "$backend" = postgres ]; then
  psql "$SEXTANT_TEST_POSTGRES_URL" -qAtc "CREATE DATABASE bench_ceiling_events" -c "CREATE DATABASE bench_ceiling_logs"
  wants events && SEXTANT_STORAGE_BACKEND=postgres SEXTANT_POSTGRES_URL="${SEXTANT_TEST_POSTGRES_URL%/*}/bench_ceiling_events" \
    "$bin/sextant-bench" ceiling --batches $((3000 * scale)) --concurrency "$connections" > "$work/events.pg.ceiling"
  wants logs && SEXTANT_STORAGE_BACKEND=postgres SEXTANT_POSTGRES_URL="${SEXTANT_TEST_POSTGRES_URL%/*}/bench_ceiling_logs" \
    "$bin/sextant-bench" logs-ceiling --bodies "$work/logs.lua" --batches $((200 * scale)) --concurrency "$connections" > "$work/logs.pg.ceiling"
fi
wants replay && "$bin/sextant-bench" replay-ceiling --chunk "$work/chunk.json.gz" --batches $((2000 * scale)) --concurrency "$connections" > "$work/replay.ceiling"

python3 - "$work" "$(stat -c %s "$work/chunk.json.gz")" <<'PY'
import re, sys
work, chunk_bytes = sys.argv[1], int(sys.argv[2])
import glob
def wrk(name):
    """One run's figures; a run split over several wrk processes (several nodes) adds their
    requests and reports the slowest one's latencies."""
    ok = bad = 0
    seconds = p50 = p99 = 0.0
    for path in sorted(glob.glob(f"{work}/{name}.wrk*")):
        text = open(path).read()
        def latency(label):
            m = re.search(r"^\s*%s%%\s+([\d.]+)(us|ms|s)" % label, text, re.M)
            value, unit = float(m.group(1)), m.group(2)
            return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
        requests = int(re.search(r"(\d+) requests in", text).group(1))
        elapsed = re.search(r"requests in ([\d.]+)(\w+)", text)
        seconds = max(seconds, float(elapsed.group(1)) * (60 if elapsed.group(2) == "m" else 1))
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
        good = requests - (int(non2xx.group(1)) if non2xx else 0)
        ok, bad = ok + good, bad + requests - good
        p50, p99 = max(p50, latency("50")), max(p99, latency("99"))
    rows = int(open(f"{work}/{name}.rows").read())
    return ok, seconds, p50, p99, rows, bad
def ceiling(name):
    return dict(line.split() for line in open(f"{work}/{name}.ceiling").read().strip().splitlines())

import os
def ran(name):
    return os.path.exists(f"{work}/{name}.wrk") and os.path.exists(f"{work}/{name}.ceiling")

if ran("events"):
    ok, s, p50, p99, rows, bad = wrk("events")
    c = ceiling("events")
    rate, store = ok * 100 / s, float(c["store_events_per_s"])
    print(f"events  http {rate:12,.0f} events/s  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  non-2xx {bad}  committed {rows:,} (all acknowledged: {rows >= ok * 100})")
    print(f"events  ceiling: parse {float(c['parse_events_per_s']):12,.0f} events/s  store {store:12,.0f} events/s  http/store {rate / store:.2f}")

if ran("logs"):
    ok, s, p50, p99, rows, bad = wrk("logs")
    store = float(ceiling("logs")["store_logs_per_s"])
    rate = ok * 1000 / s
    print(f"logs    http {rate:12,.0f} logs/s    p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  non-2xx {bad}  committed {rows:,} (all acknowledged: {rows >= ok * 1000})")
    print(f"logs    ceiling: store {store:12,.0f} logs/s  http/store {rate / store:.2f}")

# PostgreSQL beside SQLite, each ratio against the SQLite figure of this same run.
for name, unit, per in (("events", "events", 100), ("logs", "logs", 1000)):
    if not ran(name) or not os.path.exists(f"{work}/{name}.pg.ceiling"):
        continue
    sqlite_ok, sqlite_s = wrk(name)[:2]
    sqlite_rate = sqlite_ok * per / sqlite_s
    for nodes in (1, 3):
        ok, s, p50, p99, rows, bad = wrk(f"{name}.pg{nodes}")
        rate = ok * per / s
        print(f"{name:7} postgres {nodes} node{'s' if nodes > 1 else ' '} http {rate:12,.0f} {unit}/s  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  "
              f"non-2xx {bad}  committed {rows:,} (all acknowledged: {rows >= ok * per})  postgres/sqlite {rate / sqlite_rate:.2f}")
    key = "store_events_per_s" if name == "events" else "store_logs_per_s"
    sqlite_store, pg_store = float(ceiling(name)[key]), float(ceiling(f"{name}.pg")[key])
    print(f"{name:7} ceiling: store on postgres {pg_store:12,.0f} {unit}/s  postgres/sqlite {pg_store / sqlite_store:.2f}")

if ran("replay"):
    ok, s, p50, p99, rows, bad = wrk("replay")
    c = ceiling("replay")
    mbps, store = ok * chunk_bytes / 1_048_576 / s, float(c["store_replay_mb_per_s"])
    print(f"replay  http {mbps:12.2f} MB/s ({ok / s:,.0f} chunks/s of {chunk_bytes:,} B)  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  non-2xx {bad}  committed {rows:,} (all acknowledged: {rows >= ok})")
    print(f"replay  ceiling: store {store:12.2f} MB/s  http/store {mbps / store:.2f}")
PY

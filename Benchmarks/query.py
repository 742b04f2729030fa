"""Query benchmark (issue 11): N generated events ingested through HTTP into the release server,
the same rows loaded into DuckDB in this process, every answer checked equal both ways, then each
query's median time both ways and the ratio DuckDB / Sextant (above 1: Sextant is faster). The
server's RSS is sampled throughout. With SEXTANT_BASELINE_BIN set, the same rows are first
ingested into that build too, and ingest's ratio to it is printed. Run through Benchmarks/query.sh, which builds the server and
gives this script a venv with DuckDB.

Data: N events, N/40 users, 30 UTC days, 20 event names, 50 pages; every timestamp distinct, so
in-order walks have one answer whatever the tie-breaking."""
import concurrent.futures
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import duckdb
import requests

N = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
BIN = os.environ["SEXTANT_BIN"]
KEY = "sg_live_query_bench"
DAY = 86_400_000
START = 1_780_272_000_000  # 2026-06-01T00:00:00Z
NAMES = ["view", "add_to_cart", "purchase", "signup", "search"] + [f"event_{i:02}" for i in range(15)]
REPEATS = 5


def generate():
    rng = random.Random(42)
    users = max(N // 40, 1)
    span = 30 * DAY
    step = span // N
    # Distinct times: event i is at START + i*step + an offset below step, owned by a random user.
    weights = [12, 6, 3, 4, 5] + [2] * 15
    for i in range(N):
        ts = START + i * step + rng.randrange(max(step, 1))
        user = f"u{rng.randrange(users)}"
        kind = rng.random()
        if kind < 0.25:
            page = rng.randrange(50)
            yield {"ts": ts, "type": "pageview", "name": "pageview", "user_id": user, "url": f"https://shop.example.com/page/{page}"}
        elif kind < 0.26:
            yield {"ts": ts, "type": "error", "name": "TypeError", "user_id": user,
                   "props": {"message": f"boom {rng.randrange(5)}", "stack": "TypeError: boom\n    at f (https://shop.example.com/a.js:1:2)"}}
        else:
            yield {"ts": ts, "type": "event", "name": rng.choices(NAMES, weights)[0], "user_id": user}


class Server:
    def __init__(self, work, binary=BIN):
        config = os.path.join(work, "sextant.yaml")
        with open(config, "w") as handle:
            json.dump({"organizations": [{"id": "bench", "projects": [{"slug": "shop", "keys": [KEY],
                       "rate_limit": {"requests_per_second": 1_000_000, "burst": 1_000_000}}]}]}, handle)
        self.port = 18000 + os.getpid() % 1000
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([binary, "serve", "--data-dir", os.path.join(work, "data"), "--config", config,
                                         "--listen", f"127.0.0.1:{self.port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        self.peak = 0
        self.stopping = threading.Event()
        threading.Thread(target=self.sample, daemon=True).start()

    def rss(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS"))

    def sample(self):
        while not self.stopping.is_set():
            self.peak = max(self.peak, self.rss())
            time.sleep(0.2)

    def get(self, path, **params):
        response = requests.get(self.base + path, params=params, timeout=600)
        response.raise_for_status()
        return response.json()

    def stop(self):
        self.stopping.set()
        self.process.terminate()
        self.process.wait(timeout=30)


def ingest(server, rows):
    session = requests.Session()
    batches = [rows[i:i + 1000] for i in range(0, len(rows), 1000)]

    def post(batch):
        body = json.dumps({"app": "shop", "key": KEY, "events": batch})
        for _ in range(50):
            response = session.post(server.base + "/v1/events", data=body, headers={"Content-Type": "application/json"}, timeout=120)
            if response.status_code == 204:
                return
            time.sleep(0.2)  # 503 under backpressure: retry, as SDKs do
        raise RuntimeError(f"ingest failed: {response.status_code} {response.text}")

    started = time.time()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(post, batches))
    return time.time() - started


def timed(run):
    times = []
    answer = None
    for _ in range(REPEATS):
        started = time.perf_counter()
        answer = run()
        times.append(time.perf_counter() - started)
    return answer, statistics.median(times)


def day(ms):
    return time.strftime("%Y-%m-%d", time.gmtime(ms / 1000))


def main():
    work = tempfile.mkdtemp(prefix="sextant-query-bench-")
    rows = list(generate())
    db = duckdb.connect()
    db.execute("CREATE TABLE ev (ts BIGINT, type VARCHAR, name VARCHAR, uid VARCHAR, url VARCHAR)")
    load_duckdb(db, rows, work)
    baseline = os.environ.get("SEXTANT_BASELINE_BIN")
    if baseline:
        # The same rows into another build first, on its own data directory: ingest's ratio in one run.
        base_work = tempfile.mkdtemp(prefix="sextant-query-baseline-")
        base_server = Server(base_work, baseline)
        try:
            base_seconds = ingest(base_server, rows)
            base_peak = base_server.peak
        finally:
            base_server.stop()
            subprocess.run(["rm", "-rf", base_work])
    server = Server(work)
    try:
        seconds = ingest(server, rows)
        print(f"{N:,} events ingested through POST /v1/events in {seconds:.1f} s ({N / seconds:,.0f} events/s); "
              f"server RSS {server.rss() / 2**20:.0f} MiB after, peak {server.peak / 2**20:.0f} MiB")
        if baseline:
            print(f"baseline build ({baseline}): {N / base_seconds:,.0f} events/s, RSS peak {base_peak / 2**20:.0f} MiB; "
                  f"this build / baseline = {base_seconds / seconds:.2f}")
        ingest_peak, server.peak = server.peak, 0
        frm, to = START, START + 30 * DAY - 1
        results = []

        def compare(name, sextant, duck):
            s_answer, s_time = timed(sextant)
            d_answer, d_time = timed(duck)
            assert s_answer == d_answer, f"{name}: Sextant {str(s_answer)[:300]} != DuckDB {str(d_answer)[:300]}"
            results.append((name, s_time, d_time))

        steps = ["view", "add_to_cart", "purchase"]
        compare("funnel view → add_to_cart → purchase",
                lambda: [step["count"] for step in server.get("/v1/query/funnel", steps=",".join(steps))["steps"]],
                lambda: list(db.execute("""
                    WITH s1 AS (SELECT uid, min(ts) t FROM ev WHERE name = 'view' GROUP BY uid),
                         s2 AS (SELECT e.uid, min(e.ts) t FROM ev e JOIN s1 USING (uid) WHERE e.name = 'add_to_cart' AND e.ts > s1.t GROUP BY e.uid),
                         s3 AS (SELECT e.uid, min(e.ts) t FROM ev e JOIN s2 USING (uid) WHERE e.name = 'purchase' AND e.ts > s2.t GROUP BY e.uid)
                    SELECT (SELECT count(*) FROM s1), (SELECT count(*) FROM s2), (SELECT count(*) FROM s3)""").fetchone()))

        def sextant_aggregates():
            answer = server.get("/v1/query/aggregates", limit=10)
            return ([(d["day"], d["count"]) for d in answer["dau"]], [(e["name"], e["count"]) for e in answer["top_events"]],
                    [(p["name"], p["count"]) for p in answer["top_pages"]], [(d["day"], d["count"]) for d in answer["errors_by_day"]])

        def duck_aggregates():
            dau = db.execute("SELECT ts // 86400000 d, count(DISTINCT uid) FROM ev GROUP BY d ORDER BY d").fetchall()
            top = db.execute("SELECT name, count(*) n FROM ev WHERE type = 'event' GROUP BY name ORDER BY n DESC, name LIMIT 10").fetchall()
            pages = db.execute("""SELECT regexp_extract(url, '^https?://[^/]+(/[^?#]*)', 1) p, count(*) n FROM ev WHERE type = 'pageview'
                                  GROUP BY p ORDER BY n DESC, p LIMIT 10""").fetchall()
            errors = db.execute("SELECT ts // 86400000 d, count(*) FROM ev WHERE type = 'error' GROUP BY d ORDER BY d").fetchall()
            return ([(day(d * DAY), n) for d, n in dau], [(e, n) for e, n in top], [(p, n) for p, n in pages],
                    [(day(d * DAY), n) for d, n in errors])

        compare("aggregates (DAU, top events and pages, errors by day)", sextant_aggregates, duck_aggregates)

        def sextant_trends():
            answer = server.get("/v1/query/trends", event="view,purchase", interval="day", measure="users", **{"from": frm, "to": to})
            return [(s["event"], s["values"]) for s in answer["series"]]

        def duck_trends():
            days = [START + i * DAY for i in range(30)]
            out = []
            for event in ["view", "purchase"]:
                counts = dict(db.execute("SELECT ts - ts % 86400000 b, count(DISTINCT uid) FROM ev WHERE name = ? GROUP BY b", [event]).fetchall())
                out.append((event, [counts.get(d, 0) for d in days]))
            return out

        compare("trends view, purchase: users per day", sextant_trends, duck_trends)

        def sextant_retention():
            answer = server.get("/v1/query/retention", start_event="signup", return_event="purchase", period="day", periods=7,
                                **{"from": frm, "to": to})
            return [(c["date"], c["returning"]) for c in answer["cohorts"]]

        def duck_retention():
            rows_ = db.execute("""
                WITH first AS (SELECT uid, min(ts) t FROM ev WHERE name = 'signup' GROUP BY uid),
                     cohort AS (SELECT uid, t - t % 86400000 c FROM first),
                     back AS (SELECT DISTINCT e.uid, c.c, ((e.ts - e.ts % 86400000) - c.c) / 86400000 k
                              FROM ev e JOIN cohort c USING (uid) WHERE e.name = 'purchase')
                SELECT c, 0 k, count(*) FROM cohort GROUP BY c
                UNION ALL SELECT c, k, count(*) FROM back WHERE k BETWEEN 1 AND 6 GROUP BY c, k""").fetchall()
            table = {}
            for cohort, k, n in rows_:
                table.setdefault(cohort, [0] * 7)[int(k)] = n
            return [(day(START + i * DAY), table.get(START + i * DAY, [0] * 7)) for i in range(30)]

        compare("retention signup → purchase, 7 days", sextant_retention, duck_retention)

        print(f"{'query':58} {'Sextant':>10} {'DuckDB':>10} {'DuckDB/Sextant':>15}")
        for name, s_time, d_time in results:
            print(f"{name:58} {s_time:9.3f}s {d_time:9.3f}s {d_time / s_time:15.2f}")
        disk = sum(os.path.getsize(os.path.join(root, f)) for root, _, files in os.walk(os.path.join(work, "data")) for f in files)
        print(f"server RSS peak {max(ingest_peak, server.peak) / 2**20:.0f} MiB (ingest {ingest_peak / 2**20:.0f}, queries {server.peak / 2**20:.0f}); data directory {disk / 2**20:.0f} MiB ({disk / N:.0f} B/event); "
              f"every answer equal both ways")
    finally:
        server.stop()


def load_duckdb(db, rows, work):
    path = os.path.join(work, "events.csv")
    with open(path, "w") as handle:
        for r in rows:
            handle.write(f"{r['ts']},{r['type']},{r['name']},{r['user_id']},{r.get('url') or ''}\n")
    db.execute(f"INSERT INTO ev SELECT * FROM read_csv('{path}', header = false, columns = "
               "{'ts': 'BIGINT', 'type': 'VARCHAR', 'name': 'VARCHAR', 'uid': 'VARCHAR', 'url': 'VARCHAR'}, nullstr = '')")
    os.remove(path)


if __name__ == "__main__":
    main()

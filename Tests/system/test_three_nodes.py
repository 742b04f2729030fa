"""Three nodes on one PostgreSQL database and one S3 bucket (issue 10's acceptance): a client
spreads events, logs, errors and replay chunks over them round-robin, as a load balancer would;
the node delivering alerts is SIGKILLed halfway. Afterwards every acknowledged item is stored
exactly once, one error sent 300 times through all nodes is one issue of count 300, and each new
issue's webhook arrived once, the later ones from the node that took alert delivery over.

Needs the servers scripts/test starts: PostgreSQL (SEXTANT_TEST_POSTGRES_URL) and moto's S3
(SEXTANT_TEST_S3_*)."""
import gzip
import json
import os
import signal
import subprocess
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from sextant_process import SextantServer, free_port, wait_for

KEY = "sg_live_three_nodes"
TOKEN = "luc_api_three_nodes"
BASE_TS = 1_781_395_200_000


def psql(url, sql):
    return subprocess.run(["psql", url, "-qAtc", sql], check=True, capture_output=True, text=True).stdout.strip()


class Receiver:
    """A webhook receiver on loopback that keeps every body it was sent."""

    def __init__(self):
        bodies, lock = [], threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with lock:
                    bodies.append(body)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.bodies, self.lock = bodies, lock
        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def new_issues(self):
        with self.lock:
            return Counter(b["issue"]["id"] for b in self.bodies if b.get("event") == "new_issue")


class Client:
    """Round-robin over the nodes; a node that does not answer is skipped, so the request goes
    to the next one, and only a 2xx counts as acknowledged."""

    def __init__(self, nodes):
        self.nodes, self.turn = nodes, 0

    def post(self, path, **kwargs):
        for _ in range(len(self.nodes) * 3):
            node = self.nodes[self.turn % len(self.nodes)]
            self.turn += 1
            try:
                response = requests.post(node.base + path, timeout=10, **kwargs)
            except requests.RequestException:
                continue
            if 200 <= response.status_code < 300:
                return True
        return False


def test_three_nodes_lose_nothing_and_alert_once_when_one_is_killed(binary):
    admin = os.environ.get("SEXTANT_TEST_POSTGRES_URL")
    endpoint = os.environ.get("SEXTANT_TEST_S3_ENDPOINT")
    if not admin or not endpoint:
        pytest.fail("needs SEXTANT_TEST_POSTGRES_URL and SEXTANT_TEST_S3_*: run it through scripts/test, which starts both servers")
    database = f"three_nodes_{time.time_ns()}"
    psql(admin, f"CREATE DATABASE {database}")
    url = admin.rsplit("/", 1)[0] + "/" + database
    receiver = Receiver()
    config = {
        "background": {"alert_interval_seconds": 0.5},
        "organizations": [{"id": "acme", "tokens": [{"token": TOKEN, "scopes": ["read:lucent"]}], "projects": [{
            "slug": "shop", "keys": [KEY], "rate_limit": {"requests_per_second": 100000, "burst": 100000},
            "webhooks": [{"url": receiver.url, "events": ["new_issue"]}],
        }]}],
    }
    env = {
        "SEXTANT_STORAGE_BACKEND": "postgres", "SEXTANT_POSTGRES_URL": url, "SEXTANT_BLOBS_BACKEND": "s3",
        "SEXTANT_S3_ENDPOINT": endpoint, "SEXTANT_S3_BUCKET": os.environ["SEXTANT_TEST_S3_BUCKET"],
        "SEXTANT_S3_ACCESS_KEY_ID": os.environ["SEXTANT_TEST_S3_ACCESS_KEY_ID"],
        "SEXTANT_S3_SECRET_ACCESS_KEY": os.environ["SEXTANT_TEST_S3_SECRET_ACCESS_KEY"],
    }
    work = tempfile.mkdtemp(prefix="sextant-three-nodes-")
    nodes = [SextantServer(binary, config, data_dir=f"{work}/node{i}", work=work, env=env) for i in range(3)]
    client = Client(nodes)
    acknowledged = {"events": [], "logs": [], "chunks": []}
    errors_acknowledged = 0
    run = f"{time.time_ns()}"

    def send(index, new_issue):
        nonlocal errors_acknowledged
        if client.post("/v1/events", json={"app": "shop", "key": KEY, "events": [
                {"ts": BASE_TS + index, "type": "error", "name": "TypeError", "session_id": f"s{index % 7}",
                 "props": {"message": "cart is undefined"}}]}):
            errors_acknowledged += 1
        kind = ("events", "logs", "chunks")[index % 3]
        marker = f"{kind}-{run}-{index}"
        if kind == "events":
            ok = client.post("/v1/events", json={"app": "shop", "key": KEY, "events": [
                {"ts": BASE_TS + index, "type": "event", "name": marker, "session_id": f"s{index % 7}"}]})
        elif kind == "logs":
            ok = client.post("/v1/logs", headers={"x-api-key": KEY}, json={"logs": [
                {"timestamp": "2026-06-14T10:00:00.000Z", "level": "info", "message": f"three nodes {marker}"}]})
        else:
            chunk = [{"type": 4, "data": {"href": "https://shop.example.com/", "width": 1280, "height": 720}, "timestamp": BASE_TS + index}]
            ok = client.post("/v1/replay", data=gzip.compress(json.dumps(chunk).encode(), mtime=0),
                             params={"session": marker, "seq": 1, "ts": BASE_TS + index, "app": "shop", "key": KEY})
        if ok:
            acknowledged[kind].append(marker)
        if new_issue is not None:
            assert client.post("/v1/events", json={"app": "shop", "key": KEY, "events": [
                {"ts": BASE_TS, "type": "error", "name": f"Boom{new_issue}", "props": {"message": f"boom {new_issue}"}}]})

    try:
        for index in range(150):
            send(index, index // 15 if index % 15 == 0 else None)  # 10 new issues
        # Halfway: once the first alerts are out, the node delivering them dies without a word.
        assert wait_for(lambda: len(receiver.new_issues()) == 11, timeout=30), receiver.new_issues()
        holder = psql(url, "SELECT holder FROM leases WHERE name = 'alert-delivery'")
        victim = next(node for node in nodes if f":{node.process.pid}:" in holder)
        victim.process.send_signal(signal.SIGKILL)
        victim.process.wait(timeout=10)
        for index in range(150, 300):
            send(index, 10 + (index - 150) // 15 if index % 15 == 0 else None)  # 10 more
        # Another node takes delivery over once the dead holder's lease expires (30 s).
        assert wait_for(lambda: len(receiver.new_issues()) == 21, timeout=90), receiver.new_issues()
        survivor = next(node for node in nodes if node is not victim)

        events = requests.get(survivor.base + "/v1/query/events", params={"app": "shop", "type": "event", "limit": 500}, timeout=30).json()
        stored_events = Counter(e["name"] for e in events["events"])
        assert stored_events == Counter(acknowledged["events"])
        logs = requests.get(survivor.base + "/v1/query/logs", params={"app": "shop", "q": "three nodes", "limit": 1000}, timeout=30).json()
        stored_logs = Counter(l["message"].removeprefix("three nodes ") for l in logs["logs"])
        assert stored_logs == Counter(acknowledged["logs"])
        for session in acknowledged["chunks"]:
            manifest = requests.get(survivor.base + f"/v1/sessions/{session}/replay", timeout=30).json()
            assert [c["seq"] for c in manifest["chunks"]] == [1]
            chunk = requests.get(survivor.base + manifest["chunks"][0]["path"], timeout=30)
            assert chunk.status_code == 200
        assert len(acknowledged["events"]) == 100 and len(acknowledged["logs"]) == 100 and len(acknowledged["chunks"]) == 100

        assert errors_acknowledged == 300
        issues = requests.get(survivor.base + "/api/v1/issues", headers={"Authorization": f"Bearer {TOKEN}"},
                              params={"limit": 100}, timeout=30).json()
        repeated = [issue for issue in issues["issues"] if "TypeError" in issue["title"]]
        assert [issue["count"] for issue in repeated] == [300], repeated
        # Each new issue's webhook arrived exactly once, across the failover.
        assert set(receiver.new_issues().values()) == {1}
    finally:
        for node in nodes:
            if node.process.poll() is None:
                node.stop()
        receiver.server.shutdown()
        psql(admin, f"DROP DATABASE {database} WITH (FORCE)")

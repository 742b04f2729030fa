"""SIGTERM under keep-alive load (issue 9, item 10): the server drains before it shuts down, so
clients behind a load balancer that watches /healthz lose no request, and every acknowledged
event is stored."""
import signal
import sqlite3
import tempfile
import threading
import time

import requests

from conftest import Server

KEY = "sg_live_drain"
CONFIG = {
    "shutdown_drain_seconds": 2,
    "organizations": [{"id": "acme", "projects": [{"slug": "web", "keys": [KEY],
                                                    "rate_limit": {"requests_per_second": 100000, "burst": 100000}}]}],
}


def test_sigterm_drains_instead_of_cutting_requests(binary):
    work = tempfile.mkdtemp(prefix="sextant-drain-")
    server = Server(binary, work + "/data", CONFIG, work)
    routable = threading.Event()
    routable.set()
    acknowledged, cut, lock = [], [], threading.Lock()
    draining_seen = threading.Event()

    def balancer():
        # A load balancer's health check: a failing /healthz takes the node out of rotation.
        while routable.is_set():
            try:
                if requests.get(server.base + "/healthz", timeout=2).status_code != 200:
                    draining_seen.set()
                    routable.clear()
            except requests.RequestException:
                routable.clear()
            time.sleep(0.05)

    def client(index):
        session = requests.Session()
        sequence = 0
        while routable.is_set():
            sequence += 1
            marker = f"c{index}-{sequence}"
            body = {"app": "web", "key": KEY, "events": [{"ts": 0, "type": "event", "name": marker}]}
            try:
                response = session.post(server.base + "/v1/events", json=body, timeout=10)
            except requests.RequestException as error:
                with lock:
                    cut.append(f"{marker}: {error}")
                continue
            if response.status_code == 204:
                with lock:
                    acknowledged.append(marker)

    threads = [threading.Thread(target=balancer)] + [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    server.process.send_signal(signal.SIGTERM)
    server.process.wait(timeout=30)
    routable.clear()
    for thread in threads:
        thread.join(timeout=15)
    server.log.close()

    assert draining_seen.is_set(), "healthz never said the node was draining"
    assert len(acknowledged) > 50, "the load should be sustained"
    assert not cut, f"{len(cut)} requests cut by the shutdown, first: {cut[:3]}"
    stored = {row[0] for row in sqlite3.connect(work + "/data/sextant.sqlite").execute("SELECT name FROM events")}
    missing = [marker for marker in acknowledged if marker not in stored]
    assert not missing, f"{len(missing)} acknowledged events are not stored: {missing[:5]}"

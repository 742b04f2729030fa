"""The free-disk guardrail on a real, small filesystem (a tmpfs this test mounts): below the
floor ingest answers 507 with Retry-After, /healthz says so, reads go on, and ingest resumes by
itself when space returns, with every acknowledged event stored."""
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time

import pytest
import requests

from conftest import Server
from sextant_process import wait_for

MiB = 1 << 20
KEY = "sg_live_diskguard"
CONFIG = {
    "organizations": [{"id": "acme", "projects": [{"slug": "web", "keys": [KEY],
                                                    "rate_limit": {"requests_per_second": 100000, "burst": 100000}}]}],
    "storage": {"min_free_bytes": 12 * MiB, "min_free_percent": 50, "max_wal_bytes": 4 * MiB, "reserve_bytes": 4 * MiB},
}


@pytest.fixture()
def small_filesystem():
    mount_point = tempfile.mkdtemp(prefix="sextant-tmpfs-")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount_point], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"could not mount a tmpfs (this test needs root): {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", mount_point], check=False)
        shutil.rmtree(mount_point, ignore_errors=True)


def free_bytes(path):
    stats = os.statvfs(path)
    return stats.f_bavail * stats.f_frsize


def fill_to(path, name, leave_free):
    """Writes a filler file so that about `leave_free` bytes stay free on `path`'s filesystem."""
    size = max(0, free_bytes(path) - leave_free)
    with open(os.path.join(path, name), "wb") as filler:
        while size > 0:
            chunk = min(size, MiB)
            filler.write(b"\0" * chunk)
            size -= chunk


def send(server, batch_index, count=200):
    events = [{"ts": 1_700_000_000_000 + batch_index * count + i, "type": "event", "name": "view", "user_id": f"u{i % 20}",
               "props": {"pad": "x" * 200, "i": i}} for i in range(count)]
    return requests.post(server.base + "/v1/events", json={"app": "web", "key": KEY, "events": events}, timeout=30)


def test_low_disk_refuses_ingest_keeps_reads_and_recovers(binary, small_filesystem):
    data = os.path.join(small_filesystem, "data")
    logs = tempfile.mkdtemp(prefix="sextant-diskguard-logs-")
    server = Server(binary, data, CONFIG, logs)
    acknowledged = 0
    try:
        assert requests.get(server.base + "/healthz", timeout=5).json()["status"] == "ok"
        # Leave a little room above the 12 MiB floor, then ingest until the guard refuses.
        fill_to(small_filesystem, "filler", 15 * MiB)
        refused = None
        for index in range(2000):
            response = send(server, index)
            if response.status_code == 204:
                acknowledged += 200
                continue
            refused = response
            break
        assert refused is not None, "ingest was never refused although the disk filled up"
        assert refused.status_code == 507, (refused.status_code, refused.text)
        assert int(refused.headers["Retry-After"]) >= 1
        health = requests.get(server.base + "/healthz", timeout=5)
        assert health.status_code == 200 and health.json()["status"] == "degraded", health.text
        assert health.json()["disk"]["ingest"].startswith("refused")
        # Reads go on while ingest is refused.
        reads = requests.get(server.base + "/v1/query/events", params={"limit": 5}, timeout=10)
        assert reads.status_code == 200 and reads.json()["events"], reads.text
        # Space returns: ingest resumes by itself.
        os.remove(os.path.join(small_filesystem, "filler"))
        assert wait_for(lambda: requests.get(server.base + "/healthz", timeout=5).json()["status"] == "ok", timeout=30), \
            "healthz did not recover after space returned"
        resumed = send(server, 10_000)
        assert resumed.status_code == 204, resumed.text
        acknowledged += 200
    finally:
        server.stop()
    stored = sqlite3.connect(os.path.join(data, "sextant.sqlite")).execute("SELECT count(*) FROM events").fetchone()[0]
    assert stored == acknowledged, f"{acknowledged} events acknowledged, {stored} stored"
    shutil.rmtree(logs, ignore_errors=True)


def test_a_server_started_on_a_full_disk_serves_reads_and_refuses_ingest(binary, small_filesystem):
    data = os.path.join(small_filesystem, "data")
    logs = tempfile.mkdtemp(prefix="sextant-diskguard-logs-")
    server = Server(binary, data, CONFIG, logs)
    assert send(server, 0).status_code == 204
    assert os.path.exists(os.path.join(data, "sextant.reserve")), "the first start lays down the disk reserve"
    server.stop()
    fill_to(small_filesystem, "filler", 0)
    server = Server(binary, data, CONFIG, logs)
    try:
        refused = send(server, 1)
        assert refused.status_code == 507 and refused.headers.get("Retry-After"), (refused.status_code, refused.text)
        assert requests.get(server.base + "/healthz", timeout=5).json()["status"] == "degraded"
        reads = requests.get(server.base + "/v1/query/events", params={"limit": 500}, timeout=10)
        assert reads.status_code == 200 and len(reads.json()["events"]) == 200, reads.text
    finally:
        server.stop()
    shutil.rmtree(logs, ignore_errors=True)

"""Load from a hostile client, with the server's RSS (issue 9, items 4-6).

    python3 Benchmarks/abuse.py [path/to/sextant]     (default .build/release/sextant)

Starts a server on a fresh data directory and, at once: 200 slow-loris connections trickling
header bytes, 200 connections each posting a 1.8 MB body with an invalid key, and 1,000
requests carrying distinct 1.9 MB keys. Samples the server's RSS every 0.2 s and checks that
/healthz keeps answering. Prints the peak RSS, the RSS after the load, the answers by status,
and the bound it must stay under (RSS_BOUND_MIB, default 256); exits 1 past it.
"""
import collections
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

import requests

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/release/sextant"
bound_mib = float(os.environ.get("RSS_BOUND_MIB", "256"))
work = tempfile.mkdtemp(prefix="sextant-abuse-")
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
base = f"http://127.0.0.1:{port}"
config = os.path.join(work, "sextant.yaml")
with open(config, "w") as f:
    json.dump({"organizations": [{"id": "acme", "projects": [{"slug": "web", "keys": ["sg_live_abuse"]}]}]}, f)
server = subprocess.Popen([binary, "serve", "--config", config, "--data-dir", work + "/data", "--listen", f"127.0.0.1:{port}"],
                          stdout=open(os.path.join(work, "server.log"), "w"), stderr=subprocess.STDOUT)
for _ in range(300):
    try:
        if requests.get(base + "/healthz", timeout=1).status_code == 200:
            break
    except requests.RequestException:
        time.sleep(0.1)


def rss_mib():
    with open(f"/proc/{server.pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


statuses = collections.Counter()
lock = threading.Lock()
stop = threading.Event()


def count(label):
    with lock:
        statuses[label] += 1


def slow_loris():
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"POST /v1/events HTTP/1.1\r\nHost: x\r\n")
        while not stop.is_set():
            sock.sendall(b"X")
            time.sleep(0.5)
    except OSError:
        count("slow connection closed by the server")


def large_body(index):
    body = json.dumps({"app": "web", "key": f"sg_live_wrong_{index}", "events": [
        {"ts": 0, "type": "event", "name": "x", "props": {"pad": "x" * 1_800_000}}]})
    try:
        count(requests.post(base + "/v1/events", data=body, headers={"Content-Type": "application/json"}, timeout=60).status_code)
    except requests.RequestException as error:
        count(type(error).__name__)


def bad_key(index):
    key = f"k{index:04d}" + "x" * 1_900_000
    body = json.dumps({"app": "web", "key": key, "events": []})
    try:
        count(requests.post(base + "/v1/events", data=body, headers={"Content-Type": "application/json"}, timeout=60).status_code)
    except requests.RequestException as error:
        count(type(error).__name__)


peak = 0.0
health_failures = 0


def sample():
    global peak, health_failures
    while not stop.is_set():
        peak = max(peak, rss_mib())
        time.sleep(0.2)


def health():
    global health_failures
    while not stop.is_set():
        try:
            if requests.get(base + "/healthz", timeout=5).status_code != 200:
                health_failures += 1
        except requests.RequestException:
            health_failures += 1
        time.sleep(1)


started_rss = rss_mib()
threads = [threading.Thread(target=sample), threading.Thread(target=health)]
threads += [threading.Thread(target=slow_loris) for _ in range(200)]
threads += [threading.Thread(target=large_body, args=(i,)) for i in range(200)]
for thread in threads:
    thread.start()
with __import__("concurrent.futures").futures.ThreadPoolExecutor(32) as pool:
    list(pool.map(bad_key, range(1000)))
for thread in threads[2 + 200:]:
    thread.join()
time.sleep(3)
stop.set()
for thread in threads[:2 + 200]:
    thread.join(timeout=10)
after = rss_mib()
alive = server.poll() is None
server.terminate()
server.wait(timeout=30)
print(f"RSS at start {started_rss:7.1f} MiB, peak {peak:7.1f} MiB, after the load {after:7.1f} MiB (bound {bound_mib:.0f} MiB)")
print(f"answers: {dict(sorted(statuses.items(), key=str))}")
print(f"healthz failures during the load: {health_failures}; server alive at the end: {alive}")
sys.exit(0 if alive and peak < bound_mib and health_failures == 0 else 1)

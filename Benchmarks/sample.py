"""Samples a running sextant server for the benchmark's long mode.

    python3 Benchmarks/sample.py PID DATA_DIR TABLE UNIT [EVERY_SECONDS]

Every second it reads the server's RSS, the SQLite WAL's size and the data directory's bytes,
and the committed rows of TABLE; every EVERY_SECONDS (default 30) and when it is stopped
(SIGTERM or the server's exit) it prints one line: elapsed time, rows and rows/s since start,
the WAL now and its largest size, data-directory bytes per row (database, WAL, indexes and
blobs), and RSS now and its peak.
"""
import os
import signal
import sqlite3
import sys
import time

pid, data_dir, table, unit = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
every = float(sys.argv[5]) if len(sys.argv) > 5 else 30.0
database = os.path.join(data_dir, "sextant.sqlite")
start = time.time()
largest_wal = 0
peak_rss = 0
stopping = False


def rss_bytes():
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def directory_bytes():
    total = 0
    for root, _, files in os.walk(data_dir):
        for name in files:
            try:
                total += os.stat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                pass
    return total


def rows():
    # max(rowid) is a b-tree seek, not a scan: cheap enough to ask every second at 10 M rows.
    # Tables without a rowid (replay_chunks) are small enough to count.
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as connection:
            try:
                return connection.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
            except sqlite3.OperationalError:
                return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.Error:
        return 0


def wal_bytes():
    try:
        return os.stat(database + "-wal").st_size
    except OSError:
        return 0


def report(label):
    count = rows()
    elapsed = time.time() - start
    used = directory_bytes()
    per_row = used / count if count else 0
    print(f"  [{label} {elapsed:6.0f} s] {count:>12,} {unit}  {count / elapsed if elapsed else 0:>10,.0f} {unit}/s  "
          f"WAL {wal_bytes() / 1048576:7.1f} MiB (largest {largest_wal / 1048576:7.1f})  "
          f"disk {used / 1048576:8.1f} MiB = {per_row:7.1f} B/{unit.rstrip('s')}  "
          f"RSS {rss_bytes() / 1048576:6.1f} MiB (peak {peak_rss / 1048576:6.1f})", flush=True)


def stop(*_):
    global stopping
    stopping = True


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
next_report = start + every
while not stopping:
    if not os.path.exists(f"/proc/{pid}"):
        break
    largest_wal = max(largest_wal, wal_bytes())
    peak_rss = max(peak_rss, rss_bytes())
    if time.time() >= next_report:
        report("at")
        next_report += every
    time.sleep(1)
report("end")

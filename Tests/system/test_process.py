"""Process-level behaviour (issue 9, items 3 and 16): the listening socket is close-on-exec, so a
crash's backtracer cannot hold the port; and a busy port fails at once
with one clear line, before any first-run credentials are printed."""
import os
import subprocess
import tempfile

from conftest import Server

O_CLOEXEC = 0o2000000
CONFIG = {"organizations": [{"id": "acme", "projects": [{"slug": "web", "keys": ["sg_live_process"]}]}]}


def listening_inodes():
    """Socket inodes in LISTEN state (0A), from the kernel's tables."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            for line in open(table).readlines()[1:]:
                fields = line.split()
                if fields[3] == "0A":
                    inodes.add(fields[9])
        except OSError:
            pass
    return inodes


def test_the_listening_socket_is_close_on_exec(binary):
    """What held the port after a crash was the listener inherited by the backtracer; accepted
    connections (which NIO opens without the flag) cannot keep a restart from binding."""
    work = tempfile.mkdtemp(prefix="sextant-process-")
    server = Server(binary, work + "/data", CONFIG, work)
    try:
        pid = server.process.pid
        listening = listening_inodes()
        listeners = []
        for name in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{name}")
                flags = next(int(line.split()[1], 8) for line in open(f"/proc/{pid}/fdinfo/{name}") if line.startswith("flags:"))
            except (OSError, StopIteration):
                continue  # closed meanwhile
            if target.startswith("socket:[") and target[8:-1] in listening:
                listeners.append((name, flags))
        assert listeners, "the server's listening socket was not found"
        assert all(flags & O_CLOEXEC for _, flags in listeners), f"listeners a spawned backtracer would inherit: {listeners}"
    finally:
        server.stop()


def test_a_busy_port_fails_before_anything_is_printed(binary):
    work = tempfile.mkdtemp(prefix="sextant-process-")
    first = Server(binary, work + "/one", CONFIG, work)
    try:
        # A fresh data directory: a first start would create and print credentials.
        done = subprocess.run([binary, "serve", "--data-dir", work + "/two", "--listen", f"127.0.0.1:{first.port}"],
                              capture_output=True, text=True, timeout=60)
        output = done.stdout + done.stderr
        assert done.returncode != 0
        assert "already in use" in output, output
        assert "ingest key" not in output and "API token" not in output, output
        assert not os.path.exists(work + "/two/sextant.sqlite"), "nothing may be written before the port is known to be free"
    finally:
        first.stop()

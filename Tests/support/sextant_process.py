"""One `sextant serve` process for the black-box suites (Tests/system, Tests/sdk): started on a
free port with a configuration written as YAML-compatible JSON, stopped with SIGTERM."""
import json
import os
import pathlib
import socket
import subprocess
import tempfile
import time

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, timeout=20, interval=0.25):
    """Polls until predicate() is truthy or the deadline passes; returns its last value."""
    deadline = time.time() + timeout
    value = None
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return value


def binary_path():
    return os.environ.get("SEXTANT_BIN", str(ROOT / ".build" / "debug" / "sextant"))


@pytest.fixture(scope="session")
def binary():
    """The executable under test; the run stops at once when it has not been built."""
    path = binary_path()
    if not os.access(path, os.X_OK):
        pytest.exit(f"no sextant executable at {path}: build it first (swift build)", returncode=2)
    return path


class SextantServer:
    def __init__(self, binary, config, data_dir=None, work=None, password=None, env=None):
        self.work = work or tempfile.mkdtemp(prefix="sextant-test-")
        self.data_dir = data_dir or os.path.join(self.work, "data")
        self.password = password
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        config_path = pathlib.Path(self.work) / f"sextant-{self.port}.yaml"
        config_path.write_text(json.dumps(config))
        self.log_path = pathlib.Path(self.work) / f"server-{self.port}.log"
        self.log = open(self.log_path, "w")
        env = dict(os.environ, **({"SEXTANT_DASHBOARD_PASSWORD": password} if password else {}), **(env or {}))
        self.process = subprocess.Popen(
            [binary, "serve", "--config", str(config_path), "--data-dir", str(self.data_dir), "--listen", f"127.0.0.1:{self.port}"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("sextant exited: " + self.log_path.read_text())
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("sextant did not start: " + self.log_path.read_text())

    def get(self, path, **params):
        auth = ("admin", self.password) if self.password else None
        response = requests.get(self.base + path, params=params, auth=auth, timeout=10)
        response.raise_for_status()
        return response.json()

    def wait_for(self, predicate, timeout=20):
        return wait_for(predicate, timeout)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()

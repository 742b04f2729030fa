"""System tests: the built `sextant` binary (SEXTANT_BIN, default .build/debug/sextant) under
conditions a unit test cannot make, such as a filesystem that runs out of space."""
import json
import os
import pathlib
import socket
import subprocess
import time

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One `sextant serve` on `data_dir` with `config` (a dict written as YAML-compatible JSON)."""

    def __init__(self, binary, data_dir, config, log_dir):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        config_path = pathlib.Path(log_dir) / "sextant.yaml"
        config_path.write_text(json.dumps(config))
        self.log_path = pathlib.Path(log_dir) / f"server-{self.port}.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [binary, "serve", "--config", str(config_path), "--data-dir", str(data_dir), "--listen", f"127.0.0.1:{self.port}"],
            stdout=self.log, stderr=subprocess.STDOUT)
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

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


@pytest.fixture(scope="session")
def binary():
    path = os.environ.get("SEXTANT_BIN", str(ROOT / ".build" / "debug" / "sextant"))
    if not os.access(path, os.X_OK):
        pytest.exit(f"no sextant executable at {path}: build it first (swift build)", returncode=2)
    return path

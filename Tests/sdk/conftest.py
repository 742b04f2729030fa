"""Published SDKs, installed unmodified from PyPI into a venv, drive the built binary
(SEXTANT_BIN, default .build/debug/sextant); the tests assert what was stored through
Sextant's own read APIs. Each SDK runs in a subprocess of its venv, so the suite itself needs
only pytest and requests."""
import json
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import textwrap
import time

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
PASSWORD = "sdk-pw"
VENV_ROOT = pathlib.Path(os.environ.get("SEXTANT_SDK_VENVS", ROOT / ".build" / "sdk-venvs"))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def venv_python(name, packages):
    """A venv with exactly `packages` (pinned), made once and kept under .build."""
    directory = VENV_ROOT / name
    python = directory / "bin" / "python"
    marker = directory / "installed.txt"
    wanted = "\n".join(packages)
    if not (python.exists() and marker.exists() and marker.read_text() == wanted):
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(directory)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *packages], check=True, timeout=600)
        marker.write_text(wanted)
    return str(python)


class Server:
    def __init__(self, binary, config):
        self.work = tempfile.mkdtemp(prefix="sextant-sdk-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        path = pathlib.Path(self.work) / "sextant.yaml"
        path.write_text(json.dumps(config))
        self.log_path = pathlib.Path(self.work) / "server.log"
        self.log = open(self.log_path, "w")
        env = dict(os.environ, SEXTANT_DASHBOARD_PASSWORD=PASSWORD)
        self.process = subprocess.Popen(
            [binary, "serve", "--config", str(path), "--data-dir", self.work + "/data", "--listen", f"127.0.0.1:{self.port}"],
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
        response = requests.get(self.base + path, params=params, auth=("admin", PASSWORD), timeout=10)
        response.raise_for_status()
        return response.json()

    def wait_for(self, predicate, timeout=20):
        deadline = time.time() + timeout
        value = None
        while time.time() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.25)
        return value

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def run_script(python, source, env=None, timeout=120):
    """Runs `source` with the venv's interpreter; fails the test with its output if it fails."""
    done = subprocess.run([python, "-c", textwrap.dedent(source)], capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, **(env or {})))
    assert done.returncode == 0, f"SDK script failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="session")
def binary():
    path = os.environ.get("SEXTANT_BIN", str(ROOT / ".build" / "debug" / "sextant"))
    if not os.access(path, os.X_OK):
        pytest.exit(f"no sextant executable at {path}: build it first (swift build)", returncode=2)
    return path

"""Browser tests: the dashboard, the replay player and the SDK in Debian's Chromium via Playwright.

The server is the built `sextant` (SEXTANT_BIN, default .build/debug/sextant), started with
`serve --demo` on a fresh data directory. Screenshots go to SEXTANT_ARTIFACTS (default
.build/browser-artifacts), never into the repository.
"""
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED_FIXTURES = ROOT.parent / "shared" / "fixtures" / "rrweb"
PASSWORD = "browser-pw"
DEMO_KEY = "sx_pk_demo_shop_0000000000000000"
ARTIFACTS = pathlib.Path(os.environ.get("SEXTANT_ARTIFACTS", ROOT / ".build" / "browser-artifacts"))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, binary):
        self.data = tempfile.mkdtemp(prefix="sextant-browser-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, SEXTANT_DASHBOARD_PASSWORD=PASSWORD)
        self.log = open(os.path.join(self.data, "server.log"), "w")
        self.process = subprocess.Popen(
            [binary, "serve", "--demo", "--data-dir", self.data, "--listen", f"127.0.0.1:{self.port}"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("sextant did not start: " + open(os.path.join(self.data, "server.log")).read())

    def get(self, path, **params):
        response = requests.get(self.base + path, params=params, auth=("admin", PASSWORD), timeout=10)
        response.raise_for_status()
        return response.json()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)
        self.log.close()
        shutil.rmtree(self.data, ignore_errors=True)


@pytest.fixture(scope="session")
def server():
    binary = os.environ.get("SEXTANT_BIN", str(ROOT / ".build" / "debug" / "sextant"))
    if not os.access(binary, os.X_OK):
        pytest.exit(f"no sextant executable at {binary}: build it first (swift build)", returncode=2)
    instance = Server(binary)
    yield instance
    instance.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    executable = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield instance
        instance.close()


@pytest.fixture()
def page(browser, server, request):
    """A logged-in dashboard page that records console errors and uncaught exceptions."""
    context = browser.new_context(http_credentials={"username": "admin", "password": PASSWORD}, viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    tab.problems = []
    tab.on("console", lambda message: tab.problems.append(f"console.{message.type}: {message.text}") if message.type == "error" else None)
    tab.on("pageerror", lambda error: tab.problems.append(f"uncaught: {error}"))
    yield tab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
    try:
        tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    except Exception:
        pass
    context.close()

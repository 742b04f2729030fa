"""schemathesis (PyPI) against Sextant's own /openapi.json with every auth scheme (issue 9):
generated requests for every operation and parameter, then the background analyzers run over
what they stored (timers lowered through the environment); no response may be a 5xx and the
process must still be alive."""
import os
import subprocess
import time

import pytest

from conftest import PASSWORD, Server, venv_python

KEY = "sg_live_schemathesis"
TOKEN = "luc_api_schemathesis_token"
CONFIG = {
    "organizations": [{"id": "acme", "tokens": [{"token": TOKEN, "scopes": ["read:lucent", "write:issues"]}],
                       "projects": [{"slug": "web", "keys": [KEY], "rate_limit": {"requests_per_second": 100000, "burst": 100000},
                                     "monitors": [{"slug": "nightly", "schedule": "0 3 * * *", "grace_seconds": 1}]}]}],
}
TIMERS = {"SEXTANT_REPLAY_QUIET_SECONDS": "0", "SEXTANT_REPLAY_ANALYSIS_INTERVAL_SECONDS": "0.2",
          "SEXTANT_INSIGHT_INTERVAL_SECONDS": "0.5", "SEXTANT_MONITOR_INTERVAL_SECONDS": "0.2", "SEXTANT_ALERT_INTERVAL_SECONDS": "0.2"}


@pytest.fixture(scope="module")
def schemathesis():
    python = venv_python("schemathesis", ["schemathesis==4.32.5"])
    return os.path.join(os.path.dirname(python), "schemathesis")


def test_no_generated_request_gets_a_server_error(schemathesis, binary):
    os.environ.update(TIMERS)
    try:
        server = Server(binary, CONFIG)
    finally:
        for name in TIMERS:
            os.environ.pop(name, None)
    basic = "Basic " + __import__("base64").b64encode(f"admin:{PASSWORD}".encode()).decode()
    runs = [
        # Dashboard reads and every ingest route (X-API-Key is each protocol's key header or an alias of it).
        ["-H", f"Authorization: {basic}", "-H", f"X-API-Key: {KEY}", "--exclude-path-regex", "^/(api/v1/|mcp)"],
        # The Lucent Data API with a bearer token.
        ["-H", f"Authorization: Bearer {TOKEN}", "--include-path-regex", "^/(api/v1/|mcp)"],
        # No credentials at all: every protected route must refuse cleanly.
        [],
    ]
    try:
        for extra in runs:
            done = subprocess.run(
                [schemathesis, "run", server.base + "/openapi.json", "--checks", "not_a_server_error", "--max-examples", "15",
                 "--generation-deterministic", "--request-timeout", "20", *extra],
                capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, f"schemathesis {' '.join(extra)} found server errors:\n{done.stdout[-6000:]}"
            assert "generated" in done.stdout and "passed" in done.stdout, done.stdout[-2000:]
        time.sleep(3)  # the analyzers pass over everything that was stored
        assert server.process.poll() is None, "the server died: " + server.log_path.read_text()[-3000:]
    finally:
        server.stop()

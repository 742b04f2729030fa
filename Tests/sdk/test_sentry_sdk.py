"""sentry-sdk 2.75 from PyPI, pointed at Sextant by its DSN only (issue 12).

A chained exception raised a few frames deep, a message, breadcrumbs, tags and the user; a
transaction with child spans; cron check-ins through `sentry_sdk.crons.monitor` (a monitor created
from `monitor_config`, a success and a failure); Sentry logs; release-health sessions. Every one
is asserted through Sextant's read APIs."""
import os

import pytest

from conftest import Server, run_script, venv_python

KEY = "sentrykey0123456789abcdef"
CONFIG = {"organizations": [{"id": "acme", "projects": [{"slug": "web", "keys": [KEY]}]}]}


@pytest.fixture(scope="module")
def python():
    return venv_python("sentry", ["sentry-sdk==2.75.0"])


@pytest.fixture()
def server(binary):
    instance = Server(binary, CONFIG)
    yield instance
    instance.stop()


def test_errors_transactions_crons_logs_and_sessions_are_stored(python, server):
    port = server.base.rsplit(":", 1)[1]
    # The first project of a fresh server is number 1: the DSN's project id.
    dsn = f"http://{KEY}@127.0.0.1:{port}/1"
    run_script(python, f"""
        import time
        import sentry_sdk
        from sentry_sdk.crons import monitor

        sentry_sdk.init(dsn="{dsn}", release="shop@2.0.0", environment="staging", traces_sample_rate=1.0,
                        enable_logs=True, send_default_pii=True)
        sentry_sdk.set_user({{"id": "user-7", "email": "ada@example.com"}})
        sentry_sdk.start_session(session_mode="application")
        sentry_sdk.set_tag("region", "eu")
        sentry_sdk.add_breadcrumb(category="ui", message="clicked pay")

        def parse_sku():
            raise KeyError("sku")
        def charge():
            try:
                parse_sku()
            except KeyError as error:
                raise ValueError("card declined") from error
        def checkout():
            charge()
        try:
            checkout()
        except ValueError:
            sentry_sdk.capture_exception()
        sentry_sdk.capture_message("inventory sync is slow", level="warning")

        with sentry_sdk.start_transaction(op="http.server", name="POST /checkout"):
            with sentry_sdk.start_span(op="db", description="SELECT * FROM orders"):
                time.sleep(0.01)
            with sentry_sdk.start_span(op="http.client", description="POST https://payments.example.com/charge"):
                time.sleep(0.01)

        @monitor(monitor_slug="nightly-sync", monitor_config={{"schedule": {{"type": "crontab", "value": "0 2 * * *"}}, "checkin_margin": 10}})
        def nightly_sync():
            time.sleep(0.01)
        nightly_sync()
        @monitor(monitor_slug="nightly-sync")
        def failing_sync():
            raise RuntimeError("upstream down")
        try:
            failing_sync()
        except RuntimeError:
            pass

        sentry_sdk.logger.info("order {{order_id}} placed", order_id="5001")
        sentry_sdk.logger.error("payment gateway timeout")
        sentry_sdk.end_session()
        sentry_sdk.flush(timeout=10)
    """)

    issues = server.wait_for(lambda: (lambda found: found if len(found) >= 2 else None)(
        [issue for issue in server.get("/v1/issues", status="", kind="error")["issues"]
         if issue["title"].startswith(("ValueError", "Message"))]))
    by_title = {issue["title"]: issue for issue in issues}
    error = by_title["ValueError: card declined"]
    assert "charge" in error["culprit"], error
    assert by_title["Message: inventory sync is slow"]["level"] == "warn"
    event = server.get("/v1/query/events", type="error", name="ValueError")["events"][0]
    props = event["props"]
    assert event["user_id"] == "user-7" and props["release"] == "shop@2.0.0" and props["environment"] == "staging"
    assert [link["type"] for link in props["chain"]] == ["KeyError", "ValueError"], props["chain"]
    assert any("parse_sku" in line for line in props["stack"]) is False  # the primary exception's own frames
    assert any("charge" in line for line in props["stack"]), props["stack"]
    assert props["tags"]["region"] == "eu" and any(crumb.get("message") == "clicked pay" for crumb in props["breadcrumbs"])

    traces = server.wait_for(lambda: [trace for trace in server.get("/v1/query/traces")["traces"] if trace["name"] == "POST /checkout"])
    trace = server.get(f"/v1/traces/{traces[0]['trace_id']}")
    assert traces[0]["span_count"] == 3, traces
    children = [span for span in trace["spans"] if span["depth"] == 1]
    assert {span["operation"] for span in children} == {"db", "http.client"}, trace["spans"]
    assert all(span["duration_ms"] is not None for span in trace["spans"])

    monitors = {monitor["slug"]: monitor for monitor in server.get("/v1/monitors")["monitors"]}
    assert monitors["nightly-sync"]["schedule"] == "0 2 * * *" and monitors["nightly-sync"]["grace_seconds"] == 600, monitors
    assert monitors["nightly-sync"]["last_status"] == "failed", monitors["nightly-sync"]

    logs = server.wait_for(lambda: (lambda found: found if len(found) >= 2 else None)(
        [log for log in server.get("/v1/query/logs")["logs"] if log["source"] == "sentry"]))
    messages = {log["message"]: log for log in logs}
    assert messages["order 5001 placed"]["level"] == "info" and messages["payment gateway timeout"]["level"] == "error", messages
    assert messages["order 5001 placed"]["environment"] == "staging"

    # The session the script ran, with the exception it captured, is counted against its release.
    # The SDK sends the session's start with the error and its end at end_session(): wait for the end.
    def ended():
        release = {r["version"]: r for r in server.get("/v1/releases")["releases"]}.get("shop@2.0.0")
        return release if release and release["sessions"]["total"] and not release["sessions"]["open"] else None
    release = server.wait_for(ended)
    assert release["environment"] == "staging" and release["sessions"]["total"] == 1, release
    assert release["sessions"]["errored"] == 1 and release["crash_free_rate"] == 1, release

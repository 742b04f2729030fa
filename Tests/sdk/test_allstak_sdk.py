"""allstak 0.2.1 from PyPI (a SeeStack SDK), pointed at Sextant by its host only (issue 9).

What the SDK sends that Sextant stores is asserted through the read APIs: errors (with user,
breadcrumbs, request context and stack), logs, HTTP telemetry, cron heartbeats (success and a
failed job), a server-side replay session, the release it registers at start-up, its
release-health session (errored by the captured exception), and database queries, recorded by
hand and by its sqlite3 instrumentation. Its flag module, given a Data API token, learns that
Sextant defines no flags and answers the caller's defaults. Spans are accepted; Sextant has no
read API for traces yet (issue 12)."""
import os

import pytest

from conftest import Server, run_script, venv_python

KEY = "seestack_live_allstak_sdk"
TOKEN = "luc_api_allstak_flags"
CONFIG = {"organizations": [{"id": "acme", "tokens": [{"token": TOKEN, "scopes": ["read:lucent"]}],
                             "projects": [{"slug": "web", "keys": [KEY], "monitors": [
    {"slug": "nightly-report", "schedule": "0 3 * * *", "grace_seconds": 600},
    {"slug": "hourly-sync", "schedule": "1h", "grace_seconds": 300}]}]}]}


@pytest.fixture(scope="module")
def python():
    return venv_python("allstak", ["allstak==0.2.1"])


@pytest.fixture()
def server(binary):
    instance = Server(binary, CONFIG)
    yield instance
    instance.stop()


def test_errors_logs_http_cron_and_replay_are_stored(python, server, tmp_path):
    # Run as an application would, not as the SDK's own test suite (which it detects by this).
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_CURRENT_TEST"}
    env["ALLSTAK_OFFLINE_DIR"] = str(tmp_path)
    env.update(ALLSTAK_COMMIT_SHA="0a1b2c3", ALLSTAK_BRANCH="main")  # how a deploy tells the SDK its commit
    os.environ.pop("PYTEST_CURRENT_TEST", None)
    run_script(python, f"""
        import time
        import allstak
        allstak.init(api_key="{KEY}", host="{server.base}", environment="staging", release="shop@1.4.2",
                     flush_interval_ms=200, offline_storage=False, install_excepthook=False,
                     install_threading_excepthook=False, capture_fastapi=False)
        allstak.set_user(user_id="user-42", email="ada@example.com")
        allstak.add_breadcrumb("navigation", "opened /checkout", data={{"from": "/cart"}})

        def charge():
            raise ValueError("card declined by gateway")
        def checkout():
            charge()
        try:
            checkout()
        except ValueError as error:
            allstak.capture_exception(error, metadata={{"order": "5001"}})

        allstak.log.log("warn", "inventory low for BP-7", service="orders", trace_id="trace-allstak-1",
                        metadata={{"sku": "BP-7"}})
        allstak.log.log("info", "order 5001 placed", service="orders", request_id="req-5001", user_id="user-42")
        allstak.http.record(direction="inbound", method="GET", host="api.shop.example.com", path="/api/orders/5001",
                            status_code=200, duration_ms=35, request_size=120, response_size=2048)
        allstak.http.record(direction="outbound", method="POST", host="payments.example.com", path="/charge",
                            status_code=502, duration_ms=900)
        with allstak.tracing.start_span("checkout", description="POST /checkout") as span:
            span.set_tag("cart", "3 items")
        with allstak.cron.job("nightly-report"):
            time.sleep(0.05)
        try:
            with allstak.cron.job("hourly-sync"):
                raise RuntimeError("upstream unavailable")
        except RuntimeError:
            pass
        session = allstak.replay.start_session(session_id="allstak-session-1")
        session.record("navigation", {{"to": "/checkout"}}, url="/checkout")
        session.record("click", {{"target": "button#pay"}}, url="/checkout")
        session.end()  # the replay module flushes on its own: allstak.flush() leaves it buffered

        allstak.database.record(normalized_query="SELECT * FROM orders WHERE id = ?", duration_ms=12.5,
                                database_name="shop", database_type="postgresql", rows_affected=1)
        allstak.database.record(normalized_query="SELECT * FROM orders WHERE id = ?", duration_ms=40,
                                status="error", error_message="canceling statement due to statement timeout",
                                database_name="shop", database_type="postgresql")
        import sqlite3
        from allstak.modules.database import instrument_sqlite3
        instrument_sqlite3(allstak.get_client().database)
        connection = sqlite3.connect(":memory:")
        connection.execute("CREATE TABLE carts (id INTEGER, total REAL)")
        connection.execute("INSERT INTO carts VALUES (1, 19.5)")
        connection.execute("SELECT total FROM carts WHERE id = 1").fetchall()

        from allstak.modules.flags import FeatureFlagModule
        flags = FeatureFlagModule(allstak.get_client()._config, bearer_token="{TOKEN}", project_id="web")
        assert flags.get_all(user_id="user-42") == {{}}
        flag = flags.get("new-checkout", user_id="user-42", default="on")
        assert flag.as_str() == "on" and not flag.enabled, flag

        allstak.flush()
        allstak.shutdown()
    """, env=env)

    issues = server.wait_for(lambda: [issue for issue in server.get("/v1/issues", status="", kind="error")["issues"]
                                      if issue["title"].startswith("ValueError")])
    assert issues, server.get("/v1/issues", status="")
    issue = issues[0]
    assert "card declined by gateway" in issue["title"] + issue["description"]
    assert "charge" in issue["culprit"], issue
    event = server.get("/v1/query/events", type="error", name="ValueError")["events"][0]
    assert event["user_id"] == "user-42"
    props = event["props"]
    assert props["release"] == "shop@1.4.2" and props["environment"] == "staging"
    assert any("charge" in line for line in props["stack"])
    assert any(crumb.get("message") == "opened /checkout" for crumb in props.get("breadcrumbs") or []), props

    logs = server.wait_for(lambda: (lambda found: found if len(found) >= 2 else None)(
        [log for log in server.get("/v1/query/logs", limit=100)["logs"] if log["service"] == "orders"]))
    by_message = {log["message"]: log for log in logs}
    assert by_message["inventory low for BP-7"]["level"] == "warn" and by_message["inventory low for BP-7"]["trace_id"] == "trace-allstak-1"
    assert by_message["order 5001 placed"]["request_id"] == "req-5001" and by_message["order 5001 placed"]["user_id"] == "user-42"

    requests_seen = server.wait_for(lambda: server.get("/v1/query/requests")["endpoints"])
    routes = {(endpoint["method"], endpoint["path"]) for endpoint in requests_seen}
    assert ("GET", "/api/orders/:id") in routes and ("POST", "/charge") in routes, requests_seen

    monitors = {monitor["slug"]: monitor for monitor in server.get("/v1/monitors")["monitors"]}
    assert monitors["nightly-report"]["last_status"] == "success", monitors["nightly-report"]
    assert monitors["hourly-sync"]["last_status"] == "failed", monitors["hourly-sync"]

    manifest = server.wait_for(lambda: server.get("/v1/sessions/allstak-session-1/replay")["chunks"])
    assert manifest and manifest[0]["events"] >= 2

    release = server.wait_for(lambda: {r["version"]: r for r in server.get("/v1/releases", app="web")["releases"]}.get("shop@1.4.2"))
    assert release["environment"] == "staging" and release["commit_sha"] == "0a1b2c3" and release["branch"] == "main", release
    # One session for the process, ended at shutdown; the exception it captured made it errored.
    health = server.wait_for(lambda: (lambda found: found if found["sessions"]["open"] == 0 else None)(
        {r["version"]: r for r in server.get("/v1/releases", app="web")["releases"]}["shop@1.4.2"]))
    assert health["sessions"]["total"] == 1 and health["sessions"]["errored"] == 1, health
    assert health["crash_free_rate"] == 1, health

    queries = {query["normalized_query"]: query for query in server.wait_for(lambda: server.get("/v1/query/db", app="web")["queries"])}
    orders = queries["SELECT * FROM orders WHERE id = ?"]
    assert orders["count"] == 2 and orders["error_count"] == 1 and orders["database_type"] == "postgresql", orders
    assert orders["query_type"] == "SELECT" and orders["max_ms"] == 40, orders
    sqlite_queries = [query for query in queries.values() if query["database_type"] == "sqlite"]
    assert {query["query_type"] for query in sqlite_queries} >= {"INSERT", "SELECT"}, queries

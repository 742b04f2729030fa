"""luminalog-sdk 1.1.0 from PyPI, pointed at Sextant by its endpoint only (issue 9)."""
import pytest

from conftest import Server, run_script, venv_python

KEY = "ll_sdk_test_key"
CONFIG = {"organizations": [{"id": "acme", "projects": [{"slug": "web", "keys": [KEY]}]}]}


@pytest.fixture(scope="module")
def python():
    return venv_python("luminalog", ["luminalog-sdk==1.1.0"])


@pytest.fixture()
def server(binary):
    instance = Server(binary, CONFIG)
    yield instance
    instance.stop()


def test_every_level_child_loggers_errors_and_privacy_mode(python, server):
    run_script(python, f"""
        from luminalog import LuminaLog
        log = LuminaLog(api_key="{KEY}", environment="staging", project_id="shop-backend",
                        endpoint="{server.base}/v1/logs", batch_size=100, flush_interval=60)
        log.debug("debug line", {{"step": 1}})
        log.info("order 5001 placed", {{"order_id": 5001, "total": 42.5}})
        log.warn("inventory low for BP-7")
        log.error("payment retry", {{"attempt": 2}})
        log.fatal("worker crashed")
        child = log.child({{"request_id": "req-77"}})
        child.info("child says hello")
        child.flush()

        def charge(card):
            raise ValueError("card declined for order 5001")
        def checkout():
            charge("4111111111111111")
        try:
            checkout()
        except ValueError as error:
            log.capture_error(error, {{"order_id": 5001}})
        log.panic("out of memory")  # panic flushes at once

        private = LuminaLog(api_key="{KEY}", environment="staging", endpoint="{server.base}/v1/logs",
                            privacy_mode=True, flush_interval=60)
        private.info("user paid with card 4111111111111111", {{"email": "ada@example.com"}})
        try:
            raise RuntimeError("token=sk_live_secret123 rejected")
        except RuntimeError as error:
            private.capture_error(error)
        # luminalog-sdk 1.1.0's shutdown() marks itself shut down before its flush(), which then
        # returns early: without an explicit flush() a shutdown sends nothing.
        private.flush()
        log.flush()
    """)

    logs = server.wait_for(lambda: (lambda found: found if len(found) >= 13 else None)(
        server.get("/v1/query/logs", limit=100)["logs"]))
    assert logs, [(log["message"], log["level"]) for log in server.get("/v1/query/logs", limit=100)["logs"]]
    by_message = {log["message"]: log for log in logs}
    for level, message in [("debug", "debug line"), ("info", "order 5001 placed"), ("warn", "inventory low for BP-7"),
                           ("error", "payment retry"), ("fatal", "worker crashed"), ("fatal", "out of memory")]:  # panic is stored as fatal (API.md)
        assert by_message[message]["level"] == level, by_message[message]
    placed = by_message["order 5001 placed"]
    assert placed["environment"] == "staging" and placed["project_id"] == "shop-backend"
    assert placed["metadata"] == {"order_id": 5001, "total": 42.5}
    assert by_message["child says hello"]["metadata"]["request_id"] == "req-77"

    captured = by_message["card declined for order 5001"]
    assert captured["level"] == "error" and captured["error"]["type"] == "ValueError"
    assert any("in charge" in frame for frame in captured["error"]["stack_trace"])
    # The captured error is an issue whose culprit is where it was raised.
    issues = server.get("/v1/issues", status="", kind="error")["issues"]
    issue = next(issue for issue in issues if issue["title"].startswith("ValueError"))
    assert "charge" in issue["culprit"] and "<module>" not in issue["culprit"], issue

    # Privacy mode: values are gone from the message, the metadata and the error, and its issue.
    private_text = repr([log for log in logs if log["environment"] == "staging" and log.get("project_id") is None])
    assert "4111111111111111" not in private_text and "ada@example.com" not in private_text
    assert "sk_live_secret123" not in private_text
    assert "sk_live_secret123" not in repr(server.get("/v1/issues", status="")["issues"])
    # Search finds what was sent.
    assert [log["message"] for log in server.get("/v1/query/logs", q="inventory")["logs"]] == ["inventory low for BP-7"]

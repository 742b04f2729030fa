"""posthog 7.91 from PyPI, pointed at Sextant by `host` and a project ingest key as its API key
(issue 13): events with properties and a session, a pageview, `set` and `set_once` on the user,
an exception, and flag lookups that must not log errors. Then the bodies posthog-js sends
(lz-string, form-encoded base64, gzip-js, a `$snapshot` to `/s/`) with the same key. Each is
asserted through Sextant's read APIs."""
import base64
import gzip
import json
import time
import urllib.parse

import pytest
import requests

from conftest import Server, run_script, venv_python

KEY = "phc_sextant0123456789abcdef"
CONFIG = {"organizations": [{"id": "acme", "projects": [{"slug": "shop", "keys": [KEY]}]}]}


@pytest.fixture(scope="module")
def python():
    return venv_python("posthog", ["posthog==7.91.1", "lzstring==1.0.4"])


@pytest.fixture()
def server(binary):
    instance = Server(binary, CONFIG)
    yield instance
    instance.stop()


def test_python_sdk_events_pageview_person_properties_and_exception_are_stored(python, server):
    run_script(python, f"""
        from posthog import Posthog

        errors = []
        client = Posthog("{KEY}", host="{server.base}", gzip=True, on_error=lambda error, batch: errors.append(error))
        client.capture("signed_up", distinct_id="user-1", properties={{"plan": "pro", "$session_id": "sess-1"}})
        client.capture("$pageview", distinct_id="user-1", properties={{"$current_url": "https://shop.example.com/cart", "$session_id": "sess-1"}})
        client.set(distinct_id="user-1", properties={{"email": "ada@example.com", "name": "Ada"}})
        client.set_once(distinct_id="user-1", properties={{"first_plan": "free"}})
        client.set_once(distinct_id="user-1", properties={{"first_plan": "enterprise"}})

        def apply_coupon():
            raise ValueError("coupon expired")
        def checkout():
            apply_coupon()
        try:
            checkout()
        except ValueError as error:
            client.capture_exception(error, distinct_id="user-1", properties={{"$session_id": "sess-1"}})

        assert client.get_all_flags("user-1") in ({{}}, None), client.get_all_flags("user-1")
        assert not client.feature_enabled("new-checkout", "user-1")
        client.flush()
        client.shutdown()
        assert not errors, errors
    """)

    events = {event["name"]: event for event in server.get("/v1/query/events", app="shop", limit=100)["events"]}
    assert {"signed_up", "$pageview", "ValueError"} <= set(events), list(events)
    assert "$set" not in events and "$set_once" not in events, list(events)
    signed_up = events["signed_up"]
    assert signed_up["user_id"] == "user-1" and signed_up["session_id"] == "sess-1" and signed_up["props"]["plan"] == "pro", signed_up
    assert signed_up["props"]["$lib"] == "posthog-python", signed_up
    pageview = events["$pageview"]
    assert pageview["type"] == "pageview" and pageview["url"] == "https://shop.example.com/cart", pageview

    user = server.get("/v1/query/users", app="shop", user="user-1")["users"][0]
    assert user["properties"] == {"email": "ada@example.com", "name": "Ada", "first_plan": "free"}, user

    issue = next(issue for issue in server.get("/v1/issues", status="", kind="error")["issues"]
                 if issue["title"] == "ValueError: coupon expired")
    assert "apply_coupon" in issue["culprit"], issue
    assert events["ValueError"]["props"]["source"] == "posthog" and events["ValueError"]["session_id"] == "sess-1"
    assert any("checkout" in line for line in events["ValueError"]["props"]["stack"]), events["ValueError"]


def test_posthog_js_encodings_and_snapshots_are_stored(python, server):
    now_ms = int(time.time() * 1000)
    events = [{"event": "added_to_cart", "properties": {"token": KEY, "distinct_id": "anon-7", "$session_id": "js-sess",
                                                        "$current_url": "https://shop.example.com/p/42", "sku": "42"},
               "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())}]
    compressed = run_script(python, f"""
        import json, lzstring
        print(lzstring.LZString().compressToBase64(json.dumps({json.dumps(events)}, ensure_ascii=False)))
    """).strip()
    lz = requests.post(f"{server.base}/e/?compression=lz64", data=compressed, timeout=10,
                       headers={"Content-Type": "text/plain"})
    assert lz.status_code == 200 and lz.json() == {"status": 1}, lz.text

    form_event = dict(events[0], event="checkout_started")
    form = "data=" + urllib.parse.quote(base64.b64encode(json.dumps([form_event]).encode()).decode())
    posted = requests.post(f"{server.base}/i/v0/e/", data=form, timeout=10,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert posted.status_code == 200, posted.text

    gzipped = requests.post(f"{server.base}/batch/?compression=gzip-js", timeout=10,
                            data=gzip.compress(json.dumps({"api_key": KEY, "batch": [dict(events[0], event="paid")]}).encode()))
    assert gzipped.status_code == 200, gzipped.text

    snapshot = {"event": "$snapshot", "properties": {"distinct_id": "anon-7", "$session_id": "js-sess", "$snapshot_data": [
        {"type": 4, "data": {"href": "https://shop.example.com/p/42", "width": 1280, "height": 720}, "timestamp": now_ms},
        {"type": 2, "data": {"node": {"type": 0, "childNodes": [], "id": 1}, "initialOffset": {"left": 0, "top": 0}},
         "timestamp": now_ms + 5}]}}
    recorded = requests.post(f"{server.base}/s/?compression=gzip-js", data=gzip.compress(json.dumps([snapshot]).encode()),
                             params={"token": KEY}, timeout=10)
    assert recorded.status_code == 200, recorded.text

    names = {event["name"] for event in server.get("/v1/query/events", app="shop", user="anon-7")["events"]}
    assert {"added_to_cart", "checkout_started", "paid"} <= names, names
    manifest = server.get("/v1/sessions/js-sess/replay")
    assert len(manifest["chunks"]) == 1 and manifest["chunks"][0]["events"] == 2, manifest

    flags = requests.post(f"{server.base}/flags/?v=2", json={"token": KEY, "distinct_id": "anon-7"}, timeout=10)
    assert flags.status_code == 200 and flags.json()["featureFlags"] == {} and flags.json()["sessionRecording"]["endpoint"] == "/s/"
    decide = requests.post(f"{server.base}/decide/?v=3", json={"token": KEY, "distinct_id": "anon-7"}, timeout=10)
    assert decide.status_code == 200 and decide.json()["flags"] == {}, decide.text


def test_bad_posthog_bodies_get_a_4xx_and_store_nothing(server):
    cases = [
        ({"api_key": KEY, "batch": [{"event": "no_user", "properties": {}}]}, 400),
        ({"api_key": KEY, "batch": "not a list"}, 400),
        ({"api_key": "phc_unknown", "batch": [{"event": "x", "distinct_id": "u"}]}, 401),
        ({"batch": [{"event": "x", "distinct_id": "u"}]}, 401),
    ]
    for body, status in cases:
        response = requests.post(f"{server.base}/batch/", json=body, timeout=10)
        assert response.status_code == status and "detail" in response.json(), (body, response.text)
    broken = requests.post(f"{server.base}/e/?compression=lz64", data="!!!not-lz-string", params={"token": KEY}, timeout=10)
    assert broken.status_code == 400, broken.text
    assert server.get("/v1/query/events", app="shop")["events"] == []

"""The dashboard's views, the replay player and the browser SDK, in a real Chromium."""
import contextlib
import gzip
import http.server
import json
import pathlib
import threading
import time

import pytest
import requests

from conftest import DEMO_KEY, PASSWORD, ROOT, SHARED_FIXTURES


def open_view(page, server, path):
    page.goto(server.base + path)
    page.wait_for_selector("main[data-ready]", timeout=20_000)
    return page.inner_text("main")


def first_issue(server, kind):
    # `serve --demo` runs the replay analysis and monitor evaluation before /healthz answers, so
    # the issues those services produce exist now; no background timer is awaited here.
    issues = server.get("/v1/issues", kind=kind, status="", limit=50)["issues"]
    assert issues, f"the demo has {kind} issues"
    return issues[0]


def fresh_error_issue(server):
    """An error issue of this test's own, so changing its status cannot disturb another test."""
    marker = f"StatusChangeError{int(time.time() * 1_000_000)}"
    event = {"ts": int(time.time() * 1000), "type": "error", "name": marker, "session_id": "status-change",
             "props": {"message": f"{marker} raised by the status test", "stack": f"{marker}: raised\n    at statusTest (https://shop.example.com/t.js:1:1)"}}
    response = requests.post(server.base + "/v1/events", json={"app": "shop", "key": DEMO_KEY, "events": [event]}, timeout=10)
    assert response.status_code in (200, 202, 204), response.text
    # Grouping commits with the event: the 2xx means the issue is there.
    issues = server.get("/v1/issues", kind="error", status="", limit=200)["issues"]
    matching = [issue for issue in issues if marker in issue["title"]]
    assert matching, f"no issue for {marker} among {[issue['title'] for issue in issues]}"
    return matching[0]


def wait_for(predicate, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    return None


VIEWS = [
    ("/", ["Daily active users", "Errors by day", "view_product", "/cart"]),
    ("/events", ["view_product", "demo-s"]),
    ("/events?type=error", ["TypeError"]),
    ("/users", ["user-"]),
    ("/sessions", ["demo-s90"]),
    ("/sessions?has_replay=true&has_errors=true", ["demo-s"]),
    ("/sessions?device=mobile", ["mobile"]),
    ("/funnels?steps=view_product,add_to_cart,checkout,purchase", ["Conversion", "dropped off", "add_to_cart"]),
    ("/issues", ["TypeError: Cannot read properties of undefined", "GatewayTimeout"]),
    ("/logs?q=gateway", ["payment gateway timed out"]),
    ("/endpoints", ["/api/products/:id", "ms"]),
    ("/monitors", ["hourly-sync", "missed", "nightly-backup", "healthy"]),
    ("/insights", ["Checkout errors"]),
    ("/trends?event=view_product,purchase&measure=users", ["view_product", "purchase", "users per day"]),
    ("/trends?event=view_product&breakdown=url&interval=hour", ["view_product ·", "events per hour"]),
    ("/retention?start_event=view_product&return_event=purchase&periods=4", ["Returning event", "%"]),
    ("/paths?start=view_product&steps=2", ["users did view_product", "view_product →"]),
    ("/settings", ["Projects and keys", "shop", "sx_pk_demo_shop"]),
    ("/settings/tokens", ["API tokens", "read:lucent"]),
    ("/settings/signals", ["Checkout errors"]),
    ("/settings/webhooks", ["New webhook"]),
]


@pytest.mark.parametrize("path,expected", VIEWS, ids=[view[0] for view in VIEWS])
def test_view_shows_the_seeded_data(page, server, path, expected):
    text = open_view(page, server, path)
    for snippet in expected:
        assert snippet in text, f"{path} should show {snippet!r}"
    assert not page.problems, page.problems


def test_issue_detail_and_status_change(page, server):
    issue = fresh_error_issue(server)
    text = open_view(page, server, f"/issues/{issue['id']}")
    assert issue["title"] in text and "Steps to replicate" in text
    page.select_option("main select[aria-label^=Status]", "resolved")
    assert wait_for(lambda: server.get(f"/v1/issues/{issue['id']}")["issue"]["status"] == "resolved", timeout=10)
    assert not page.problems, page.problems


def test_session_page_replays_the_generated_shop(page, server):
    text = open_view(page, server, "/sessions/demo-s90")
    assert "Timeline" in text and "Viewed /" in text
    frame = page.frame_locator("main iframe")
    assert "Demo Shop" in frame.locator("body").inner_text(timeout=10_000)
    # Seek to the end: the mutations put the product in the cart and the pay button says so.
    page.eval_on_selector("main input[type=range]", "slider => { slider.value = slider.max; slider.dispatchEvent(new Event('input')); }")
    body = frame.locator("body").inner_text()
    assert "Cart (1)" in body and "Processing" in body
    page.click("main .controls button")  # play from the start
    page.wait_for_timeout(500)
    assert not page.problems, page.problems


def test_incident_page_seeks_to_the_error(page, server):
    error = server.get("/v1/query/events", type="error", name="TypeError", limit=1)["events"][0]
    text = open_view(page, server, f"/incidents/{error['id']}")
    assert "Incident: TypeError" in text and "Cannot read properties" in text
    assert not page.problems, page.problems


def test_rage_click_issue_shows_and_links_its_replay(page, server):
    issue = first_issue(server, "rage_click")
    text = open_view(page, server, f"/issues/{issue['id']}")
    assert "Rage click on" in text and "Sample replay" in text
    assert "Demo Shop" in page.frame_locator("main iframe").locator("body").inner_text(timeout=10_000)
    page.click("text=Watch the sample session")
    page.wait_for_selector("main[data-ready] iframe", timeout=20_000)
    assert not page.problems, page.problems


@pytest.mark.skipif(not SHARED_FIXTURES.exists(), reason="../shared/fixtures/rrweb is absent")
def test_player_renders_a_real_recording(page, server):
    events = json.loads((SHARED_FIXTURES / "posthog-nextjs-window1.json").read_text())
    session = f"fixture-{int(time.time() * 1000)}"
    response = requests.post(server.base + "/v1/replay", params={"session": session, "seq": 1, "app": "shop"},
                             headers={"X-Spyglass-Key": DEMO_KEY}, data=gzip.compress(json.dumps(events).encode()), timeout=10)
    assert response.status_code == 204, response.text
    open_view(page, server, f"/sessions/{session}")
    body = page.frame_locator("main iframe").locator("body").inner_text(timeout=10_000)
    assert "PostHog React" in body and "Capture event" in body
    assert not page.problems, page.problems


def test_player_unit_tests(browser, server):
    # The test code is injected as an inline script, which the dashboard's CSP rightly forbids:
    # this context alone bypasses it (the other tests run under the real policy).
    context = browser.new_context(http_credentials={"username": "admin", "password": PASSWORD}, bypass_csp=True)
    page = context.new_page()
    open_view(page, server, "/sessions")
    fixtures = {}
    if SHARED_FIXTURES.exists():
        for name in ("rrweb-node-mutations-select2.json", "posthog-nextjs-window2.json", "rrweb-form-interactions.json"):
            fixtures[name] = json.loads((SHARED_FIXTURES / name).read_text())
    page.evaluate("fixtures => { window.__fixtures = fixtures; }", fixtures)
    page.add_script_tag(type="module", content=(ROOT / "Tests" / "browser" / "snapshot.test.js").read_text())
    page.wait_for_function("() => Array.isArray(window.__snapshotTests)", timeout=10_000)
    results = page.evaluate("window.__snapshotTests")
    failed = [result for result in results if not result["ok"]]
    assert len(results) >= 5 and not failed, failed
    for result in results:
        print("ok" if result["ok"] else "FAIL", result["name"], result.get("skipped", ""))
    context.close()


class ShopSite(http.server.SimpleHTTPRequestHandler):
    body = b""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def customer_site(html):
    """A page on another origin than the server's, as a customer's site would be."""
    ShopSite.body = html.encode()
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ShopSite)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{site.server_address[1]}"
    finally:
        site.shutdown()


def test_sdk_records_pageviews_clicks_and_errors(browser, server):
    html = f"""<!doctype html><html><head><title>SDK test</title>
      <script src="{server.base}/sdk.js"></script>
      <script>Sextant.init({{ app: "shop", key: "{DEMO_KEY}", flushIntervalMs: 300 }});</script></head>
      <body><button id="buy" class="primary">Buy now</button>
      <script>document.getElementById('buy').addEventListener('click', () => {{ setTimeout(() => {{ throw new TypeError('boom from the test page'); }}, 0); }});</script>
      </body></html>"""
    with customer_site(html) as origin:
        context = browser.new_context()
        tab = context.new_page()
        tab.goto(f"{origin}/shop")
        tab.click("#buy")
        tab.evaluate("history.pushState({}, '', '/shop/next')")
        tab.wait_for_timeout(200)
        session = tab.evaluate("Sextant.sessionId")
        tab.evaluate("Sextant.flush()")

        def recorded():
            events = server.get("/v1/query/events", session=session, limit=100)["events"]
            kinds = {(event["type"], event["name"]) for event in events}
            wanted = {("pageview", "/shop"), ("pageview", "/shop/next"), ("event", "click"), ("error", "TypeError")}
            return events if wanted <= kinds else None
        events = wait_for(recorded, timeout=20)
        assert events, server.get("/v1/query/events", session=session, limit=100)
        click = next(event for event in events if event["name"] == "click")
        assert click["props"]["target"] == "button#buy" and click["props"]["text"] == "Buy now"
        error = next(event for event in events if event["type"] == "error")
        assert error["props"]["message"] == "boom from the test page" and "TypeError" in (error["props"]["stack"] or "TypeError")
        # The session knows the browser it came from (Chromium's User-Agent says Chrome on Linux).
        recorded = server.get("/v1/query/sessions", browser="chrome", device="desktop", limit=500)["sessions"]
        found = next((s for s in recorded if s["session_id"] == session), None)
        assert found and found["browser"] == "Chrome" and found["os"] == "Linux", recorded[:3]
        context.close()


def test_seestack_semantic_replay_reads_as_steps(page, server):
    session = f"semantic-{int(time.time() * 1000)}"
    body = {"fingerprint": "fp", "sessionId": session, "events": [
        {"eventType": "navigation", "eventData": json.dumps({"to": "/checkout"}), "url": "/checkout", "timestampMillis": 1_781_395_200_000},
        {"eventType": "click", "eventData": json.dumps({"target": "button#pay"}), "url": "/checkout", "timestampMillis": 1_781_395_201_000},
    ]}
    response = requests.post(server.base + "/ingest/v1/replay", json=body, headers={"X-SeeStack-Key": DEMO_KEY}, timeout=10)
    assert response.status_code == 202, response.text
    text = open_view(page, server, f"/sessions/{session}")
    assert "Recorded steps" in text and "navigation" in text and "button#pay" in text
    assert not page.problems, page.problems


def rrweb_recorder():
    """rrweb's real recorder (1.1.3, global rrwebRecord) from the django-rrweb wheel on PyPI."""
    import glob
    import subprocess
    import sys
    import tempfile
    import zipfile
    target = pathlib.Path(tempfile.gettempdir()) / "sextant-rrweb"
    script = target / "rrweb-record.js"
    if not script.exists():
        target.mkdir(exist_ok=True)
        done = subprocess.run([sys.executable, "-m", "pip", "download", "django-rrweb", "--no-deps", "-q", "-d", str(target)],
                              capture_output=True, timeout=120)
        wheels = glob.glob(str(target / "django_rrweb-*.whl"))
        if done.returncode != 0 or not wheels:
            return None
        with zipfile.ZipFile(wheels[0]) as wheel:
            name = next((n for n in wheel.namelist() if n.endswith(".js") and "rrweb-record" in n), None)
            if not name:
                return None
            script.write_bytes(wheel.read(name))
    return script.read_text()


def test_sdk_uploads_a_genuine_rrweb_recording_that_the_player_replays(browser, page, server):
    recorder = rrweb_recorder()
    if recorder is None:
        pytest.skip("could not download rrweb's recorder (django-rrweb) from PyPI")
    html = f"""<!doctype html><html><head><title>Recorded page</title>
      <script>{recorder}</script>
      <script src="{server.base}/sdk.js"></script>
      <script>Sextant.init({{ app: "shop", key: "{DEMO_KEY}", flushIntervalMs: 300, replayChunkMs: 500 }});</script></head>
      <body><h1>Recorded by rrweb</h1><p id="status">Nothing yet</p>
      <button id="go" onclick="document.getElementById('status').textContent = 'Clicked once'">Go</button>
      <input id="name" placeholder="Name"></body></html>"""
    with customer_site(html) as origin:
        context = browser.new_context()
        tab = context.new_page()
        tab.goto(f"{origin}/recorded")
        tab.click("#go")
        tab.fill("#name", "Ada")
        tab.wait_for_timeout(800)
        session = tab.evaluate("Sextant.sessionId")
        tab.evaluate("Sextant.flush()")
        manifest = wait_for(lambda: (lambda r: r.json() if r.status_code == 200 and r.json()["chunks"] else None)(
            requests.get(server.base + f"/v1/sessions/{session}/replay", auth=("admin", PASSWORD), timeout=5)), timeout=20)
        assert manifest, "the SDK uploaded no replay chunk"
        context.close()
    open_view(page, server, f"/sessions/{session}")
    page.eval_on_selector("main input[type=range]", "slider => { slider.value = slider.max; slider.dispatchEvent(new Event('input')); }")
    body = page.frame_locator("main iframe").locator("body").inner_text(timeout=10_000)
    assert "Recorded by rrweb" in body and "Clicked once" in body
    assert not page.problems, page.problems


def test_trace_waterfall_and_the_issue_stack_link_to_each_other(page, server):
    trace_id = f"trace{int(time.time() * 1_000_000)}"
    now = int(time.time() * 1000)
    spans = {"spans": [
        {"traceId": trace_id, "spanId": "root", "operation": "http.server", "description": "POST /checkout", "status": "ok",
         "startTimeMillis": now, "endTimeMillis": now + 120, "durationMs": 120},
        {"traceId": trace_id, "spanId": "db", "parentSpanId": "root", "operation": "db", "description": "SELECT * FROM carts",
         "status": "error", "startTimeMillis": now + 10, "endTimeMillis": now + 90, "durationMs": 80}]}
    assert requests.post(server.base + "/ingest/v1/spans", json=spans, headers={"X-SeeStack-Key": DEMO_KEY}, timeout=10).status_code == 202
    marker = f"TraceLinkedError{trace_id}"
    error = {"exceptionClass": marker, "message": "cart total failed", "traceId": trace_id,
             "stackTrace": ["at total (https://shop.example.com/app.js:10:5)", "at checkout (https://shop.example.com/app.js:20:3)"]}
    assert requests.post(server.base + "/ingest/v1/errors", json=error, headers={"X-SeeStack-Key": DEMO_KEY}, timeout=10).status_code == 202

    text = open_view(page, server, "/traces")
    assert "POST /checkout" in text
    text = open_view(page, server, f"/traces/{trace_id}")
    assert "SELECT * FROM carts" in text and marker in text, text
    assert page.locator(".span-row").count() == 2 and page.locator(".span-bar.failed").count() == 1
    issue = next(issue for issue in server.get("/v1/issues", kind="error", status="", limit=200)["issues"] if marker in issue["title"])
    text = open_view(page, server, f"/issues/{issue['id']}")
    assert "Stack trace" in text and "at total (https://shop.example.com/app.js:10:5)" in text
    page.click("text=View the trace of the sample occurrence")
    page.wait_for_selector(".span-row", timeout=10_000)
    assert not page.problems, page.problems


def test_metrics_view_lists_otlp_metrics_and_charts_one(page, server):
    name = f"queue_depth_{int(time.time() * 1_000_000)}"
    now_ns = time.time_ns()
    body = {"resourceMetrics": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "worker"}}]},
                                 "scopeMetrics": [{"metrics": [{"name": name, "unit": "1", "gauge": {"dataPoints": [
                                     {"timeUnixNano": str(now_ns - 120_000_000_000), "asInt": "3"},
                                     {"timeUnixNano": str(now_ns), "asInt": "9"}]}}]}]}]}
    response = requests.post(server.base + "/v1/metrics", json=body, headers={"Authorization": f"Bearer {DEMO_KEY}"}, timeout=10)
    assert response.status_code == 200, response.text
    text = open_view(page, server, "/charts")
    assert name in text and "gauge" in text, text
    page.click(f"text={name}")
    page.wait_for_selector("main svg.chart rect", state="attached", timeout=10_000)
    text = page.inner_text("main")
    assert "average per hour" in text and "9" in text, text
    page.click("text=minute")
    assert wait_for(lambda: page.locator("main svg.chart rect").count() > 30, timeout=10), "the minute chart has a bucket per minute"
    assert not page.problems, page.problems


PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("path,expected", VIEWS, ids=[view[0] for view in VIEWS])
def test_view_fits_a_phone(browser, server, path, expected):
    """Every view at 390×844: its content, no console errors, and nothing wider than the screen."""
    from conftest import ARTIFACTS
    context = browser.new_context(http_credentials={"username": "admin", "password": PASSWORD}, viewport=PHONE,
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    tab = context.new_page()
    problems = []
    tab.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    try:
        text = open_view(tab, server, path)
        for snippet in expected:
            assert snippet in text, f"{path} should show {snippet!r} on a phone"
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width} px wide at {PHONE['width']} px"
        assert not problems, problems
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = "phone" + (path.replace("/", "_").replace("?", "-").replace("&", "-").replace("=", "-").replace(",", "-") or "_")
        tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    finally:
        context.close()


def test_the_time_range_bounds_every_view_and_follows_the_links(page, server):
    old = int(time.time() * 1000) - 10 * 86_400_000
    marker = f"range_probe_{int(time.time() * 1000)}"
    body = {"app": "shop", "key": DEMO_KEY, "events": [{"ts": old, "type": "event", "name": marker, "user_id": "range-user"}]}
    assert requests.post(server.base + "/v1/events", json=body, timeout=10).status_code == 204
    assert marker in open_view(page, server, f"/events?name={marker}")  # all time by default
    page.select_option("#range select", "24h")
    page.wait_for_selector("main[data-ready]")
    assert "range=24h" in page.url
    assert marker not in page.inner_text("main"), "an event ten days old is outside the last 24 hours"
    # The range goes along to the next view, which is bounded by it too.
    page.click("#nav a[href='/users']")
    page.wait_for_selector("main[data-ready]")
    assert "range=24h" in page.url
    assert "range-user" not in page.inner_text("main")
    page.select_option("#range select", "30d")
    page.wait_for_selector("main[data-ready]")
    assert "range-user" in page.inner_text("main")
    # The overview compares the range with the period before it.
    page.click("#nav a[href='/']")
    page.wait_for_selector("main[data-ready]")
    assert "on the period before" in page.inner_text("main") or "none the period before" in page.inner_text("main")
    # Times read in UTC once chosen.
    page.check("#range .utc-toggle input")
    page.wait_for_selector("main[data-ready]")
    assert "tz=utc" in page.url and "Times in UTC" in page.inner_text("#range")
    assert not page.problems, page.problems


def test_session_and_issue_pages_fit_a_phone(browser, server):
    """The player takes the phone's width (it had shrunk to about 90 px beside the timeline)."""
    from conftest import ARTIFACTS
    session = next(s for s in server.get("/v1/query/sessions", limit=200)["sessions"] if s.get("chunk_count", 0) > 0)
    issue = first_issue(server, "error")
    context = browser.new_context(http_credentials={"username": "admin", "password": PASSWORD}, viewport=PHONE, is_mobile=True)
    tab = context.new_page()
    problems = []
    tab.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    try:
        for path in [f"/sessions/{session['session_id']}", f"/issues/{issue['id']}"]:
            open_view(tab, server, path)
            assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
            tab.screenshot(path=str(ARTIFACTS / f"phone{path.replace('/', '_')}.png"), full_page=True)
        tab.goto(server.base + f"/sessions/{session['session_id']}")
        tab.wait_for_selector(".player .stage iframe", state="attached", timeout=20_000)
        width = tab.evaluate("document.querySelector('.player .stage').getBoundingClientRect().width")
        assert width >= 300, f"the player is {width} px wide on a phone"
        assert not problems, problems
    finally:
        context.close()


A11Y_VIEWS = ["/", "/events", "/users", "/sessions", "/funnels?steps=view_product,add_to_cart", "/trends?event=view_product", "/retention",
              "/paths", "/issues", "/logs", "/endpoints", "/traces", "/charts", "/monitors", "/insights", "/settings", "/settings/tokens",
              "/settings/signals", "/settings/webhooks"]


@pytest.mark.parametrize("viewport", [{"width": 1440, "height": 900}, PHONE], ids=["desktop", "phone"])
def test_views_have_no_serious_accessibility_violations(browser, server, viewport):
    """axe-core (from PyPI's axe-playwright-python) on every list view and on a session and an issue."""
    from axe_playwright_python.sync_playwright import Axe
    axe = Axe()
    session = next(s for s in server.get("/v1/query/sessions", limit=200)["sessions"] if s.get("chunk_count", 0) > 0)
    paths = A11Y_VIEWS + [f"/sessions/{session['session_id']}", f"/issues/{first_issue(server, 'error')['id']}"]
    context = browser.new_context(http_credentials={"username": "admin", "password": PASSWORD}, viewport=viewport)
    tab = context.new_page()
    found = {}
    try:
        for path in paths:
            open_view(tab, server, path)
            results = axe.run(tab, options={"resultTypes": ["violations"], "rules": {"frame-tested": {"enabled": False}}})
            serious = [f"{violation['id']} ({violation['impact']}): {violation['nodes'][0]['target']}"
                       for violation in results.response["violations"] if violation["impact"] in ("serious", "critical")]
            if serious:
                found[path] = serious
    finally:
        context.close()
    assert not found, found


def test_keyboard_alone_reaches_an_issue_and_seeks_its_replay(page, server):
    """Tab and Enter only: from the issue list to an issue, to its session, and a timeline row seeks the player."""
    open_view(page, server, "/issues?kind=error")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    # Tab until the first issue link has focus, then follow it.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('table') !== null && document.activeElement.tagName === 'A'"):
            break
    page.keyboard.press("Enter")
    page.wait_for_selector("main[data-ready]")
    assert "/issues/" in page.url
    assert page.evaluate("document.activeElement.id") == "view", "focus moves to the new view"
    page.goto(server.base + "/sessions/" + next(s for s in server.get("/v1/query/sessions", limit=200)["sessions"] if s.get("chunk_count", 0) > 0)["session_id"])
    page.wait_for_selector(".player .stage iframe", state="attached", timeout=20_000)
    # The replayed page takes no focus: Tab goes from the player's controls to the timeline.
    assert page.evaluate("document.querySelector('.player iframe').inert") is True
    rows = page.locator(".timeline li")
    # Move the player to the end, then Enter on the first row brings it back there.
    page.wait_for_selector(".player .controls input[type=range]")
    page.evaluate("(() => { const s = document.querySelector('.player .controls input[type=range]'); s.value = s.max; s.dispatchEvent(new Event('input')); })()")
    assert wait_for(lambda: "current" not in (rows.nth(0).get_attribute("class") or ""), timeout=10)
    rows.nth(0).locator("button.seek").focus()
    page.keyboard.press("Enter")
    assert wait_for(lambda: "current" in (rows.nth(0).get_attribute("class") or ""), timeout=10)
    assert not page.problems, page.problems


def test_sessions_filter_by_replay_errors_duration_and_url_and_lead_to_a_person(page, server):
    open_view(page, server, "/sessions")
    form = page.locator("form.filters")
    form.locator("[name=has_replay]").select_option("true")
    form.locator("[name=has_errors]").select_option("true")
    form.locator("[name=min_duration]").fill("30")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("main[data-ready]")
    assert "has_replay=true" in page.url and "has_errors=true" in page.url and "min_duration=30" in page.url
    expected = server.get("/v1/query/sessions", has_replay="true", has_errors="true", min_duration=30, limit=200)["sessions"]
    assert expected and all(s["chunk_count"] > 0 and s["error_count"] > 0 and s["duration_ms"] >= 30_000 for s in expected)
    rows = page.locator("main tbody tr")
    assert rows.count() == len(expected)
    # A session's user leads to their person page: sessions, events and errors of that user.
    user = next(s["user_id"] for s in expected if s["user_id"])
    page.locator("main tbody a", has_text=user).first.click()
    page.wait_for_selector("main[data-ready]")
    text = page.inner_text("main")
    assert f"/users/{user}" in page.url and "Person" in text and "Latest events" in text
    assert "Errors" in text and page.locator("main .card a[href^='/incidents/']").count() >= 1, "the person's errors are listed"
    open_view(page, server, "/sessions?url=/no-such-page-anywhere")
    assert "Nothing matches these filters" in page.inner_text("main")
    assert not page.problems, page.problems


def test_an_issue_page_charts_its_days_breaks_down_its_tags_and_lists_occurrences(page, server):
    """The demo's checkout TypeError: by day, by URL and user, and its latest occurrences with their replays."""
    issue = next(i for i in server.get("/v1/issues", kind="error", status="", limit=200)["issues"]
                 if i["title"] == "TypeError: Cannot read properties of undefined (reading 'total')")
    text = open_view(page, server, f"/issues/{issue['id']}")
    assert "Events by day" in text and page.locator("main .activity svg.chart rect").count() >= 1
    assert "URL" in text and "/checkout" in text and "User" in text
    activity = server.get(f"/v1/issues/{issue['id']}/activity")
    assert sum(day["count"] for day in activity["days"]) == issue["count"], (issue, activity["days"])
    rows = page.locator("main table").last.locator("tbody tr")
    assert rows.count() == min(issue["count"], 100)
    # An occurrence's session opens its replay at the moment of the error.
    rows.first.locator("a[href^='/sessions/']").click()
    page.wait_for_selector(".player .stage iframe", state="attached", timeout=20_000)
    assert "?t=" in page.url
    assert not page.problems, page.problems


def test_triage_counts_tabs_searches_sorts_and_changes_issues_in_bulk(page, server):
    first, second = fresh_error_issue(server), fresh_error_issue(server)
    open_view(page, server, "/issues")
    counts = server.get("/v1/issues", status="unresolved", limit=1)["counts"]
    assert f"Unresolved {counts['unresolved']}" in page.inner_text("main .tabs")
    page.fill("main input[name=q]", first["title"].split(":")[0])
    page.select_option("main select[name=sort]", "events")
    page.click("main form[role=search] button[type=submit]")
    page.wait_for_selector("main[data-ready]")
    assert "sort=events" in page.url and page.locator("main tbody tr").count() == 1
    open_view(page, server, "/issues?q=StatusChangeError")
    assert page.locator("main tbody tr").count() >= 2
    for issue in (first, second):
        page.check(f"main input[type=checkbox][value='{issue['id']}']")
    assert "2 selected" in page.inner_text("main .bulk")
    page.click("main .bulk button[data-status=resolved]")
    assert wait_for(lambda: all(server.get(f"/v1/issues/{i['id']}")["issue"]["status"] == "resolved" for i in (first, second)), timeout=10)
    assert wait_for(lambda: first["id"] not in page.content() and second["id"] not in page.content(), timeout=10), \
        "resolved issues leave the unresolved tab without a reload"
    assert not page.problems, page.problems


def test_player_marks_clicks_and_errors_resets_the_cursor_and_zooms(page, server):
    session = next(s for s in server.get("/v1/query/sessions", has_replay="true", has_errors="true", limit=50)["sessions"])
    open_view(page, server, f"/sessions/{session['session_id']}")
    page.wait_for_selector(".player .markers .marker.click", state="attached", timeout=20_000)
    assert page.locator(".player .markers .marker.error").count() >= 1, "the session's error is marked on the seek bar"
    # At the end the cursor is on the page; back at the start (before any move) it is gone again.
    page.evaluate("(() => { const s = document.querySelector('.player .controls input[type=range]'); s.value = s.max; s.dispatchEvent(new Event('input')); })()")
    assert page.evaluate("document.querySelector('.player .cursor').hidden") is False
    page.evaluate("(() => { const s = document.querySelector('.player .controls input[type=range]'); s.value = 0; s.dispatchEvent(new Event('input')); })()")
    assert page.evaluate("document.querySelector('.player .cursor').hidden") is True, "a backward seek does not leave the cursor where it was"
    # An error marker seeks to the error.
    page.locator(".player .markers .marker.error").first.dispatch_event("click")
    assert "current" in page.locator(".timeline li.kind-error").first.get_attribute("class")
    # 100 %: the recording at its own size, scrolling inside the stage.
    page.select_option(".player select[aria-label=Zoom]", "1")
    assert page.evaluate("document.querySelector('.player iframe').style.transform") == "scale(1)"
    assert page.evaluate("getComputedStyle(document.querySelector('.player .stage')).overflow") == "auto"
    page.select_option(".player select[aria-label=Zoom]", "fit")
    assert page.evaluate("document.querySelector('.player iframe').style.transform") != "scale(1)"
    assert not page.problems, page.problems


def test_funnel_builder_shows_who_dropped_off_and_events_filter_by_part_of_a_name_and_a_property(page, server):
    open_view(page, server, "/funnels")
    steps = page.locator("form[aria-label='Funnel steps'] input[name=step]")
    steps.nth(0).fill("view_product")
    steps.nth(1).fill("add_to_cart")
    page.click("text=Add a step")
    steps.nth(2).fill("purchase")
    page.click("text=Show the funnel")
    page.wait_for_selector("main[data-ready]")
    assert "steps=view_product%2Cadd_to_cart%2Cpurchase" in page.url or "steps=view_product,add_to_cart,purchase" in page.url
    assert "Conversion" in page.inner_text("main")
    page.locator("main .funnel button", has_text="Who dropped off").first.click()
    page.wait_for_selector("main .dropped ul.people li a")
    user = page.locator("main .dropped ul.people li a").first.inner_text()
    assert user.startswith("user-")
    text = open_view(page, server, "/events?name_contains=PRODUCT&prop=product=Rain%20jacket")
    assert "view_product" in text and "Rain jacket" in text
    assert "Water bottle" not in text and "Trail backpack" not in text
    assert not page.problems, page.problems


def test_an_overview_with_only_replays_points_to_the_sessions(page, server):
    """A range holding a replay and no events (Lucent's SDK sends only replays) is not "No data yet"."""
    start = 1_262_304_000_000  # 2010-01-01
    chunk = [{"type": 4, "timestamp": start, "data": {"href": "https://old.example.com/", "width": 800, "height": 600}},
             {"type": 2, "timestamp": start + 1, "data": {"node": {"type": 0, "id": 1, "childNodes": []}}}]
    response = requests.post(server.base + "/v1/replay", params={"session": "replay-only-2010", "seq": 1, "ts": start, "app": "shop"},
                             headers={"X-Spyglass-Key": DEMO_KEY, "Content-Type": "application/octet-stream"},
                             data=gzip.compress(json.dumps(chunk).encode()), timeout=10)
    assert response.status_code in (200, 202, 204), response.text
    text = open_view(page, server, "/?from=2010-01-01&to=2010-01-02")
    assert "No analytics events in this range" in text and "No data yet" not in text
    page.click("main a[href='/sessions']")
    page.wait_for_selector("main[data-ready]")
    assert "replay-only-2010" in page.inner_text("main"), "the link keeps the range and lists the replay's session"
    assert not page.problems, page.problems

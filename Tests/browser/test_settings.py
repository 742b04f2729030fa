"""The settings pages in Chromium: each creates, shows and deletes its object, and the change
takes effect on ingest; another site's page cannot change anything."""
import contextlib
import http.server
import json
import threading
import time

import requests

from conftest import DEMO_KEY, PASSWORD
from test_browser import open_view, wait_for


def unique(prefix):
    return f"{prefix}-{int(time.time() * 1000) % 10_000_000}"


def confirm_click(page, locator):
    """Delete buttons ask twice, without a browser dialog."""
    locator.click()
    locator.click()


def submit(page, form_label, values):
    form = page.locator(f"form[aria-label='{form_label}']")
    for name, value in values.items():
        field = form.locator(f"[name='{name}']")
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_selector("main[data-ready]")


def send_event(server, app, key, name, type_="event"):
    event = {"ts": int(time.time() * 1000), "type": type_, "name": name, "user_id": "settings-user",
             "props": {"message": f"{name} from the settings test", "stack": f"{name}: x\n    at settingsTest (https://shop.example.com/s.js:1:1)"}}
    return requests.post(server.base + "/v1/events", json={"app": app, "key": key, "events": [event]}, timeout=10).status_code



def test_a_project_made_in_settings_takes_events_with_its_key_until_it_is_revoked(page, server):
    slug = unique("web")
    open_view(page, server, "/settings")
    submit(page, "New project", {"slug": slug, "name": "Web shop"})
    card = page.locator(f"[data-project='{slug}']")
    card.wait_for()
    key = card.locator("[data-key]").first.get_attribute("data-key")
    assert key and key in card.inner_text()
    card.locator("summary").first.click()
    assert f"{key}@" in card.inner_text(), "the Sentry DSN is shown with the key"
    assert send_event(server, slug, key, "signup") == 204
    assert server.get("/v1/query/events", app=slug)["events"][0]["name"] == "signup"
    confirm_click(page, card.locator("button.danger").first)
    page.wait_for_selector(f"[data-project='{slug}'] >> text=No active key")
    assert wait_for(lambda: send_event(server, slug, key, "after-revoke") == 401, timeout=15), "a revoked key is refused"
    assert not page.problems, page.problems


def test_a_token_made_in_settings_is_shown_once_and_reads_until_revoked(page, server):
    name = unique("ci")
    open_view(page, server, "/settings/tokens")
    submit(page, "New token", {"name": name})
    page.wait_for_selector(".created-token pre")
    token = page.inner_text(".created-token pre").strip()
    read = lambda: requests.get(server.base + "/api/v1/issues", headers={"Authorization": f"Bearer {token}"}, timeout=10).status_code
    assert read() == 200
    open_view(page, server, "/settings/tokens")
    assert token not in page.inner_text("main"), "the token is not shown again"
    row = page.locator("tr", has_text=name)
    confirm_click(page, row.locator("button.danger"))
    page.wait_for_selector("main[data-ready]")
    assert wait_for(lambda: page.locator("tr", has_text=name).count() == 0, timeout=10)
    assert read() == 401
    assert not page.problems, page.problems


def heartbeat(server, slug, status="success"):
    return requests.post(server.base + "/ingest/v1/heartbeat", headers={"X-SeeStack-Key": DEMO_KEY},
                         json={"slug": slug, "status": status, "durationMs": 43000}, timeout=10).status_code


def test_a_monitor_is_created_paused_pinged_and_deleted(page, server):
    slug = unique("backup")
    open_view(page, server, "/monitors")
    submit(page, "New monitor", {"app": "shop", "slug": slug, "schedule": "0 3 * * *", "grace_seconds": "600"})
    row = page.locator("tr", has_text=slug)
    row.wait_for()
    assert "pending" in row.inner_text()
    row.locator("button", has_text="Pause").click()
    page.wait_for_selector(f"tr:has-text('{slug}') .badge.paused")
    assert heartbeat(server, slug) == 202
    page.click(f"text={slug}")
    page.wait_for_selector("main[data-ready]")
    text = page.inner_text("main")
    assert "healthy" in text, "a run resumes a paused monitor"
    assert "43 s" in text and "/ingest/v1/heartbeat" in text and DEMO_KEY in text, text
    confirm_click(page, page.locator("main button.danger"))
    page.wait_for_url("**/monitors")
    page.wait_for_selector("main[data-ready]")
    assert slug not in page.inner_text("main")
    assert heartbeat(server, slug) == 404
    assert not page.problems, page.problems


def test_a_signal_made_in_settings_counts_the_next_events(page, server):
    name = unique("Coupon errors")
    marker = unique("coupon_applied")
    open_view(page, server, "/settings/signals")
    submit(page, "New signal", {"app": "shop", "name": name, "source": "events", "match_name": marker})
    row = page.locator("tr", has_text=name)
    row.wait_for()
    assert send_event(server, "shop", DEMO_KEY, marker) == 204
    assert send_event(server, "shop", DEMO_KEY, marker) == 204

    def counted():
        open_view(page, server, "/settings/signals")
        return page.locator("tr", has_text=name).locator("td.num").inner_text().strip() == "2"
    assert wait_for(counted, timeout=15)
    confirm_click(page, page.locator("tr", has_text=name).locator("button.danger"))
    assert wait_for(lambda: page.locator("tr", has_text=name).count() == 0, timeout=10)
    assert not page.problems, page.problems


@contextlib.contextmanager
def receiver():
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/hook", received
    finally:
        httpd.shutdown()


def test_a_webhook_is_tested_receives_new_issues_and_is_deleted(page, server):
    with receiver() as (url, received):
        open_view(page, server, "/settings/webhooks")
        form = page.locator("form[aria-label='New webhook']")
        form.locator("[name=app]").select_option("shop")
        form.locator("[name=url]").fill(url)
        for box in form.locator("input[type=checkbox]").all():
            if box.get_attribute("value") != "new_issue":
                box.uncheck()
        form.locator("button[type=submit]").click()
        row = page.locator("tr", has_text=url)
        row.wait_for()
        assert "new_issue" in row.inner_text() and "regression" not in row.inner_text()
        row.locator("button", has_text="Send a test").click()
        page.wait_for_selector(f"tr:has-text('{url}') .test-result:text('Delivered')")
        assert received and received[0]["event"] == "test"
        error = unique("SettingsWebhookError")
        assert send_event(server, "shop", DEMO_KEY, error, type_="error") == 204
        assert wait_for(lambda: any(body.get("event") == "new_issue" and error in body["issue"]["title"] for body in received), timeout=20), received
        confirm_click(page, row.locator("button.danger"))
        assert wait_for(lambda: page.locator("tr", has_text=url).count() == 0, timeout=10)
    assert not page.problems, page.problems


def test_another_sites_page_cannot_change_settings(browser, server):
    """A form on another origin posts to the settings route with the browser's saved password."""
    slug = unique("csrf")
    page_html = f"""<form id=f method=post action="{server.base}/v1/settings/projects" enctype="text/plain">
      <input name='{{"slug":"{slug}","x":"' value='"}}'></form><script>document.getElementById('f').submit()</script>"""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = page_html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    context = browser.new_context(http_credentials={"username": "admin", "password": PASSWORD})
    tab = context.new_page()
    try:
        # localhost and 127.0.0.1 are different sites to the browser.
        with tab.expect_response(lambda response: "/v1/settings/projects" in response.url) as answer:
            tab.goto(f"http://localhost:{httpd.server_address[1]}/")
        assert answer.value.status in (401, 403), answer.value.status
        projects = server.get("/v1/settings/projects")["projects"]
        assert slug not in [project["slug"] for project in projects]
    finally:
        context.close()
        httpd.shutdown()

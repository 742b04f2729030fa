"""The official MCP Python SDK (`mcp` 2.3.0 from PyPI) against Sextant's `/mcp` (issue 14).

One run connects over Streamable HTTP with a Data API token, lists the tools and calls every one
against seeded data, checking the structured results; another does the whole OAuth flow through
the client's own OAuth provider (discovery, dynamic registration, PKCE, the consent form posted
with the dashboard password) and calls a tool with the token it was issued. A read-only token
cannot change an issue, and another organization's token sees none of the first one's data."""
import json
import time

import pytest
import requests

from conftest import PASSWORD, Server, run_script, venv_python

KEY = "sx_ingest_mcp_web"
OTHER_KEY = "sx_ingest_mcp_globex"
READ_WRITE = "luc_api_mcp_read_write"
READ_ONLY = "luc_mcp_read_only"
OTHER_ORG = "luc_api_mcp_globex"
CONFIG = {"organizations": [
    {"id": "acme", "name": "Acme",
     "tokens": [{"token": READ_WRITE, "scopes": ["read:lucent", "write:issues"]}, {"token": READ_ONLY, "scopes": ["read:lucent"]}],
     "projects": [{"slug": "web", "keys": [KEY], "monitors": [{"slug": "nightly-report", "schedule": "0 3 * * *"}]}]},
    {"id": "globex", "name": "Globex", "tokens": [{"token": OTHER_ORG, "scopes": ["read:lucent"]}],
     "projects": [{"slug": "billing", "keys": [OTHER_KEY]}]},
]}

TOOLS = {"list_projects", "list_issues", "get_issue", "update_issue_status", "list_signals", "list_insights", "search_logs",
         "get_session_timeline", "search_events", "run_funnel", "get_aggregates", "list_monitors", "query_endpoints",
         "query_database", "list_releases", "get_trace"}

# Shared by the scripts: a client session over Streamable HTTP, with `call` returning the
# structured result (or the error text), and the client's own validation of it against the
# tool's output schema.
PRELUDE = """
import asyncio, json, sys
import httpx2
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

async def connected(url, token=None, auth=None, body=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx2.AsyncClient(headers=headers, auth=auth, timeout=30) as http:
        async with streamable_http_client(url, http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                return await body(session)

async def call(session, name, **arguments):
    result = await session.call_tool(name, arguments)
    if result.is_error:
        return {"error": result.content[0].text}
    return result.structured_content
"""


@pytest.fixture(scope="module")
def python():
    return venv_python("mcp", ["mcp==2.3.0"])


@pytest.fixture()
def server(binary):
    instance = Server(binary, CONFIG)
    yield instance
    instance.stop()


def seed(server):
    """A session with a pageview, an error and a purchase; a log of its user; telemetry."""
    now = int(time.time() * 1000)
    def post(path, body, key=KEY, header="X-SeeStack-Key"):
        response = requests.post(server.base + path, json=body, headers={header: key}, timeout=10)
        assert response.status_code < 300, (path, response.status_code, response.text)
    events = [
        {"ts": now - 5000, "type": "pageview", "name": "pageview", "user_id": "u1", "session_id": "s1", "url": "https://shop.example.com/cart"},
        {"ts": now - 4500, "type": "event", "name": "view_cart", "user_id": "u1", "session_id": "s1", "url": "https://shop.example.com/cart"},
        {"ts": now - 4000, "type": "error", "name": "TypeError", "user_id": "u1", "session_id": "s1", "url": "https://shop.example.com/cart",
         "props": {"message": "price is undefined", "stack": "TypeError: price is undefined\n    at total (https://shop.example.com/app.js:10:5)"}},
    ]
    post("/v1/events", {"app": "web", "key": KEY, "events": events}, header="X-Spyglass-Key")
    post("/ingest/v1/logs", {"level": "error", "message": "checkout failed for cart 77", "service": "api", "userId": "u1"})
    post("/v1/events", {"app": "web", "key": KEY, "events": [
        {"ts": now + 5000, "type": "event", "name": "checkout_done", "user_id": "u1", "session_id": "s1"}]}, header="X-Spyglass-Key")
    post("/ingest/v1/http-requests", {"requests": [{"direction": "inbound", "method": "GET", "host": "api.shop.example.com",
                                                    "path": "/orders/5", "timestamp": "2026-06-01T00:00:00Z", "statusCode": 200, "durationMs": 30}]})
    post("/ingest/v1/db", {"queries": [{"normalizedQuery": "SELECT * FROM orders WHERE id = ?", "durationMs": 12}]})
    post("/ingest/v1/releases", {"version": "shop@3.1.0"})
    post("/ingest/v1/spans", {"spans": [
        {"traceId": "trace-mcp-1", "spanId": "root", "operation": "http.server", "description": "POST /checkout", "status": "ok",
         "startTimeMillis": now, "endTimeMillis": now + 40, "durationMs": 40},
        {"traceId": "trace-mcp-1", "spanId": "db", "parentSpanId": "root", "operation": "db", "description": "SELECT 1", "status": "ok",
         "startTimeMillis": now + 5, "endTimeMillis": now + 15, "durationMs": 10}]})
    post("/v1/events", {"app": "billing", "key": OTHER_KEY, "events": [
        {"ts": now, "type": "error", "name": "BillingError", "user_id": "g1", "session_id": "g1",
         "props": {"message": "invoice failed", "stack": "BillingError: invoice failed\n    at bill (https://billing.example.com/b.js:1:1)"}}]},
         key=OTHER_KEY, header="X-Spyglass-Key")
    server.wait_for(lambda: any(issue["title"].startswith("TypeError") for issue in server.get("/v1/issues", status="")["issues"]))


def test_every_tool_over_streamable_http_with_a_token(python, server):
    seed(server)
    output = run_script(python, PRELUDE + f"""
async def everything(session):
    tools = await session.list_tools()
    results = {{"tools": sorted(tool.name for tool in tools.tools),
                "annotations": {{tool.name: tool.annotations.read_only_hint for tool in tools.tools}},
                "schemas": all(tool.output_schema and tool.input_schema for tool in tools.tools)}}
    results["list_projects"] = await call(session, "list_projects")
    issues = await call(session, "list_issues", status="unresolved")
    results["list_issues"] = issues
    issue_id = next(issue["id"] for issue in issues["issues"] if issue["title"].startswith("TypeError"))
    results["get_issue"] = await call(session, "get_issue", issue_id=issue_id)
    results["update_issue_status"] = await call(session, "update_issue_status", issue_id=issue_id, status="resolved")
    results["list_signals"] = await call(session, "list_signals")
    results["list_insights"] = await call(session, "list_insights")
    results["search_logs"] = await call(session, "search_logs", query="checkout failed")
    results["get_session_timeline"] = await call(session, "get_session_timeline", session_id="s1")
    results["search_events"] = await call(session, "search_events", type="error")
    results["run_funnel"] = await call(session, "run_funnel", steps=["view_cart", "checkout_done"])
    results["get_aggregates"] = await call(session, "get_aggregates")
    results["list_monitors"] = await call(session, "list_monitors")
    results["query_endpoints"] = await call(session, "query_endpoints", direction="inbound")
    results["query_database"] = await call(session, "query_database")
    results["list_releases"] = await call(session, "list_releases")
    results["get_trace"] = await call(session, "get_trace", trace_id="trace-mcp-1")
    results["bad_argument"] = await call(session, "search_events", type="nonsense")
    results["wrong_project"] = await call(session, "search_logs", project="billing")
    return results

async def read_only(session):
    issues = await call(session, "list_issues")
    issue_id = next(issue["id"] for issue in issues["issues"] if issue["title"].startswith("TypeError"))
    return await call(session, "update_issue_status", issue_id=issue_id, status="transient")

async def other_organization(session):
    return {{"issues": await call(session, "list_issues"), "projects": await call(session, "list_projects")}}

url = "{server.base}/mcp"
print(json.dumps({{
    "read_write": asyncio.run(connected(url, "{READ_WRITE}", body=everything)),
    "read_only": asyncio.run(connected(url, "{READ_ONLY}", body=read_only)),
    "other": asyncio.run(connected(url, "{OTHER_ORG}", body=other_organization)),
}}))
""")
    results = json.loads(output.strip().splitlines()[-1])
    everything = results["read_write"]
    assert set(everything["tools"]) == TOOLS, everything["tools"]
    assert everything["schemas"] and everything["annotations"]["update_issue_status"] is False and everything["annotations"]["list_issues"] is True
    assert everything["list_projects"]["projects"] == [{"slug": "web", "name": "web"}] or \
        [project["slug"] for project in everything["list_projects"]["projects"]] == ["web"], everything["list_projects"]
    issue = everything["get_issue"]
    assert issue["issue"]["title"].startswith("TypeError") and issue["issue"]["sampleSessionId"] == "s1", issue
    assert any("total" in line for line in issue["issue"]["stack"]), issue
    assert issue["issue"]["stepsToReplicate"], issue
    assert everything["update_issue_status"]["issue"]["status"] == "resolved"
    assert "signals" in everything["list_signals"] and "insights" in everything["list_insights"]
    assert [log["message"] for log in everything["search_logs"]["logs"]] == ["checkout failed for cart 77"]
    timeline = everything["get_session_timeline"]
    kinds = [entry["kind"] for entry in timeline["timeline"]]
    assert kinds == ["pageview", "event", "error", "log", "event"], timeline
    assert timeline["session"]["session_id"] == "s1"
    assert [event["name"] for event in everything["search_events"]["events"]] == ["TypeError"]
    assert [step["count"] for step in everything["run_funnel"]["steps"]] == [1, 1]
    assert everything["get_aggregates"]["dau"] and everything["get_aggregates"]["top_events"]
    assert [monitor["slug"] for monitor in everything["list_monitors"]["monitors"]] == ["nightly-report"]
    assert [endpoint["path"] for endpoint in everything["query_endpoints"]["endpoints"]] == ["/orders/:id"]
    assert everything["query_database"]["queries"][0]["normalized_query"] == "SELECT * FROM orders WHERE id = ?"
    assert [release["version"] for release in everything["list_releases"]["releases"]] == ["shop@3.1.0"]
    assert [(span["span_id"], span["depth"]) for span in everything["get_trace"]["spans"]] == [("root", 0), ("db", 1)]
    assert "type" in everything["bad_argument"]["error"]
    assert "no project billing" in everything["wrong_project"]["error"]
    # A read-only token is refused with the scope named; the issue is untouched.
    assert "write:issues" in results["read_only"]["error"], results["read_only"]
    # Globex sees its own issue and project only.
    other = results["other"]
    assert [issue["title"].split(":")[0] for issue in other["issues"]["issues"]] == ["BillingError"], other
    assert [project["slug"] for project in other["projects"]["projects"]] == ["billing"]


def test_oauth_discovery_registration_and_pkce_through_the_client(python, server):
    seed(server)
    output = run_script(python, PRELUDE + f"""
import base64, re, urllib.parse, urllib.request
from mcp.client.auth import OAuthClientProvider, AuthorizationCodeResult
from mcp.shared.auth import OAuthClientMetadata

class Memory:
    def __init__(self): self.tokens = None; self.client = None
    async def get_tokens(self): return self.tokens
    async def set_tokens(self, tokens): self.tokens = tokens
    async def get_client_info(self): return self.client
    async def set_client_info(self, client): self.client = client

class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs): return None

answer = {{}}
basic = "Basic " + base64.b64encode(b"admin:{PASSWORD}").decode()

async def approve(authorization_url):
    # The person at the consent page: signs in with the dashboard password and approves for Acme.
    page = urllib.request.urlopen(urllib.request.Request(authorization_url, headers={{"Authorization": basic}})).read().decode()
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    form = {{name: value.replace("&amp;", "&").replace("&quot;", '"') for name, value in form.items()}}
    form.update(decision="approve", organization="acme")
    opener = urllib.request.build_opener(NoRedirects)
    request = urllib.request.Request("{server.base}/oauth/authorize", data=urllib.parse.urlencode(form).encode(),
                                     headers={{"Authorization": basic, "Content-Type": "application/x-www-form-urlencoded"}})
    try:
        opener.open(request)
        raise SystemExit("the consent form did not redirect")
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 302, redirect.code
        query = urllib.parse.parse_qs(urllib.parse.urlparse(redirect.headers["Location"]).query)
        answer.update(code=query["code"][0], state=query["state"][0])

async def callback():
    return AuthorizationCodeResult(code=answer["code"], state=answer["state"])

storage = Memory()
provider = OAuthClientProvider(
    server_url="{server.base}/mcp",
    client_metadata=OAuthClientMetadata(client_name="pytest agent", redirect_uris=["http://127.0.0.1:33418/callback"],
                                        grant_types=["authorization_code", "refresh_token"], response_types=["code"],
                                        token_endpoint_auth_method="none"),
    storage=storage, redirect_handler=approve, callback_handler=callback)

async def some_issues(session):
    return await call(session, "list_issues")

issues = asyncio.run(connected("{server.base}/mcp", auth=provider, body=some_issues))
print(json.dumps({{"issues": issues, "token": storage.tokens.access_token[:8], "client": storage.client.client_id[:11]}}))
""")
    result = json.loads(output.strip().splitlines()[-1])
    assert result["token"] == "luc_oat_" and result["client"] == "luc_client_", result
    assert any(issue["title"].startswith("TypeError") for issue in result["issues"]["issues"]), result


def test_transport_answers_without_a_client(server):
    """What the client does not show: 401 with the resource metadata, batches, notifications, sessions."""
    unauthorized = requests.post(server.base + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"}, timeout=10)
    assert unauthorized.status_code == 401
    assert 'resource_metadata="' + server.base + '/.well-known/oauth-protected-resource/mcp"' in unauthorized.headers["WWW-Authenticate"]
    metadata = requests.get(server.base + "/.well-known/oauth-protected-resource/mcp", timeout=10).json()
    assert metadata["resource"] == server.base + "/mcp" and metadata["authorization_servers"] == [server.base]
    headers = {"Authorization": f"Bearer {READ_WRITE}", "Accept": "application/json, text/event-stream"}
    opened = requests.post(server.base + "/mcp", headers=headers, timeout=10, json={
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}})
    assert opened.status_code == 200 and opened.json()["result"]["protocolVersion"] == "2025-06-18"
    session = opened.headers["Mcp-Session-Id"]
    headers.update({"Mcp-Session-Id": session, "MCP-Protocol-Version": "2025-06-18"})
    notified = requests.post(server.base + "/mcp", headers=headers, json={"jsonrpc": "2.0", "method": "notifications/initialized"}, timeout=10)
    assert notified.status_code == 202 and not notified.content
    batch = requests.post(server.base + "/mcp", headers=headers, timeout=10, json=[
        {"jsonrpc": "2.0", "id": "a", "method": "ping"}, {"jsonrpc": "2.0", "id": 2, "method": "nope"},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "no_such_tool"}}])
    answers = {answer["id"]: answer for answer in batch.json()}
    assert answers["a"]["result"] == {} and answers[2]["error"]["code"] == -32601 and answers[3]["error"]["code"] == -32602
    events = requests.post(server.base + "/mcp", headers=dict(headers, Accept="text/event-stream"), timeout=10,
                           json={"jsonrpc": "2.0", "id": 9, "method": "ping"})
    assert events.headers["Content-Type"] == "text/event-stream" and events.text.startswith("event: message\ndata: ")
    assert requests.get(server.base + "/mcp", headers=headers, timeout=10).status_code == 405
    assert requests.post(server.base + "/mcp", headers=dict(headers, Origin="https://evil.example"), timeout=10,
                         json={"jsonrpc": "2.0", "id": 1, "method": "ping"}).status_code == 403
    assert requests.delete(server.base + "/mcp", headers=headers, timeout=10).status_code == 200
    assert requests.post(server.base + "/mcp", headers=headers, timeout=10,
                         json={"jsonrpc": "2.0", "id": 1, "method": "ping"}).status_code == 404

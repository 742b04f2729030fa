"""Generated inputs against every wire decoder and query parameter (issue 9): each field of a
valid body in turn gets extreme numbers, wrong types and odd strings; every read endpoint gets
the same in its parameters. Then the background analyzers run (timers lowered through the
environment) over whatever was stored. The process must still be alive, with no 5xx at all."""
import copy
import gzip
import itertools
import json
import random
import os
import tempfile
import time

import requests

from conftest import Server

KEY = "sg_live_fuzz"
LUCENT = "luc_pk_fuzz"
SEESTACK = "seestack_live_fuzz"
LUMINALOG = "ll_fuzz"
PASSWORD = "fuzz-pw"
CONFIG = {
    "dashboard_password": PASSWORD,
    "organizations": [{"id": "acme", "tokens": [{"token": "luc_api_fuzz_token", "scopes": ["read:lucent", "write:issues"]}],
                       "projects": [{"slug": "web", "keys": [KEY, LUCENT, SEESTACK, LUMINALOG],
                                     "rate_limit": {"requests_per_second": 100000, "burst": 100000},
                                     "monitors": [{"slug": "nightly", "schedule": "0 3 * * *", "grace_seconds": 1}]}]}],
}
TS = 1_781_395_200_000
ODD = [1e19, -1e19, 1e300, -1e300, -9223372036854775808, 9223372036854775807, 18446744073709551616, 1.5, -1, 0, True, None,
       "", "x", "1e19", "\u0000", "é" * 300, "../../etc/passwd", "%00", [], [1, "a", None], {}, {"a": {"b": [1e300]}}]
QUERY_VALUES = ["", "x", "-1", "0", "1e19", "-9223372036854775808", "9223372036854775807", "99999999999999999999", "1.5",
                "%00", "'; DROP TABLE events;--", "a" * 5000, "2026-13-45", ",,,", "\u00e9"]


def rrweb(ts):
    return [{"type": 4, "timestamp": ts, "data": {"href": "https://shop.example.com/", "width": 1280, "height": 720}},
            {"type": 2, "timestamp": ts + 1, "data": {"node": {"type": 0, "id": 1, "childNodes": []}}},
            {"type": 3, "timestamp": ts + 200, "data": {"source": 2, "type": 2, "id": 1, "x": 5, "y": 5}},
            {"type": 3, "timestamp": ts + 300, "data": {"source": 2, "type": 2, "id": 1, "x": 5, "y": 5}},
            {"type": 3, "timestamp": ts + 400, "data": {"source": 2, "type": 2, "id": 1, "x": 5, "y": 5}}]


SENTRY_AUTH = (("X-Sentry-Auth", f"Sentry sentry_key={KEY}, sentry_version=7"),)
SENTRY_ITEMS = {
    "event": {"event_id": "0" * 32, "timestamp": TS / 1000, "level": "error", "platform": "python", "release": "r@1",
              "exception": {"values": [{"type": "ValueError", "value": "bad", "stacktrace": {"frames": [
                  {"filename": "app.py", "function": "f", "lineno": 3, "colno": 1, "in_app": True}]}}]},
              "user": {"id": "u1"}, "tags": {"a": "b"}, "contexts": {"trace": {"trace_id": "t1", "span_id": "s1"}},
              "breadcrumbs": {"values": [{"message": "m"}]}, "fingerprint": ["x"], "request": {"url": "https://shop.example.com/"}},
    "transaction": {"type": "transaction", "transaction": "GET /", "start_timestamp": TS / 1000, "timestamp": TS / 1000 + 0.1,
                    "contexts": {"trace": {"trace_id": "t1", "span_id": "root", "op": "http", "status": "ok"}},
                    "spans": [{"span_id": "c1", "parent_span_id": "root", "op": "db", "start_timestamp": TS / 1000, "timestamp": TS / 1000}]},
    "check_in": {"check_in_id": "c", "monitor_slug": "sentry-cron", "status": "ok", "duration": 1.5,
                 "monitor_config": {"schedule": {"type": "interval", "value": 1, "unit": "hour"}, "checkin_margin": 5}},
    "log": {"items": [{"timestamp": TS / 1000, "level": "info", "body": "b", "trace_id": "t1",
                       "attributes": {"sentry.environment": {"value": "prod", "type": "string"}}}]},
    "session": {"sid": "s", "did": "u", "started": "2026-06-14T00:00:00Z", "status": "exited", "duration": 3,
                "attrs": {"release": "r@1", "environment": "prod"}},
    "sessions": {"attrs": {"release": "r@1"}, "aggregates": [{"started": "2026-06-14T00:00:00Z", "exited": 2, "crashed": 1}]},
}

BODIES = {
    ("/v1/events", ()): {"app": "web", "key": KEY, "events": [
        {"ts": TS, "type": "error", "name": "TypeError", "user_id": "u1", "session_id": "s1", "url": "https://shop.example.com/x",
         "props": {"message": "boom", "stack": "TypeError: boom\n    at f (https://shop.example.com/a.js:1:2)"}}]},
    ("/api/sdk/replay", (("X-Lucent-Api-Key", LUCENT),)): {
        "session": {"id": "lucent-fuzz", "windowId": "w1", "startedAt": TS, "lastActivityAt": TS + 5000, "url": "https://shop.example.com/"},
        "user": {"anonymousId": "anon-1", "id": "u1", "properties": None},
        "page": {"url": "https://shop.example.com/cart", "referrer": None, "viewport": {"width": 1280, "height": 720}},
        "replay": {"events": rrweb(TS), "sequence": 0}, "metadata": {"userAgent": "fuzz", "language": "en"}, "flush": "final"},
    ("/ingest/v1/replay", (("X-SeeStack-Key", SEESTACK),)): {"fingerprint": "fp", "sessionId": "ss-fuzz", "events": [
        {"eventType": "click", "eventData": "{\"target\":\"button\"}", "url": "/checkout", "timestampMillis": TS}]},
    ("/ingest/v1/errors", (("X-SeeStack-Key", SEESTACK),)): {
        "exceptionClass": "ValueError", "message": "bad", "stackTrace": ["at f (a.py:1)"], "level": "error", "environment": "prod",
        "release": "1.0", "sessionId": "ss-fuzz", "user": {"id": "u1"}, "metadata": {"url": "/x"}, "traceId": "t1",
        "requestContext": {"method": "GET"}, "breadcrumbs": [{"type": "nav", "message": "x"}]},
    ("/ingest/v1/logs", (("X-SeeStack-Key", SEESTACK),)): {
        "level": "error", "message": "log line", "service": "api", "traceId": "t", "environment": "prod", "spanId": "s",
        "requestId": "r", "userId": "u", "metadata": {"a": 1}},
    ("/ingest/v1/http-requests", (("X-SeeStack-Key", SEESTACK),)): {"requests": [
        {"direction": "inbound", "method": "GET", "host": "h", "path": "/a/1", "timestamp": "2026-06-14T00:00:00Z", "statusCode": 200,
         "durationMs": 5, "requestSize": 1, "responseSize": 2, "traceId": "t", "userId": "u", "errorFingerprint": "f"}]},
    ("/ingest/v1/heartbeat", (("X-SeeStack-Key", SEESTACK),)): {"slug": "nightly", "status": "success", "durationMs": 100, "message": "ok"},
    ("/ingest/v1/spans", (("X-SeeStack-Key", SEESTACK),)): {"spans": [
        {"traceId": "t", "spanId": "s", "parentSpanId": "p", "operation": "op", "description": "d", "status": "ok", "durationMs": 3,
         "startTimeMillis": TS, "endTimeMillis": TS + 3, "service": "api", "environment": "prod", "tags": {"a": "b"}, "data": {"x": 1}}]},
    ("/ingest/v1/releases", (("X-SeeStack-Key", SEESTACK),)): {
        "version": "shop@1.0", "environment": "prod", "commitSha": "abc", "branch": "main", "author": "a", "message": "m"},
    ("/ingest/v1/sessions/start", (("X-SeeStack-Key", SEESTACK),)): {
        "sessionId": "rs-fuzz", "release": "shop@1.0", "environment": "prod", "userId": "u1", "sdkName": "allstak-python",
        "sdkVersion": "0.2.1", "platform": "python"},
    ("/ingest/v1/sessions/end", (("X-SeeStack-Key", SEESTACK),)): {"sessionId": "rs-fuzz", "durationMs": 100, "status": "errored"},
    ("/ingest/v1/db", (("X-SeeStack-Key", SEESTACK),)): {"queries": [
        {"normalizedQuery": "SELECT * FROM t WHERE id = ?", "queryHash": "h", "queryType": "SELECT", "durationMs": 2.5,
         "timestampMillis": TS, "status": "success", "errorMessage": "", "databaseName": "d", "databaseType": "postgresql",
         "service": "api", "environment": "prod", "traceId": "t", "spanId": "s", "parentSpanId": "p", "rowsAffected": 1}]},
    ("/mcp", (("Authorization", "Bearer luc_api_fuzz_token"),)): {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {
        "name": "search_events", "arguments": {"project": "web", "type": "error", "session_id": "s1", "limit": 10, "from": 0, "to": TS}}},
    ("/mcp", (("Authorization", "Bearer luc_api_fuzz_token"), ("Accept", "text/event-stream"))): [
        {"jsonrpc": "2.0", "id": "f", "method": "tools/call", "params": {"name": "run_funnel", "arguments": {
            "project": "web", "steps": ["view", "buy"], "window_seconds": 60}}},
        {"jsonrpc": "2.0", "id": "t", "method": "tools/call", "params": {"name": "get_session_timeline", "arguments": {"session_id": "s1"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"}],
    ("/api/1/store/", SENTRY_AUTH): SENTRY_ITEMS["event"],
    ("/v1/traces", (("Authorization", f"Bearer {KEY}"),)): {"resourceSpans": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "api"}}]},
        "scopeSpans": [{"scope": {"name": "s"}, "spans": [{
            "traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174", "parentSpanId": "eee19b7ec3c1b173", "name": "GET /",
            "kind": 2, "startTimeUnixNano": str(TS * 1_000_000), "endTimeUnixNano": str(TS * 1_000_000 + 5_000_000), "status": {"code": 2},
            "attributes": [{"key": "http.request.method", "value": {"stringValue": "GET"}}, {"key": "n", "value": {"intValue": "3"}}],
            "events": [{"name": "exception", "timeUnixNano": str(TS * 1_000_000), "attributes": [
                {"key": "exception.type", "value": {"stringValue": "ValueError"}},
                {"key": "exception.stacktrace", "value": {"stringValue": "Traceback\n  File \"a.py\", line 1, in f"}}]}]}]}]}]},
    ("/v1/logs", (("x-sextant-key", KEY),)): {"resourceLogs": [{"scopeLogs": [{"logRecords": [{
        "timeUnixNano": str(TS * 1_000_000), "severityNumber": 17, "severityText": "ERROR", "body": {"stringValue": "m"},
        "traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174",
        "attributes": [{"key": "exception.type", "value": {"stringValue": "E"}}, {"key": "list", "value": {"arrayValue": {"values": [
            {"doubleValue": 1.5}, {"kvlistValue": {"values": [{"key": "k", "value": {"boolValue": True}}]}}]}}}]}]}]}]},
    ("/v1/metrics", (("x-api-key", KEY),)): {"resourceMetrics": [{"scopeMetrics": [{"metrics": [
        {"name": "orders", "unit": "1", "sum": {"aggregationTemporality": 2, "isMonotonic": True, "dataPoints": [
            {"timeUnixNano": str(TS * 1_000_000), "asInt": "4", "attributes": [{"key": "region", "value": {"stringValue": "eu"}}]}]}},
        {"name": "latency", "histogram": {"aggregationTemporality": 1, "dataPoints": [
            {"timeUnixNano": str(TS * 1_000_000), "count": "3", "sum": 9.5, "min": 1, "max": 5, "bucketCounts": ["1", "2"], "explicitBounds": [2]}]}},
        {"name": "load", "gauge": {"dataPoints": [{"timeUnixNano": str(TS * 1_000_000), "asDouble": 0.5}]}}]}]}]},
    ("/batch/", ()): {"api_key": KEY, "sent_at": "2026-06-14T00:00:10Z", "batch": [
        {"event": "$pageview", "distinct_id": "ph-1", "timestamp": "2026-06-14T00:00:01Z",
         "properties": {"$current_url": "https://shop.example.com/", "$session_id": "ph-s", "$set": {"plan": "pro"}, "$set_once": {"a": 1}}},
        {"event": "$exception", "distinct_id": "ph-1", "properties": {"$exception_list": [{"type": "TypeError", "value": "x",
            "stacktrace": {"frames": [{"filename": "a.js", "function": "f", "lineno": 1, "colno": 2, "in_app": True}]}}],
            "$exception_level": "error", "$exception_fingerprint": "fp"}},
        {"event": "$set", "distinct_id": 42, "$set": {"email": "e"}, "offset": 100}]},
    ("/s/", ()): [{"event": "$snapshot", "properties": {"token": KEY, "distinct_id": "ph-1", "$session_id": "ph-s",
                                                         "$snapshot_data": rrweb(TS)}}],
    ("/v1/logs", (("x-api-key", LUMINALOG),)): {"logs": [
        {"timestamp": "2026-02-01T10:00:00Z", "level": "error", "message": "m", "environment": "prod", "service": "s",
         "project_id": "p", "trace_id": "t", "span_id": "s", "parent_span_id": "p", "privacy_mode": False, "metadata": {"a": 1},
         "error": {"type": "E", "message": "boom", "stack_trace": ["at f (a.ts:1)"], "fingerprint": "fp"}}]},
}

READS = ["/v1/query/events", "/v1/query/users", "/v1/query/sessions", "/v1/query/funnel", "/v1/query/aggregates",
         "/v1/query/logs", "/v1/query/requests", "/v1/query/db", "/v1/query/traces", "/v1/traces/t1", "/v1/releases", "/v1/monitors", "/v1/issues", "/v1/insights",
         "/v1/signals", "/v1/query/metrics", "/v1/query/metrics?name=orders",
         "/v1/query/trends?event=view,buy", "/v1/query/trends?event=view&breakdown=props.plan&measure=users",
         "/v1/query/retention?start_event=view&return_event=buy", "/v1/query/paths?start=view",
         "/v1/query/funnel?times=true&dropoff=1"]
READ_PARAMS = ["from", "to", "limit", "app", "type", "name", "user", "session", "steps", "window", "q", "level", "environment",
               "status", "kind", "cursor", "after", "direction", "database_type", "interval", "measure", "breakdown", "period",
               "periods", "start", "steps", "offset", "dropoff", "times", "event"]


def paths(value, prefix=()):
    """Every path to a leaf or container in a JSON value."""
    yield prefix
    if isinstance(value, dict):
        for key, member in value.items():
            yield from paths(member, prefix + (key,))
    elif isinstance(value, list):
        for index, member in enumerate(value):
            yield from paths(member, prefix + (index,))


def replaced(body, path, value):
    copy_ = copy.deepcopy(body)
    if not path:
        return value
    target = copy_
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return copy_


def test_every_decoder_and_parameter_survives_generated_input(binary):
    work = tempfile.mkdtemp(prefix="sextant-fuzz-")
    os.environ.update(SEXTANT_REPLAY_QUIET_SECONDS="0", SEXTANT_REPLAY_ANALYSIS_INTERVAL_SECONDS="0.2",
                      SEXTANT_INSIGHT_INTERVAL_SECONDS="0.5", SEXTANT_MONITOR_INTERVAL_SECONDS="0.2", SEXTANT_ALERT_INTERVAL_SECONDS="0.2")
    server = Server(binary, work + "/data", CONFIG, work)
    failures = []
    sent = 0
    session = requests.Session()

    def check(response, what):
        if response.status_code >= 500:
            failures.append(f"{what}: {response.status_code} {response.text[:200]}")

    try:
        for (path, headers), body in BODIES.items():
            for field, value in itertools.product(list(paths(body)), ODD):
                payload = replaced(body, field, value)
                data = json.dumps(payload).encode()
                if sent % 3 == 0:
                    data = gzip.compress(data)
                    extra = {"Content-Encoding": "gzip"}
                else:
                    extra = {}
                response = session.post(server.base + path, data=data, headers={"Content-Type": "application/json", **dict(headers), **extra},
                                        timeout=30)
                check(response, f"POST {path} {field}={value!r:.40}")
                sent += 1
        # Sentry envelopes: every field of every item type, and the envelope's own framing.
        for item_type, item in SENTRY_ITEMS.items():
            for field, value in itertools.product(list(paths(item)), ODD):
                payload = json.dumps(replaced(item, field, value)).encode()
                for framed in (payload, None):
                    header = {"type": item_type, "length": len(payload)} if framed is not None else {"type": item_type}
                    body = b'{"event_id":"' + b"1" * 32 + b'"}\n' + json.dumps(header).encode() + b"\n" + payload + b"\n"
                    response = session.post(server.base + "/api/1/envelope/", data=body, headers=dict(SENTRY_AUTH), timeout=30)
                    check(response, f"envelope {item_type} {field}={value!r:.40}")
        for broken in [b"", b"\n", b"{}\n{\"type\":\"event\",\"length\":99999999999}\n{}", b"{}\n{\"type\":\"event\",\"length\":-1}\n",
                       b"{}\n" * 200, b"{}\n{\"type\":\"event\"}\n" + b"[" * 5000]:
            check(session.post(server.base + "/api/1/envelope/", data=broken, headers=dict(SENTRY_AUTH), timeout=30), f"envelope {broken[:40]!r}")
        # OTLP protobuf and PostHog's other encodings: seeded random bytes, truncations and odd compressions.
        generator = random.Random(13)
        for route in ["/v1/traces", "/v1/logs", "/v1/metrics"]:
            for length in [0, 1, 2, 5, 17, 200, 4000]:
                body = bytes(generator.randrange(256) for _ in range(length))
                for framed in (body, b"\x0a" + bytes([min(length, 127)]) + body, gzip.compress(body)):
                    response = session.post(server.base + route, data=framed, timeout=30, headers={
                        "Content-Type": "application/x-protobuf", "Authorization": f"Bearer {KEY}"})
                    check(response, f"POST {route} protobuf {framed[:20]!r}")
        for query, body in [("compression=lz64", b"NobwRApgbhB2AuYBcACMASADgQwObQEsIB3MAGjUwCcB7TCK"), ("compression=lz64", b"A" * 3000),
                            ("compression=lz64", bytes(generator.randrange(33, 127) for _ in range(500))), ("compression=gzip-js", b"\x1f\x8b\x08"),
                            ("", b"data=" + b"%ZZ" * 10), ("", b"data=e30"), ("compression=base64", b"data=!!!")]:
            response = session.post(f"{server.base}/e/?token={KEY}&{query}", data=body, timeout=30,
                                    headers={"Content-Type": "application/x-www-form-urlencoded" if body.startswith(b"data=") else "text/plain"})
            check(response, f"POST /e/?{query} {body[:20]!r}")
        # spyglass replay: query parameters and the chunk's own numbers.
        chunk = rrweb(TS)
        for name, value in itertools.product(["session", "seq", "app", "ts", "key"], QUERY_VALUES):
            params = {"session": "sg-fuzz", "seq": "1", "app": "web", name: value}
            response = session.post(server.base + "/v1/replay", params=params, data=json.dumps(chunk),
                                    headers={"X-Spyglass-Key": KEY}, timeout=30)
            check(response, f"POST /v1/replay {name}={value[:40]!r}")
        for index, field in itertools.product(range(len(chunk)), ["type", "timestamp", "data"]):
            for value in ODD:
                events = copy.deepcopy(chunk)
                events[index][field] = value
                response = session.post(server.base + "/v1/replay", params={"session": f"sg-{index}-{field}", "seq": "1", "app": "web"},
                                        data=json.dumps(events), headers={"X-Spyglass-Key": KEY}, timeout=30)
                check(response, f"POST /v1/replay events[{index}].{field}={value!r:.40}")
        for read, name, value in itertools.product(READS, READ_PARAMS, QUERY_VALUES):
            response = session.get(server.base + read, params={name: value, "steps": "view,buy"} if name != "steps" else {name: value},
                                   auth=("admin", PASSWORD), timeout=30)
            check(response, f"GET {read}?{name}={value[:40]!r}")
        for name, value in itertools.product(["limit", "cursor", "status", "kind", "priority"], QUERY_VALUES):
            response = session.get(server.base + "/api/v1/issues", params={name: value},
                                   headers={"Authorization": "Bearer luc_api_fuzz_token"}, timeout=30)
            check(response, f"GET /api/v1/issues?{name}={value[:40]!r}")
        for name, value in itertools.product(["projectId", "userId", "attributes"], QUERY_VALUES):
            for path in ["/api/v1/flags/evaluate", "/api/v1/flags/some-flag/evaluate", "/api/v1/flags/%zz/evaluate"]:
                response = session.get(server.base + path, params={name: value}, headers={"Authorization": "Bearer luc_api_fuzz_token"}, timeout=30)
                check(response, f"GET {path}?{name}={value[:40]!r}")
        for session_id in ["sg-fuzz", "lucent-fuzz", "ss-fuzz", "%2e%2e", "a%00b", "%zz"]:
            check(session.get(server.base + f"/v1/sessions/{session_id}/replay", auth=("admin", PASSWORD), timeout=30), f"manifest {session_id}")
        # Let every background service pass over what was stored, several times.
        time.sleep(4)
        check(session.get(server.base + "/v1/query/sessions", auth=("admin", PASSWORD), timeout=30), "sessions after analysis")
        check(session.get(server.base + "/v1/issues", params={"status": ""}, auth=("admin", PASSWORD), timeout=30), "issues after analysis")
        assert server.process.poll() is None, "the server died: " + server.log_path.read_text()[-3000:]
    finally:
        for name in ["SEXTANT_REPLAY_QUIET_SECONDS", "SEXTANT_REPLAY_ANALYSIS_INTERVAL_SECONDS", "SEXTANT_INSIGHT_INTERVAL_SECONDS",
                     "SEXTANT_MONITOR_INTERVAL_SECONDS", "SEXTANT_ALERT_INTERVAL_SECONDS"]:
            os.environ.pop(name, None)
        server.stop()
    assert not failures, f"{len(failures)} 5xx answers, first: {failures[:10]}"
    assert sent > 1000

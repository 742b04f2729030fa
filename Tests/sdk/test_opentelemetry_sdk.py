"""opentelemetry-sdk with the OTLP/HTTP protobuf exporters 1.45 from PyPI, pointed at Sextant by
OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_HEADERS only (issue 13): logs through Python's
logging (an exception among them), a trace with nested spans and a recorded exception, a counter
and a histogram. Then the same three signals as OTLP/JSON, sent with curl. Each is
asserted through Sextant's read APIs."""
import gzip
import json
import subprocess
import time

import pytest
import requests

from conftest import Server, run_script, venv_python

KEY = "otelkey0123456789abcdef"
CONFIG = {"organizations": [{"id": "acme", "projects": [{"slug": "shop", "keys": [KEY]}]}]}
PACKAGES = ["opentelemetry-sdk==1.45.0", "opentelemetry-exporter-otlp-proto-http==1.45.0"]


@pytest.fixture(scope="module")
def python():
    return venv_python("opentelemetry", PACKAGES)


@pytest.fixture()
def server(binary):
    instance = Server(binary, CONFIG)
    yield instance
    instance.stop()


def test_protobuf_exporters_store_logs_traces_and_metrics(python, server):
    output = run_script(python, """
        import logging, sys, time
        from opentelemetry import metrics, trace
        from opentelemetry._logs import set_logger_provider
        from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
        from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor

        resource = Resource.create({"service.name": "checkout", "deployment.environment": "staging", "service.version": "3.1.0"})
        tracer_provider = TracerProvider(resource=resource)
        tracer_provider.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter()))
        trace.set_tracer_provider(tracer_provider)
        logger_provider = LoggerProvider(resource=resource)
        logger_provider.add_log_record_processor(SimpleLogRecordProcessor(OTLPLogExporter()))
        set_logger_provider(logger_provider)
        reader = PeriodicExportingMetricReader(OTLPMetricExporter(), export_interval_millis=3_600_000)
        meter_provider = MeterProvider(resource=resource, metric_readers=[reader])
        metrics.set_meter_provider(meter_provider)

        log = logging.getLogger("shop.orders")
        log.setLevel(logging.INFO)
        log.addHandler(LoggingHandler(level=logging.INFO, logger_provider=logger_provider))
        tracer = trace.get_tracer("shop")
        meter = metrics.get_meter("shop")
        orders = meter.create_counter("orders_placed", unit="1")
        latency = meter.create_histogram("checkout_latency", unit="ms")

        def reserve_stock():
            raise ValueError("out of stock: sku-42")

        with tracer.start_as_current_span("POST /checkout", kind=trace.SpanKind.SERVER,
                                          attributes={"http.request.method": "POST", "enduser.id": "user-9"}) as root:
            with tracer.start_as_current_span("SELECT orders", attributes={"db.system": "postgresql"}):
                time.sleep(0.01)
            with tracer.start_as_current_span("reserve", attributes={"enduser.id": "user-9"}) as reserve:
                try:
                    reserve_stock()
                except ValueError as error:
                    reserve.record_exception(error)
                    reserve.set_status(trace.Status(trace.StatusCode.ERROR, "no stock"))
            log.info("order placed", extra={"order_id": "5001"})
            print("TRACE", format(root.get_span_context().trace_id, "032x"))
        try:
            reserve_stock()
        except ValueError:
            log.exception("reservation failed")
        log.warning("inventory sync is slow")
        for amount in (1, 2, 3):
            orders.add(amount, {"region": "eu"})
        orders.add(10, {"region": "us"})
        for value in (12.0, 30.0, 48.0):
            latency.record(value)

        assert tracer_provider.force_flush(10_000) and logger_provider.force_flush(10_000)
        assert meter_provider.force_flush(10_000)
        tracer_provider.shutdown(); logger_provider.shutdown(); meter_provider.shutdown()
    """, env={"OTEL_EXPORTER_OTLP_ENDPOINT": server.base, "OTEL_EXPORTER_OTLP_HEADERS": f"x-sextant-key={KEY}",
              "OTEL_EXPORTER_OTLP_COMPRESSION": "gzip"})
    trace_id = next(line.split()[1] for line in output.splitlines() if line.startswith("TRACE"))

    # Each export answered 200 before the script ended, so everything is committed now.
    detail = server.get(f"/v1/traces/{trace_id}")
    spans = {span["description"]: span for span in detail["spans"]}
    assert set(spans) == {"POST /checkout", "SELECT orders", "reserve"}, detail["spans"]
    assert spans["POST /checkout"]["depth"] == 0 and spans["SELECT orders"]["depth"] == 1, detail["spans"]
    assert spans["POST /checkout"]["operation"] == "http.server" and spans["SELECT orders"]["operation"] == "db"
    assert spans["reserve"]["status"] == "error" and spans["POST /checkout"]["service"] == "checkout"
    assert spans["SELECT orders"]["duration_ms"] >= 10, spans["SELECT orders"]

    issues = {issue["title"]: issue for issue in server.get("/v1/issues", status="", kind="error")["issues"]}
    assert "ValueError: out of stock: sku-42" in issues, list(issues)
    span_error = next(event for event in server.get("/v1/query/events", type="error", name="ValueError")["events"]
                      if event["props"].get("traceId") == trace_id)
    assert span_error["user_id"] == "user-9" and span_error["props"]["release"] == "3.1.0", span_error
    assert any("reserve_stock" in line for line in span_error["props"]["stack"]), span_error["props"]["stack"]

    logs = {log["message"]: log for log in server.get("/v1/query/logs", app="shop")["logs"]}
    placed = logs["order placed"]
    assert placed["level"] == "info" and placed["service"] == "checkout" and placed["environment"] == "staging", placed
    assert placed["trace_id"] == trace_id and placed["metadata"]["order_id"] == "5001", placed
    assert logs["inventory sync is slow"]["level"] == "warn"
    failed = logs["reservation failed"]
    assert failed["level"] == "error" and failed["error"]["type"] == "ValueError", failed
    assert "reserve_stock" in json.dumps(failed["error"]["stack"]), failed

    names = {metric["name"]: metric for metric in server.get("/v1/query/metrics")["metrics"]}
    assert names["orders_placed"]["kind"] == "sum" and names["checkout_latency"]["kind"] == "histogram", names
    now = int(time.time() * 1000)
    orders = server.get("/v1/query/metrics", name="orders_placed", interval="hour", **{"from": now - 3_600_000, "to": now + 60_000})
    assert sum(bucket["value"] or 0 for bucket in orders["metric"]["buckets"]) == 16, orders
    latency = server.get("/v1/query/metrics", name="checkout_latency", interval="hour", **{"from": now - 3_600_000, "to": now + 60_000})
    filled = [bucket for bucket in latency["metric"]["buckets"] if bucket["points"]]
    assert sum(bucket["count"] for bucket in filled) == 3 and sum(bucket["sum"] for bucket in filled) == 90, latency
    assert min(bucket["min"] for bucket in filled) == 12 and max(bucket["max"] for bucket in filled) == 48, latency


class CurlResponse:
    def __init__(self, status_code, headers, body):
        self.status_code, self.headers, self.text = status_code, headers, body

    def json(self):
        return json.loads(self.text)


def otlp_json(server, signal, body, token=KEY, compress=False):
    """POSTs an OTLP/JSON export with curl, as the issue's acceptance does it."""
    data = json.dumps(body).encode()
    command = ["curl", "-sS", "-X", "POST", f"{server.base}/v1/{signal}", "-H", "Content-Type: application/json",
               "-H", f"Authorization: Bearer {token}", "--data-binary", "@-", "-D", "-", "--max-time", "10"]
    if compress:
        data = gzip.compress(data)
        command += ["-H", "Content-Encoding: gzip"]
    done = subprocess.run(command, input=data, capture_output=True, timeout=20, check=True)
    head, _, text = done.stdout.decode().partition("\r\n\r\n")
    status_line, *fields = head.split("\r\n")
    headers = requests.structures.CaseInsensitiveDict(field.split(": ", 1) for field in fields if ": " in field)
    return CurlResponse(int(status_line.split()[1]), headers, text)


def test_otlp_json_with_hex_ids_is_stored_and_partly_rejected_records_are_reported(server):
    now_ns = time.time_ns()
    resource = {"attributes": [{"key": "service.name", "value": {"stringValue": "billing"}}]}
    trace_id, root_id, child_id = "5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174", "eee19b7ec3c1b173"
    spans = otlp_json(server, "traces", {"resourceSpans": [{"resource": resource, "scopeSpans": [{"spans": [
        {"traceId": trace_id, "spanId": root_id, "name": "GET /invoices", "kind": 2,
         "startTimeUnixNano": str(now_ns - 50_000_000), "endTimeUnixNano": str(now_ns)},
        {"traceId": trace_id, "spanId": child_id, "parentSpanId": root_id, "name": "render", "kind": 1,
         "startTimeUnixNano": str(now_ns - 40_000_000), "endTimeUnixNano": str(now_ns - 10_000_000), "status": {"code": 2},
         "events": [{"name": "exception", "timeUnixNano": str(now_ns - 20_000_000), "attributes": [
             {"key": "exception.type", "value": {"stringValue": "TemplateError"}},
             {"key": "exception.message", "value": {"stringValue": "missing total"}}]}]},
        {"spanId": "aaaaaaaaaaaaaaaa", "name": "orphan without a trace id"}]}]}]}, compress=True)
    assert spans.status_code == 200 and spans.headers["Content-Type"].startswith("application/json"), spans.text
    assert spans.json()["partialSuccess"]["rejectedSpans"] == "1", spans.json()

    detail = server.get(f"/v1/traces/{trace_id}")
    by_id = {span["span_id"]: span for span in detail["spans"]}
    assert set(by_id) == {root_id, child_id} and by_id[child_id]["parent_span_id"] == root_id, detail
    assert by_id[child_id]["duration_ms"] == 30 and by_id[root_id]["service"] == "billing", detail
    assert any(issue["title"] == "TemplateError: missing total" for issue in server.get("/v1/issues", status="")["issues"])

    logs = otlp_json(server, "logs", {"resourceLogs": [{"resource": resource, "scopeLogs": [{"logRecords": [
        {"timeUnixNano": str(now_ns), "severityNumber": 13, "body": {"stringValue": "invoice queue backing up"},
         "traceId": trace_id, "spanId": root_id, "attributes": [{"key": "queue.depth", "value": {"intValue": "412"}}]}]}]}]})
    assert logs.status_code == 200 and logs.json() == {}, logs.text
    line = next(log for log in server.get("/v1/query/logs")["logs"] if log["message"] == "invoice queue backing up")
    assert line["level"] == "warn" and line["trace_id"] == trace_id and line["span_id"] == root_id, line
    assert line["service"] == "billing" and line["metadata"]["queue.depth"] == 412, line

    gauge = otlp_json(server, "metrics", {"resourceMetrics": [{"resource": resource, "scopeMetrics": [{"metrics": [
        {"name": "queue_depth", "unit": "1", "gauge": {"dataPoints": [
            {"timeUnixNano": str(now_ns - 1_000_000_000), "asInt": "400"}, {"timeUnixNano": str(now_ns), "asDouble": 424.0}]}},
        {"name": "request_sizes", "summary": {"dataPoints": [{"timeUnixNano": str(now_ns), "count": "3", "sum": 9}]}}]}]}]})
    assert gauge.status_code == 200, gauge.text
    assert gauge.json()["partialSuccess"]["rejectedDataPoints"] == "1", gauge.json()
    now = now_ns // 1_000_000
    series = server.get("/v1/query/metrics", name="queue_depth", interval="day", **{"from": now - 60_000, "to": now + 60_000})
    filled = [bucket for bucket in series["metric"]["buckets"] if bucket["points"]]
    assert series["metric"]["kind"] == "gauge" and [bucket["points"] for bucket in filled] == [2], series
    assert filled[0]["value"] == 412 and filled[0]["min"] == 400 and filled[0]["max"] == 424, series


def test_otlp_refusals_are_encoded_like_the_request(server):
    unknown = otlp_json(server, "traces", {"resourceSpans": []}, token="not-a-key")
    assert unknown.status_code == 401 and "message" in unknown.json(), unknown.text
    broken = requests.post(f"{server.base}/v1/traces", data=b"\x0a\xff\xff\xff", timeout=10,
                           headers={"Content-Type": "application/x-protobuf", "x-sextant-key": KEY})
    assert broken.status_code == 400 and broken.headers["Content-Type"] == "application/x-protobuf", broken.content
    wrong_type = requests.post(f"{server.base}/v1/metrics", data="a=b", timeout=10,
                               headers={"Content-Type": "application/x-www-form-urlencoded", "x-api-key": KEY})
    assert wrong_type.status_code == 415, wrong_type.text
    # LuminaLog's own shape on the shared route keeps LuminaLog's answer.
    lumina = requests.post(f"{server.base}/v1/logs", json={"logs": [{"timestamp": "2026-01-26T14:30:00.000Z", "level": "info", "message": "still LuminaLog"}]},
                           headers={"X-API-Key": KEY}, timeout=10)
    assert lumina.status_code == 200 and lumina.json()["processed"] == 1, lumina.text

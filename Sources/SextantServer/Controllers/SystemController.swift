import Hummingbird
import Prometheus
import SextantCore

/// Health and metrics: open to everyone, as orchestrators and scrapers expect.
struct SystemController {
    let registry: PrometheusCollectorRegistry
    let disk: DiskSpaceGuard
    let drain: ShutdownDrain
    let backends: BackendHealth

    func register(in router: Router<AppRequestContext>) {
        // 200 while reads are served (API.md: `{"status":"ok"}`); "degraded", with the disk's
        // figures, says ingest is paused for want of space; 503 "unavailable" when the database
        // or the blob bucket does not answer.
        router.get("/healthz") { _, _ in
            if drain.isDraining {
                return Response.jsonObject(status: .serviceUnavailable) { writer in
                    writer.key("status")
                    writer.string("draining")
                }
            }
            if let problem = await backends.problem() {
                return Response.jsonObject(status: .serviceUnavailable) { writer in
                    writer.key("status")
                    writer.string("unavailable")
                    writer.key("error")
                    writer.string(problem)
                }
            }
            let reading = disk.reading
            return Response.jsonObject { writer in
                writer.key("status")
                guard let reading, reading.isLow else {
                    writer.string("ok")
                    return
                }
                writer.string("degraded")
                writer.key("disk")
                writer.beginObject()
                writer.key("free_bytes")
                writer.integer(reading.freeBytes)
                writer.key("floor_bytes")
                writer.integer(reading.floorBytes)
                writer.key("ingest")
                writer.string("refused: disk space is low")
                writer.endObject()
            }
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.json)))
        }
    }
}

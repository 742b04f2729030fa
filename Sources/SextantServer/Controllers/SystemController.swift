import Hummingbird
import Prometheus

/// Health and metrics: open to everyone, as orchestrators and scrapers expect.
struct SystemController {
    let registry: PrometheusCollectorRegistry

    func register(in router: Router<AppRequestContext>) {
        router.get("/healthz") { _, _ in
            Response.jsonObject { writer in
                writer.key("status")
                writer.string("ok")
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

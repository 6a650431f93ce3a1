import Hummingbird

/// Serves the service's contract, `openapi.yaml`, at `GET /openapi.yaml` without a key.
public struct OpenAPIController<Context: RequestContext>: Sendable {
    /// Creates the controller.
    public init() {}

    /// Adds `GET /openapi.yaml` to `router`.
    public func addRoutes(to router: Router<Context>) {
        router.get("/openapi.yaml") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/yaml; charset=utf-8", .cacheControl: "no-cache"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes))
            )
        }
    }
}

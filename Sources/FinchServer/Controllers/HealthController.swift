import FinchApps
import Foundation
import Hummingbird

/// `/healthz` (the process answers), `/readyz` (database reachable and every
/// configured model loaded) — both public — and `/metrics` (read scope).
struct HealthController {
    let store: any ServiceStore
    let registry: ModelRegistry
    let expectedModels: [String]

    func addPublicRoutes(to router: Router<FinchRequestContext>) {
        router.get("healthz", use: healthz)
        router.get("readyz", use: readyz)
    }

    func addReadRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.get("metrics", use: metrics)
    }

    struct Status: Encodable {
        var status: String
        var models: Int?
        var problems: [String]?
    }

    @Sendable func healthz(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try JSONResponse.make(Status(status: "ok"))
    }

    @Sendable func readyz(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var problems: [String] = []
        do { try await store.ping() } catch { problems.append("database unreachable: \(error)") }
        let loaded = Set(registry.activeModels.map(\.name))
        for name in expectedModels where !loaded.contains(name) { problems.append("model \(name) not loaded") }
        let status = Status(
            status: problems.isEmpty ? "ready" : "not ready", models: loaded.count, problems: problems.isEmpty ? nil : problems)
        return try JSONResponse.make(status, status: problems.isEmpty ? .ok : .serviceUnavailable)
    }

    @Sendable func metrics(_ request: Request, context: FinchRequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: ServerMetrics.render())))
    }
}

import FinchApps
import Foundation
import Hummingbird

/// `GET /v1/models` (read) and `POST /v1/models`,
/// `POST /v1/models/{name}/versions/{version}/activate` (admin); the admin
/// actions are recorded in the audit trail.
struct ModelsController {
    let registry: ModelRegistry
    let limits: InputLimits
    let audit: any AdminAuditTrail

    func addReadRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.get("models", use: list)
    }

    func addAdminRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.post("models", use: register)
        group.post("models/:name/versions/:version/activate", use: activate)
    }

    struct VersionItem: Encodable {
        var version: Int
        var path: String
        var active: Bool
        var createdAt: Date
        enum CodingKeys: String, CodingKey { case version, path, active, createdAt = "created_at" }
    }

    struct ModelItem: Encodable {
        var name: String
        var kind: String
        var activeVersion: Int?
        var dimension: Int?
        var maxLength: Int?
        var labels: [String]?
        var versions: [VersionItem]
        enum CodingKeys: String, CodingKey {
            case name, kind, versions, dimension, labels
            case activeVersion = "active_version", maxLength = "max_length"
        }
    }

    struct ListResponse: Encodable { var models: [ModelItem] }

    @Sendable func list(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let versions = try await registry.versions()
        let active = Dictionary(uniqueKeysWithValues: registry.activeModels.map { ($0.name, $0) })
        let names = Array(Set(versions.map(\.name))).sorted()
        let items = names.map { name in
            let own = versions.filter { $0.name == name }
            let served = active[name]
            return ModelItem(
                name: name, kind: (served?.kind ?? own.last!.kind).rawValue, activeVersion: served?.version,
                dimension: served?.dimension, maxLength: served.map(\.maxLength).flatMap { $0 > 0 ? $0 : nil }, labels: served?.labels,
                versions: own.map {
                    VersionItem(version: $0.version, path: $0.path, active: $0.version == served?.version, createdAt: $0.createdAt)
                })
        }
        return try JSONResponse.make(ListResponse(models: items))
    }

    struct RegisterRequest: Decodable {
        var name: String
        var path: String
        var activate: Bool?
    }

    struct RecordResponse: Encodable {
        var name: String
        var version: Int
        var kind: String
        var path: String
        var active: Bool
    }

    @Sendable func register(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(RegisterRequest.self, limit: limits.maxBodyBytes)
        guard body.path.hasPrefix("/") else { throw APIError.invalid("path", "path must be an absolute folder path on the server") }
        let record = try await registry.register(name: body.name, path: body.path, activate: body.activate ?? true)
        try await audit.record(
            actor: context.auditActor, action: AdminAction.modelRegister, subject: record.name,
            details: [
                "version": String(record.version), "kind": record.kind.rawValue, "path": record.path, "active": String(record.active),
            ])
        return try JSONResponse.make(
            RecordResponse(
                name: record.name, version: record.version, kind: record.kind.rawValue, path: record.path, active: record.active),
            status: .created)
    }

    @Sendable func activate(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let name = try context.pathParameter("name")
        guard let version = context.parameters.get("version", as: Int.self) else {
            throw APIError.invalid("version", "version must be a whole number")
        }
        let record = try await registry.activate(name: name, version: version)
        try await audit.record(
            actor: context.auditActor, action: AdminAction.modelActivate, subject: record.name,
            details: ["version": String(record.version)])
        return try JSONResponse.make(
            RecordResponse(name: record.name, version: record.version, kind: record.kind.rawValue, path: record.path, active: true))
    }
}

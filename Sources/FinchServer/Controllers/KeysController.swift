import FinchApps
import Foundation
import Hummingbird

/// API keys over HTTP (admin scope): list, create (the key is in the
/// response once), revoke. `finch keys` does the same on the store directly.
/// Creations and revocations are recorded in the audit trail.
struct KeysController {
    let store: any APIKeyRepository
    let cache: KeyCache
    let limits: InputLimits
    let audit: any AdminAuditTrail

    func addAdminRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.get("keys", use: list)
        group.post("keys", use: create)
        group.delete("keys/:id", use: revoke)
    }

    struct KeyItem: Encodable {
        var id: String
        var name: String
        var scope: String
        var createdAt: Date
        var revokedAt: Date?
        var key: String?
        enum CodingKeys: String, CodingKey { case id, name, scope, key, createdAt = "created_at", revokedAt = "revoked_at" }

        init(_ r: APIKeyRecord, key: String? = nil) {
            id = r.id
            name = r.name
            scope = r.scope.rawValue
            createdAt = r.createdAt
            revokedAt = r.revokedAt
            self.key = key
        }
    }

    struct ListResponse: Encodable { var keys: [KeyItem] }

    @Sendable func list(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try JSONResponse.make(ListResponse(keys: try await store.allKeys().map { KeyItem($0) }))
    }

    struct CreateRequest: Decodable {
        var name: String?
        var scope: String
    }

    @Sendable func create(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(CreateRequest.self, limit: limits.maxBodyBytes)
        guard let scope = APIKeyScope(rawValue: body.scope) else { throw APIError.invalid("scope", "scope must be read, write or admin") }
        let (key, record) = APIKeyHasher.generate(name: body.name ?? "", scope: scope)
        try await store.insert(record)
        try await audit.record(
            actor: context.auditActor, action: AdminAction.keyCreate, subject: record.id,
            details: ["name": record.name, "scope": record.scope.rawValue])
        return try JSONResponse.make(KeyItem(record, key: key), status: .created)
    }

    @Sendable func revoke(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let id = try context.pathParameter("id")
        guard try await store.revoke(id: id, at: Date()) else {
            throw APIError(.notFound, code: "key_not_found", message: "no API key with id \(id)", field: "id")
        }
        cache.forget(id: id)
        try await audit.record(actor: context.auditActor, action: AdminAction.keyRevoke, subject: id, details: [:])
        return Response(status: .noContent)
    }
}

import FinchApps
import Foundation
import Hummingbird
import NIOCore

/// The sentiment monitor's routes (issue 14), all under `/v1/monitors`:
///
/// - read: `GET /monitors`, `GET /monitors/{name}`, `…/documents`, `…/trends`, `…/rules`, `…/alerts`,
///   `…/events` (Server-Sent Events: `document` and `alert`)
/// - write: `POST …/documents` (a batch, idempotent on `id`; answered after the commit)
/// - admin (each recorded in the audit trail): `PUT`/`DELETE /monitors/{name}`, rules
///   (`POST …/rules`, `PUT`/`DELETE …/rules/{rule}`), webhooks (`GET`/`POST …/webhooks`,
///   `DELETE …/webhooks/{id}`, `GET …/webhooks/{id}/deliveries`)
struct MonitorController {
    let service: MonitorHost
    let limits: InputLimits
    let audit: any AdminAuditTrail
    /// Seconds between SSE keep-alive comments.
    let keepAliveSeconds: Double

    func addRoutes(read: RouterGroup<FinchRequestContext>, write: RouterGroup<FinchRequestContext>, admin: RouterGroup<FinchRequestContext>)
    {
        addReadRoutes(to: read)
        addWriteRoutes(to: write)
        addAdminRoutes(to: admin)
    }

    func addReadRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.get("monitors", use: list)
        group.get("monitors/:name", use: show)
        group.get("monitors/:name/documents", use: documents)
        group.get("monitors/:name/trends", use: trends)
        group.get("monitors/:name/rules", use: rules)
        group.get("monitors/:name/alerts", use: alerts)
        group.get("monitors/:name/events", use: events)
    }

    func addWriteRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.post("monitors/:name/documents", use: ingest)
    }

    func addAdminRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.put("monitors/:name", use: put)
        group.delete("monitors/:name", use: delete)
        group.post("monitors/:name/rules", use: createRule)
        group.put("monitors/:name/rules/:rule", use: putRule)
        group.delete("monitors/:name/rules/:rule", use: deleteRule)
        group.get("monitors/:name/webhooks", use: webhooks)
        group.post("monitors/:name/webhooks", use: addWebhook)
        group.delete("monitors/:name/webhooks/:id", use: deleteWebhook)
        group.get("monitors/:name/webhooks/:id/deliveries", use: deliveries)
    }

    /// Runs `body`, turning the monitor's errors into API errors naming the field.
    func handling(_ body: () async throws -> Response) async throws -> Response {
        do { return try await body() } catch { throw Self.apiError(error) }
    }

    static func apiError(_ error: any Error) -> any Error {
        switch error {
        case let e as MonitorError:
            switch e {
            case .invalidRule(let field, _), .invalidConfig(let field, _):
                return APIError(.badRequest, code: "invalid_request", message: e.description, field: field)
            case .invalidDocument(_, _, let field, _):
                return APIError(.badRequest, code: "invalid_request", message: e.description, field: field)
            case .unmappedLabel:
                return APIError(.unprocessableContent, code: "unmapped_label", message: e.description, field: "polarity")
            case .modelMismatch:
                return APIError(.internalServerError, code: "internal", message: e.description)
            }
        case let e as MonitorHostError:
            switch e {
            case .unknownMonitor: return APIError(.notFound, code: "monitor_not_found", message: e.description, field: "name")
            case .unknownRule: return APIError(.notFound, code: "rule_not_found", message: e.description, field: "rule")
            case .unknownWebhook: return APIError(.notFound, code: "webhook_not_found", message: e.description, field: "id")
            case .invalidWebhook(let field, _): return APIError.invalid(field, e.description)
            }
        default:
            return error
        }
    }

    // MARK: monitors

    struct MonitorList: Encodable { var monitors: [MonitorConfig] }

    @Sendable func list(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try await handling { try JSONResponse.make(MonitorList(monitors: try await service.all())) }
    }

    @Sendable func show(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try await handling { try JSONResponse.make(try await service.monitor(named: try context.pathParameter("name"))) }
    }

    /// The body as a JSON object whose `name` (when given) must equal `name`; the path's name fills it in otherwise.
    static func namedBody(_ request: inout Request, name: String, field: String = "name", limit: Int) async throws -> Data {
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: limit) } catch is NIOTooManyBytesError {
            throw APIError(
                .contentTooLarge, code: "payload_too_large", message: "the request body is larger than the limit of \(limit) bytes")
        }
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: Data(buffer: buffer)) } catch {
            throw APIError.invalid("body", "the body is not valid JSON")
        }
        guard var object = parsed as? [String: Any] else { throw APIError.invalid("body", "the body must be a JSON object") }
        if let given = object["name"] {
            guard let text = given as? String, text == name else {
                throw APIError.invalid("name", "name must equal the \(field) in the path ('\(name)')")
            }
        }
        object["name"] = name
        return try JSONSerialization.data(withJSONObject: object)
    }

    @Sendable func put(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        return try await handling {
            let name = try context.pathParameter("name")
            let data = try await Self.namedBody(&request, name: name, limit: limits.maxBodyBytes)
            let config: MonitorConfig
            do { config = try JSONDecoder().decode(MonitorConfig.self, from: data) } catch let error as DecodingError {
                throw APIError.decoding(error)
            }
            let created = try await service.put(config)
            try await audit.record(
                actor: context.auditActor, action: MonitorAuditAction.put, subject: name,
                details: ["sentiment_model": config.sentimentModel, "bucket": config.bucket.rawValue])
            return try JSONResponse.make(config, status: created ? .created : .ok)
        }
    }

    @Sendable func delete(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try await handling {
            let name = try context.pathParameter("name")
            try await service.delete(name: name)
            try await audit.record(actor: context.auditActor, action: MonitorAuditAction.delete, subject: name, details: [:])
            return Response(status: .noContent)
        }
    }
}

/// The audit trail's names for the monitor's admin actions.
enum MonitorAuditAction {
    static let put = "monitor.put"
    static let delete = "monitor.delete"
    static let rulePut = "monitor.rule.put"
    static let ruleDelete = "monitor.rule.delete"
    static let webhookCreate = "monitor.webhook.create"
    static let webhookDelete = "monitor.webhook.delete"
}

import FinchApps
import Foundation
import Hummingbird
import NIOCore

extension MonitorController {
    /// An alert with the documents that drove it.
    struct AlertItem: Encodable {
        var alert: Alert
        var documents: [ScoredDocument]

        func encode(to encoder: any Encoder) throws {
            try alert.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(documents, forKey: .drivingDocuments)
        }
        enum CodingKeys: String, CodingKey { case drivingDocuments = "driving_documents" }
    }

    struct AlertList: Encodable { var alerts: [AlertItem] }

    /// `GET …/alerts?state=&rule=&entity=&from=&to=&limit=` (newest bucket first).
    @Sendable func alerts(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try await handling {
            let name = try context.pathParameter("name")
            let p = request.uri.queryParameters
            var query = AlertQuery(
                rule: p.get("rule"), entity: p.get("entity"), from: try Self.time(p.get("from"), "from"),
                to: try Self.time(p.get("to"), "to"), limit: try Self.limit(p.get("limit")))
            if let state = p.get("state") {
                guard let s = Alert.State(rawValue: String(state)) else { throw APIError.invalid("state", "state must be open or closed") }
                query.state = s
            }
            let found = try await service.alerts(query, monitor: name)
            return try JSONResponse.make(AlertList(alerts: found.map { AlertItem(alert: $0.alert, documents: $0.documents) }))
        }
    }

    /// `GET …/events`: Server-Sent Events (`text/event-stream`) of the monitor's new documents
    /// (`event: document`) and alerts opened or closed (`event: alert`), with a keep-alive comment
    /// whenever the stream was idle for `keepAliveSeconds`.
    @Sendable func events(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try await handling {
            let name = try context.pathParameter("name")
            _ = try await service.monitor(named: name)
            let stream = service.events.subscribe(monitor: name, keepAliveSeconds: keepAliveSeconds)
            let body = ResponseBody { writer in
                try await writer.write(ByteBuffer(string: ServerSentEvents.opening))
                for await item in stream {
                    switch item {
                    case .event(let event): try await writer.write(ByteBuffer(string: ServerSentEvents.frame(event)))
                    case .keepAlive: try await writer.write(ByteBuffer(string: ServerSentEvents.keepAlive))
                    }
                }
                try await writer.finish(nil)
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache", .init("X-Accel-Buffering")!: "no"],
                body: body)
        }
    }

    /// A webhook as the API shows it: never its secret.
    struct WebhookItem: Encodable {
        var id: String
        var url: String
        var createdAt: Date
        init(_ r: WebhookRecord) {
            id = r.id
            url = r.url
            createdAt = r.createdAt
        }
        enum CodingKeys: String, CodingKey { case id, url, createdAt = "created_at" }
    }

    struct WebhookList: Encodable { var webhooks: [WebhookItem] }
    struct WebhookRequest: Decodable {
        var url: String
        var secret: String
    }

    @Sendable func webhooks(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try await handling {
            let hooks = try await service.webhooks(monitor: try context.pathParameter("name"))
            return try JSONResponse.make(WebhookList(webhooks: hooks.map(WebhookItem.init)))
        }
    }

    @Sendable func addWebhook(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        return try await handling {
            let name = try context.pathParameter("name")
            let body = try await request.decodeJSON(WebhookRequest.self, limit: limits.maxBodyBytes)
            let record = try await service.addWebhook(url: body.url, secret: body.secret, monitor: name)
            try await audit.record(
                actor: context.auditActor, action: MonitorAuditAction.webhookCreate, subject: "\(name)/\(record.id)",
                details: ["url": record.url])
            return try JSONResponse.make(WebhookItem(record), status: .created)
        }
    }

    @Sendable func deleteWebhook(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try await handling {
            let name = try context.pathParameter("name"), id = try context.pathParameter("id")
            try await service.deleteWebhook(id: id, monitor: name)
            try await audit.record(
                actor: context.auditActor, action: MonitorAuditAction.webhookDelete, subject: "\(name)/\(id)", details: [:])
            return Response(status: .noContent)
        }
    }

    struct DeliveryList: Encodable { var deliveries: [WebhookAttemptRecord] }

    /// `GET …/webhooks/{id}/deliveries?limit=`: the newest attempts, oldest first.
    @Sendable func deliveries(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try await handling {
            let name = try context.pathParameter("name"), id = try context.pathParameter("id")
            let limit = try Self.limit(request.uri.queryParameters.get("limit"))
            return try JSONResponse.make(DeliveryList(deliveries: try await service.deliveries(webhook: id, monitor: name, limit: limit)))
        }
    }
}

import FinchApps
import Foundation
import Hummingbird

extension AssistantController {
    struct AskRequest: Decodable {
        var query: String
        var session: String
        var user: String?
    }

    @Sendable func ask(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let arrival = Date()
        var request = request
        let name = try context.pathParameter("collection")
        let body = try await request.decodeJSON(AskRequest.self, limit: limits.maxBodyBytes)
        try limits.check([body.query], field: "query")
        try Self.checkID(body.session, field: "session")
        if let user = body.user { try Self.checkID(user, field: "user") }
        let reply = try await Self.mapped {
            try await assistant.ask(body.query, session: body.session, user: body.user, in: name, arrival: arrival)
        }
        return try JSONResponse.make(AssistantPayloads.AskReply(reply))
    }

    @Sendable func session(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let name = try context.pathParameter("collection")
        let id = try context.pathParameter("id")
        let asks = try await Self.mapped { try await assistant.session(id, in: name) }
        return try JSONResponse.make(AssistantPayloads.Session(collection: name, session: id, asks: asks.map { .init(record: $0) }))
    }

    @Sendable func handoffs(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let name = try context.pathParameter("collection")
        let open = try await Self.mapped { try await assistant.openHandoffs(in: name) }
        return try JSONResponse.make(AssistantPayloads.Handoffs(collection: name, handoffs: open.map { .init(record: $0) }))
    }

    struct ResolveRequest: Decodable { var answer: String }

    @Sendable func resolve(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let name = try context.pathParameter("collection")
        let id = try context.pathParameter("id")
        let body = try await request.decodeJSON(ResolveRequest.self, limit: limits.maxBodyBytes)
        if body.answer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw APIError.invalid("answer", "answer must not be blank")
        }
        try limits.check([body.answer], field: "answer")
        try await Self.mapped { try await assistant.resolveHandoff(id, in: name, answer: body.answer) }
        return Response(status: .noContent)
    }

    /// Session and user ids: 1–128 characters.
    static func checkID(_ id: String, field: String) throws {
        if id.isEmpty || id.count > 128 { throw APIError.invalid(field, "\(field) must be 1–128 characters") }
    }
}

import FinchApps
import Foundation
import Hummingbird

/// Collections of texts for semantic search: list and read (read scope),
/// create/replace, delete, add and remove entries (write scope), and
/// `POST /v1/search` (read scope).
struct CollectionsController {
    let collections: CollectionService
    let limits: InputLimits

    func addReadRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.get("collections", use: list)
        group.get("collections/:name", use: show)
        group.get("collections/:name/entries", use: entries)
        group.post("search", use: search)
    }

    func addWriteRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.put("collections/:name", use: put)
        group.delete("collections/:name", use: delete)
        group.post("collections/:name/entries", use: addEntries)
        group.delete("collections/:name/entries/:id", use: deleteEntry)
    }

    struct CollectionItem: Encodable {
        var name: String
        var model: String
        var count: Int
        var createdAt: Date
        enum CodingKeys: String, CodingKey { case name, model, count, createdAt = "created_at" }
    }

    struct ListResponse: Encodable { var collections: [CollectionItem] }

    @Sendable func list(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try JSONResponse.make(
            ListResponse(
                collections: collections.list().map {
                    CollectionItem(name: $0.record.name, model: $0.record.model, count: $0.count, createdAt: $0.record.createdAt)
                }))
    }

    @Sendable func show(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let name = try context.pathParameter("name")
        try await collections.reloadIfUnknown(name)
        let c = try collections.collection(named: name)
        return try JSONResponse.make(
            CollectionItem(name: c.record.name, model: c.record.model, count: c.count, createdAt: c.record.createdAt))
    }

    struct EntryItem: Codable {
        var id: String
        var text: String
    }

    struct EntriesResponse: Encodable { var entries: [EntryItem] }

    @Sendable func entries(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let name = try context.pathParameter("name")
        try await collections.reloadIfUnknown(name)
        let all = try collections.entries(of: name)
        return try JSONResponse.make(EntriesResponse(entries: all.map { EntryItem(id: $0.id, text: $0.text) }))
    }

    struct PutRequest: Decodable { var model: String }

    @Sendable func put(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let name = try context.pathParameter("name")
        let body = try await request.decodeJSON(PutRequest.self, limit: limits.maxBodyBytes)
        let record = try await collections.put(name: name, model: body.model)
        return try JSONResponse.make(
            CollectionItem(name: record.name, model: record.model, count: 0, createdAt: record.createdAt),
            status: .created)
    }

    @Sendable func delete(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try await collections.delete(name: try context.pathParameter("name"))
        return Response(status: .noContent)
    }

    struct AddRequest: Decodable { var entries: [EntryItem] }

    struct AddResponse: Encodable {
        var upserted: Int
        var truncated: [Int]
    }

    @Sendable func addEntries(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let name = try context.pathParameter("name")
        let body = try await request.decodeJSON(AddRequest.self, limit: limits.maxBodyBytes)
        try limits.check(body.entries.map(\.text), field: "entries")
        for (i, e) in body.entries.enumerated() where e.id.isEmpty || e.id.count > 256 {
            throw APIError.invalid("entries[\(i)].id", "entries[\(i)].id must be 1–256 characters")
        }
        // Entries are written in order, so an id given twice keeps its last entry (as a bulk upsert does).
        var last: [String: Int] = [:]
        for (i, e) in body.entries.enumerated() { last[e.id] = i }
        let kept = body.entries.indices.filter { last[body.entries[$0].id] == $0 }
        let result = try await collections.upsert(kept.map { (body.entries[$0].id, body.entries[$0].text) }, into: name)
        let truncated = result.truncated.map { kept[$0] }  // indices into the request's entries
        return try JSONResponse.make(
            AddResponse(upserted: result.value, truncated: truncated), timing: result.timing, truncated: truncated,
            tokens: result.tokens)
    }

    @Sendable func deleteEntry(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try await collections.deleteEntry(id: try context.pathParameter("id"), from: try context.pathParameter("name"))
        return Response(status: .noContent)
    }

    struct SearchRequest: Decodable {
        var collection: String
        var query: String
        var topK: Int?
        enum CodingKeys: String, CodingKey { case collection, query, topK = "top_k" }
    }

    struct SearchResponse: Encodable {
        var results: [SearchHit]
        var collection: String
        var truncated: Bool
    }

    @Sendable func search(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(SearchRequest.self, limit: limits.maxBodyBytes)
        try limits.check([body.query], field: "query")
        let k = body.topK ?? 5
        guard (1...1000).contains(k) else { throw APIError.invalid("top_k", "top_k must be in 1...1000") }
        let result = try await collections.search(body.query, in: body.collection, topK: k)
        return try JSONResponse.make(
            SearchResponse(results: result.value, collection: body.collection, truncated: !result.truncated.isEmpty),
            timing: result.timing, truncated: result.truncated, tokens: result.tokens)
    }
}

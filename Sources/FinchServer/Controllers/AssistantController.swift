import FinchApps
import FinchSupport
import Foundation
import Hummingbird

/// The support assistant over HTTP. Read scope: list and show collections,
/// their entries, `POST …/ask`, a session's conversation. Write scope:
/// import (`PUT /v1/assistant/{collection}`: JSON entries, or a CSV / TSV /
/// JSON Lines body), add/edit/delete entries, the hand-off policy, the
/// hand-off queue and its resolution.
struct AssistantController {
    let assistant: AssistantService
    let limits: InputLimits

    func addReadRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.get("assistant", use: list)
        group.get("assistant/:collection", use: show)
        group.get("assistant/:collection/entries", use: entries)
        group.post("assistant/:collection/ask", use: ask)
        group.get("assistant/:collection/sessions/:id", use: session)
    }

    func addWriteRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.put("assistant/:collection", use: importCollection)
        group.delete("assistant/:collection", use: delete)
        group.post("assistant/:collection/entries", use: upsert)
        group.delete("assistant/:collection/entries/:id", use: deleteEntry)
        group.put("assistant/:collection/policy", use: policy)
        group.get("assistant/:collection/handoffs", use: handoffs)
        group.post("assistant/:collection/handoffs/:id/resolve", use: resolve)
    }

    // MARK: collections

    @Sendable func list(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try JSONResponse.make(AssistantPayloads.CollectionList(collections: assistant.list().map(AssistantPayloads.Collection.init)))
    }

    @Sendable func show(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try await Self.mapped {
            try JSONResponse.make(AssistantPayloads.Collection(try assistant.collection(named: try context.pathParameter("collection"))))
        }
    }

    @Sendable func entries(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try await Self.mapped {
            let served = try assistant.collection(named: try context.pathParameter("collection"))
            return try JSONResponse.make(AssistantPayloads.EntryList(entries: served.entries.map { .init($0.entry) }))
        }
    }

    /// Import settings, from the JSON body or (for a CSV/TSV/JSON Lines body) the query string.
    struct ImportSettings {
        var model: String?
        var prefix: String?
        var threshold: String?
        var margin: Double?
    }

    @Sendable func importCollection(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let name = try context.pathParameter("collection")
        let body = try await Self.collect(&request, limit: limits.maxBodyBytes)
        let contentType = request.headers[.contentType]?.lowercased() ?? "application/json"
        var settings = ImportSettings()
        let faq: FAQCollection
        if let format = Self.rawFormat(contentType) {
            let query = request.uri.queryParameters
            settings = ImportSettings(
                model: query["model"].map(String.init), prefix: query["prefix"].map(String.init),
                threshold: query["threshold"].map(String.init),
                margin: try query["ambiguity_margin"].map { text in
                    guard let m = Double(String(text)) else {
                        throw APIError.invalid("ambiguity_margin", "ambiguity_margin must be a number")
                    }
                    return m
                })
            faq = try Self.readFAQ(body, name: "request body", format: format, field: "body")
        } else {
            let fields: ImportFields
            do { fields = try JSONDecoder().decode(ImportFields.self, from: body) } catch let error as DecodingError {
                throw APIError.decoding(error)
            }
            settings = ImportSettings(
                model: fields.model, prefix: fields.prefix, threshold: fields.threshold?.text, margin: fields.ambiguityMargin)
            faq = try Self.entries(try Self.object(body), requireIDs: false)
        }
        guard let model = settings.model, !model.isEmpty else { throw APIError.invalid("model", "missing field model (the embedder)") }
        // An import is bounded by the body size, not by the per-request count of texts; each text by the character limit.
        var characterLimit = limits
        characterLimit.maxInputs = Int.max
        try characterLimit.check(faq.entries.flatMap { [$0.question] + $0.alternatives + $0.answers }, field: "entries")
        var options = AssistantImportOptions(model: model, prefix: settings.prefix ?? "", ambiguityMargin: settings.margin)
        switch settings.threshold {
        case nil: break
        case "auto"?: options.automaticThreshold = true
        case let text?:
            guard let t = Double(text) else { throw APIError.invalid("threshold", "threshold must be a number in 0...1 or \"auto\"") }
            options.threshold = t
        }
        let served = try await Self.mapped { try await assistant.importCollection(faq, name: name, options: options) }
        return try JSONResponse.make(AssistantPayloads.Collection(served), status: .created)
    }

    @Sendable func delete(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try await Self.mapped { try await assistant.delete(name: try context.pathParameter("collection")) }
        return Response(status: .noContent)
    }

    @Sendable func upsert(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let name = try context.pathParameter("collection")
        let faq = try Self.entries(try Self.object(try await Self.collect(&request, limit: limits.maxBodyBytes)), requireIDs: true)
        try limits.check(faq.entries.map(\.question), field: "entries")
        let served = try await Self.mapped { try await assistant.upsert(faq.entries, into: name) }
        return try JSONResponse.make(AssistantPayloads.Collection(served))
    }

    @Sendable func deleteEntry(_ request: Request, context: FinchRequestContext) async throws -> Response {
        _ = try await Self.mapped {
            try await assistant.deleteEntry(id: try context.pathParameter("id"), from: try context.pathParameter("collection"))
        }
        return Response(status: .noContent)
    }

    struct PolicyRequest: Decodable {
        var threshold: Double?
        var ambiguityMargin: Double?
        enum CodingKeys: String, CodingKey {
            case threshold
            case ambiguityMargin = "ambiguity_margin"
        }
    }

    @Sendable func policy(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let name = try context.pathParameter("collection")
        let body = try await request.decodeJSON(PolicyRequest.self, limit: limits.maxBodyBytes)
        if body.threshold == nil && body.ambiguityMargin == nil {
            throw APIError.invalid("threshold", "give threshold, ambiguity_margin or both")
        }
        let served = try await Self.mapped {
            try await assistant.setPolicy(threshold: body.threshold, ambiguityMargin: body.ambiguityMargin, of: name)
        }
        return try JSONResponse.make(AssistantPayloads.Collection(served))
    }

    // MARK: request bodies

    static func collect(_ request: inout Request, limit: Int) async throws -> Data {
        do { return Data(buffer: try await request.collectBody(upTo: limit)) } catch {
            throw APIError(
                .contentTooLarge, code: "payload_too_large", message: "the request body is larger than the limit of \(limit) bytes")
        }
    }

    /// The FAQ format a content type names, nil for JSON (an object with fields).
    static func rawFormat(_ contentType: String) -> FAQReader.Format? {
        if contentType.hasPrefix("text/csv") { return .csv }
        if contentType.hasPrefix("text/tab-separated-values") { return .tsv }
        if contentType.hasPrefix("application/x-ndjson") || contentType.hasPrefix("application/jsonl") { return .jsonl }
        return nil
    }

    static func object(_ body: Data) throws -> [String: Any] {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw APIError.invalid("body", "the body must be a JSON object")
        }
        return object
    }

    /// The fields of a JSON import besides `entries`.
    struct ImportFields: Decodable {
        var model: String?
        var prefix: String?
        var threshold: ThresholdField?
        var ambiguityMargin: Double?
        enum CodingKeys: String, CodingKey {
            case model, prefix, threshold
            case ambiguityMargin = "ambiguity_margin"
        }
    }

    /// A threshold: a number, or the string "auto".
    struct ThresholdField: Decodable {
        var text: String
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let n = try? c.decode(Double.self) { text = String(n) } else { text = try c.decode(String.self) }
        }
    }

    /// The `entries` array of a JSON body, read line by line as an FAQ in JSON Lines (the same
    /// fields and rules as a file: `question`, `answer` or `answers`, `id`, `category`, `alternatives`).
    static func entries(_ object: [String: Any], requireIDs: Bool) throws -> FAQCollection {
        guard let list = object["entries"] as? [Any] else {
            throw APIError.invalid("entries", "missing field entries (an array of entries)")
        }
        if list.isEmpty { throw APIError.invalid("entries", "entries must hold at least one entry") }
        var lines = Data()
        for (i, item) in list.enumerated() {
            guard var fields = item as? [String: Any] else { throw APIError.invalid("entries[\(i)]", "entries[\(i)] must be an object") }
            if requireIDs && fields["id"] == nil { throw APIError.invalid("entries[\(i)].id", "entries[\(i)].id is required") }
            // `answers` (several) becomes one line per answer, as a file gives them.
            let answers: [Any]
            if let many = fields.removeValue(forKey: "answers") {
                guard let array = many as? [Any], !array.isEmpty else {
                    throw APIError.invalid("entries[\(i)].answers", "entries[\(i)].answers must be a non-empty array of strings")
                }
                answers = array
            } else {
                answers = [fields["answer"] ?? NSNull()]
            }
            for answer in answers {
                fields["answer"] = answer
                lines.append(try JSONSerialization.data(withJSONObject: fields))
                lines.append(0x0A)
            }
        }
        return try readFAQ(lines, name: "entries", format: .jsonl, field: "entries")
    }

    static func readFAQ(_ bytes: Data, name: String, format: FAQReader.Format, field: String) throws -> FAQCollection {
        do { return try FAQReader.read(bytes: bytes, name: name, format: format) } catch let error as DataError {
            throw APIError.invalid(field, String(describing: error))
        }
    }

    // MARK: errors

    /// Runs `body`, turning the assistant's errors into API errors.
    static func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let e as AssistantServiceError {
            switch e {
            case .unknownCollection: throw APIError(.notFound, code: "collection_not_found", message: e.description, field: "collection")
            case .unknownEntry: throw APIError(.notFound, code: "entry_not_found", message: e.description, field: "id")
            case .unknownHandoff: throw APIError(.notFound, code: "handoff_not_found", message: e.description, field: "id")
            case .invalidName: throw APIError(.badRequest, code: "invalid_request", message: e.description, field: "collection")
            case .invalidSetting(let field, _): throw APIError(.badRequest, code: "invalid_request", message: e.description, field: field)
            case .dimensionMismatch: throw APIError(.conflict, code: "dimension_mismatch", message: e.description, field: "collection")
            }
        }
    }
}

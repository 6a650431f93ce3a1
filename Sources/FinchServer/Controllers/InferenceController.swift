import FinchApps
import FinchTrain
import Foundation
import Hummingbird

/// `/v1/embed`, `/v1/classify`, `/v1/entities`, `/v1/tokenize`, `/v1/rerank`:
/// parse, validate, one call to the inference service, render.
struct InferenceController {
    let registry: ModelRegistry
    let limits: InputLimits

    func addRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.post("embed", use: embed)
        group.post("classify", use: classify)
        group.post("entities", use: entities)
        group.post("tokenize", use: tokenize)
        group.post("rerank", use: rerank)
    }

    struct EmbedRequest: Decodable {
        var model: String
        var inputs: TextList
        var normalize: Bool?
    }

    struct EmbedResponse: Encodable {
        var embeddings: [[Float]]
        var model: String
        var version: Int
        var truncated: [Int]
    }

    @Sendable func embed(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(EmbedRequest.self, limit: limits.maxBodyBytes)
        try limits.check(body.inputs.texts, field: "inputs")
        let model = try registry.model(named: body.model)
        let result = try await InferenceService.embed(body.inputs.texts, model: model, normalize: body.normalize ?? true)
        return try JSONResponse.make(
            EmbedResponse(embeddings: result.value, model: model.name, version: model.version, truncated: result.truncated),
            timing: result.timing, truncated: result.truncated, tokens: result.tokens)
    }

    struct ClassifyRequest: Decodable {
        var model: String
        var inputs: TextList
        var topK: Int?
        enum CodingKeys: String, CodingKey { case model, inputs, topK = "top_k" }
    }

    struct LabelScore: Encodable {
        var label: String
        var score: Double
    }

    struct ResultsResponse<Item: Encodable>: Encodable {
        var results: [Item]
        var model: String
        var version: Int
        var truncated: [Int]
    }

    @Sendable func classify(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(ClassifyRequest.self, limit: limits.maxBodyBytes)
        try limits.check(body.inputs.texts, field: "inputs")
        if let k = body.topK, k < 1 { throw APIError.invalid("top_k", "top_k must be at least 1") }
        let model = try registry.model(named: body.model)
        let result = try await InferenceService.classify(body.inputs.texts.map { .init(text: $0) }, model: model)
        let rows = result.value.map { Self.ranked($0, topK: body.topK ?? 1) }
        return try JSONResponse.make(
            ResultsResponse(results: rows, model: model.name, version: model.version, truncated: result.truncated),
            timing: result.timing, truncated: result.truncated, tokens: result.tokens)
    }

    /// The `k` most probable labels, best first (ties by label).
    static func ranked(_ p: ClassPrediction, topK k: Int) -> [LabelScore] {
        p.scores.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(k).map { LabelScore(label: $0.key, score: $0.value) }
    }

    struct EntitiesRequest: Decodable {
        var model: String
        var inputs: TextList
    }

    struct EntityItem: Encodable {
        var entityGroup: String
        var word: String
        var start: Int
        var end: Int
        var score: Double
        enum CodingKeys: String, CodingKey { case entityGroup = "entity_group", word, start, end, score }
    }

    @Sendable func entities(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(EntitiesRequest.self, limit: limits.maxBodyBytes)
        try limits.check(body.inputs.texts, field: "inputs")
        let model = try registry.model(named: body.model)
        let result = try await InferenceService.entities(body.inputs.texts, model: model)
        let rows = result.value.map {
            $0.map { EntityItem(entityGroup: $0.label, word: $0.text, start: $0.start, end: $0.end, score: $0.score) }
        }
        return try JSONResponse.make(
            ResultsResponse(results: rows, model: model.name, version: model.version, truncated: result.truncated),
            timing: result.timing, truncated: result.truncated, tokens: result.tokens)
    }

    struct TokenizeRequest: Decodable {
        var model: String
        var inputs: TextList
    }

    struct TokenizeItem: Encodable {
        var ids: [Int]
        var tokens: [String]
        /// [start, end) in Unicode scalars; special tokens [0, 0].
        var offsets: [[Int]]
        var truncated: Bool
    }

    @Sendable func tokenize(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(TokenizeRequest.self, limit: limits.maxBodyBytes)
        try limits.check(body.inputs.texts, field: "inputs")
        let model = try registry.model(named: body.model)
        var timing = InferenceTiming()
        let start = Date()
        let items = try body.inputs.texts.map { text in
            let t = try model.tokenize(text)
            return TokenizeItem(
                ids: t.encoding.ids, tokens: t.encoding.tokens, offsets: t.encoding.offsets.map { [$0.start, $0.end] },
                truncated: t.truncated)
        }
        timing.tokenizationSeconds = Date().timeIntervalSince(start)
        let truncated = items.indices.filter { items[$0].truncated }
        return try JSONResponse.make(
            ResultsResponse(results: items, model: model.name, version: model.version, truncated: truncated), timing: timing,
            truncated: truncated, tokens: items.reduce(0) { $0 + $1.ids.count })
    }

    struct RerankRequest: Decodable {
        var model: String
        var query: String
        var texts: [String]
    }

    struct RerankItem: Encodable {
        var index: Int
        var score: Double
    }

    @Sendable func rerank(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(RerankRequest.self, limit: limits.maxBodyBytes)
        try limits.check([body.query], field: "query")
        try limits.check(body.texts, field: "texts")
        let model = try registry.model(named: body.model)
        let result = try await InferenceService.rerank(query: body.query, texts: body.texts, model: model)
        return try JSONResponse.make(
            ResultsResponse(
                results: result.value.map { RerankItem(index: $0.index, score: $0.score) }, model: model.name,
                version: model.version, truncated: result.truncated),
            timing: result.timing, truncated: result.truncated, tokens: result.tokens)
    }
}
